/*
 * output_file.c - complete-or-absent output files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vg/error.h"
#include "vg/output_file.h"

static int fail(vg_output_file *f, const char *what, char *err,
                size_t err_size)
{
    snprintf(err, err_size, "%s: %s: %s", f->name, what, strerror(errno));
    vg_output_file_discard(f);
    return VG_ERR_IO;
}

/* Only a regular file (or nothing yet) may be replaced by a rename. */
static bool replaceable(const char *path)
{
    struct stat st;
    return stat(path, &st) != 0 || S_ISREG(st.st_mode);
}

int vg_output_file_open(const char *path, vg_output_file *out, char *err,
                        size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (strcmp(path, "-") == 0) {
        out->file = stdout;
        out->name = "<stdout>";
        return 0;
    }
    if (!(out->path = strdup(path))) {
        snprintf(err, err_size, "%s: out of memory", path);
        return VG_ERR_NO_MEMORY;
    }
    out->name = out->path;
    if (!replaceable(path)) {
        if (!(out->file = fopen(path, "wb")))
            return fail(out, "cannot open", err, err_size);
        return 0;
    }
    /* The temporary file sits beside the target so rename() stays on one
     * filesystem and is atomic. */
    if (asprintf(&out->temp, "%s.partial-XXXXXX", path) < 0) {
        out->temp = NULL;
        snprintf(err, err_size, "%s: out of memory", path);
        vg_output_file_discard(out);
        return VG_ERR_NO_MEMORY;
    }
    int fd = mkstemp(out->temp);
    if (fd < 0) {
        free(out->temp);
        out->temp = NULL;
        return fail(out, "cannot create", err, err_size);
    }
    /* mkstemp creates 0600; the finished file gets the usual mode. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    if (!(out->file = fdopen(fd, "wb"))) {
        close(fd);
        return fail(out, "cannot open", err, err_size);
    }
    return 0;
}

int vg_output_file_commit(vg_output_file *f, char *err, size_t err_size)
{
    if (fflush(f->file) != 0 || ferror(f->file))
        return fail(f, "cannot write", err, err_size);
    if (f->file != stdout) {
        FILE *file = f->file;
        f->file = NULL;
        if (fclose(file) != 0)
            return fail(f, "cannot write", err, err_size);
    }
    if (f->temp && rename(f->temp, f->path) != 0)
        return fail(f, "cannot move the finished file into place", err,
                    err_size);
    free(f->temp);
    f->temp = NULL; /* committed: nothing left to remove */
    vg_output_file_discard(f);
    return 0;
}

void vg_output_file_discard(vg_output_file *f)
{
    if (f->file && f->file != stdout)
        fclose(f->file);
    if (f->temp)
        unlink(f->temp);
    free(f->temp);
    free(f->path);
    memset(f, 0, sizeof *f);
}

/*
 * output_file.c - complete-or-absent output files (vg/output_file.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strutil.h"
#include "vg/error.h"
#include "vg/output_file.h"

/* Named temporary files are TARGET.partial-PID-XXXXXX: the owner's process
 * id lets a later run tell a dead run's leftover from a live run's file. */
#define TEMP_INFIX ".partial-"

static int fail(vg_output_file *f, const char *what, char *err, size_t err_size)
{
    snprintf(err, err_size, "%s: %s: %s", f->name, what, strerror(errno));
    vg_output_file_discard(f);
    return VG_ERR_IO;
}

static int no_memory(vg_output_file *f, const char *path, char *err,
                     size_t err_size)
{
    snprintf(err, err_size, "%s: out of memory", path);
    vg_output_file_discard(f);
    return VG_ERR_NO_MEMORY;
}

char *vg_output_file_target(const char *path)
{
    char *current = strdup(path);
    /* 40 is the kernel's own limit on links followed in one lookup. */
    for (int hops = 0; current && hops < 40; hops++) {
        struct stat st;
        if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode))
            return current;
        char link[PATH_MAX];
        ssize_t n = readlink(current, link, sizeof link - 1);
        if (n < 0)
            return current;
        link[n] = '\0';
        char *next = NULL;
        if (link[0] == '/') {
            next = strdup(link);
        } else {
            char *dir = vg_dirname_dup(current);
            if (dir && asprintf(&next, "%s/%s", dir, link) < 0)
                next = NULL;
            free(dir);
        }
        free(current);
        current = next;
    }
    free(current);
    return NULL;
}

/* Remove TARGET.partial-PID-* files left by runs that were killed: only
 * regular files of ours whose process no longer exists. */
static void remove_stale_temps(const char *target)
{
    char *dir_path = vg_dirname_dup(target);
    const char *base = strrchr(target, '/');
    base = base ? base + 1 : target;
    DIR *dir = dir_path ? opendir(dir_path) : NULL;
    size_t prefix = strlen(base) + strlen(TEMP_INFIX);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, base, strlen(base)) != 0 ||
            strncmp(e->d_name + strlen(base), TEMP_INFIX, strlen(TEMP_INFIX)) !=
                0)
            continue;
        char *end = NULL;
        long pid = strtol(e->d_name + prefix, &end, 10);
        if (pid <= 0 || end == e->d_name + prefix || *end != '-' ||
            (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue;
        struct stat st;
        if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode) && st.st_uid == getuid())
            unlinkat(dirfd(dir), e->d_name, 0);
    }
    if (dir)
        closedir(dir);
    free(dir_path);
}

static mode_t default_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* An unnamed file in the target's directory, or -1 where the filesystem
 * (or a kernel without /proc, which linkat needs to name it) cannot. */
static int open_unnamed(const char *target)
{
    if (access("/proc/self/fd", X_OK) != 0)
        return -1;
    char *dir = vg_dirname_dup(target);
    int fd = dir ? open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0666) : -1;
    free(dir);
    return fd;
}

int vg_output_file_open(const char *path, vg_output_file *out, char *err,
                        size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (strcmp(path, "-") == 0) {
        out->file = stdout;
        out->name = "<stdout>";
        out->in_place = true;
        return 0;
    }
    if (!(out->given = strdup(path)))
        return no_memory(out, path, err, err_size);
    out->name = out->given;
    if (!(out->path = vg_output_file_target(path))) {
        errno = errno == 0 ? ELOOP : errno;
        return fail(out, "cannot follow the symbolic link", err, err_size);
    }
    struct stat old;
    bool exists = stat(out->path, &old) == 0;
    if (exists && !S_ISREG(old.st_mode)) {
        out->in_place = true;
        if (!(out->file = fopen(out->path, "wb")))
            return fail(out, "cannot open", err, err_size);
        return 0;
    }
    remove_stale_temps(out->path);
    int fd = open_unnamed(out->path);
    out->unnamed = fd >= 0;
    if (fd < 0) {
        if (asprintf(&out->temp, "%s" TEMP_INFIX "%ld-XXXXXX", out->path,
                     (long)getpid()) < 0) {
            out->temp = NULL;
            return no_memory(out, path, err, err_size);
        }
        fd = mkostemp(out->temp, O_CLOEXEC);
        if (fd < 0) {
            free(out->temp);
            out->temp = NULL;
            return fail(out, "cannot create", err, err_size);
        }
        fchmod(fd, default_mode()); /* mkstemp creates 0600 */
    }
    if (exists) {
        /* The replaced file's mode and owner carry over.  Giving a file
         * away takes privileges: keep at least the group when allowed. */
        fchmod(fd, old.st_mode & 07777);
        if (fchown(fd, old.st_uid, old.st_gid) != 0 &&
            fchown(fd, (uid_t)-1, old.st_gid) == 0)
            fchmod(fd, old.st_mode & 07777);
    }
    if (!(out->file = fdopen(fd, "w+b"))) {
        close(fd);
        return fail(out, "cannot open", err, err_size);
    }
    return 0;
}

/* Give the unnamed file the final name, replacing what is there. */
static int link_unnamed(vg_output_file *f)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(f->file));
    if (linkat(AT_FDCWD, proc, AT_FDCWD, f->path, AT_SYMLINK_FOLLOW) == 0)
        return 0;
    if (errno != EEXIST)
        return -1;
    /* linkat never replaces: link under a fresh name, rename over. */
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        if (asprintf(&f->temp, "%s" TEMP_INFIX "%ld-%u%lx", f->path,
                     (long)getpid(), attempt, (unsigned long)random()) < 0) {
            f->temp = NULL;
            errno = ENOMEM;
            return -1;
        }
        if (linkat(AT_FDCWD, proc, AT_FDCWD, f->temp, AT_SYMLINK_FOLLOW) == 0) {
            if (rename(f->temp, f->path) != 0)
                return -1; /* discard removes the extra name */
            free(f->temp);
            f->temp = NULL;
            return 0;
        }
        free(f->temp);
        f->temp = NULL;
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

int vg_output_file_commit(vg_output_file *f, char *err, size_t err_size)
{
    if (fflush(f->file) != 0 || ferror(f->file))
        return fail(f, "cannot write", err, err_size);
    if (f->unnamed && link_unnamed(f) != 0)
        return fail(f, "cannot move the finished file into place", err,
                    err_size);
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
    free(f->given);
    memset(f, 0, sizeof *f);
}

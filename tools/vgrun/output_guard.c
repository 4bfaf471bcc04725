/*
 * output_guard.c - what vgrun may write over, decided before any frame is
 * rendered.
 *
 * Two rules.  An output (the video or snapshot, the JSON report) is never
 * a file the run reads: the job file, the config file, a picture or video
 * of the job, nor another output; files are compared by device and inode
 * once symbolic links are followed, so no spelling of a name gets round
 * it, and -y does not lift it.  And an existing file is replaced as ffmpeg
 * does: with -y, never with -n, else after a "y" on a terminal; off a
 * terminal (a script) it is refused.  A device or FIFO (/dev/null, a pipe)
 * is written, not replaced, so it needs no permission.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vg/output_file.h"
#include "vgrun.h"

typedef struct named_file {
    const char *path;
    const char *what; /* "the job file", "an input of the job" */
} named_file;

static int refuse(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return VGRUN_EXIT_USAGE;
}

static bool same_file(const struct stat *a, const char *path)
{
    struct stat b;
    return stat(path, &b) == 0 && a->st_dev == b.st_dev &&
           a->st_ino == b.st_ino;
}

/* Ask on the terminal whether `path` may be replaced. */
static bool user_allows(const char *path)
{
    fprintf(stderr, "File '%s' already exists. Overwrite? [y/N] ", path);
    fflush(stderr);
    char answer[16];
    if (!fgets(answer, sizeof answer, stdin))
        return false;
    return answer[0] == 'y' || answer[0] == 'Y';
}

static int check_overwrite(const vgrun_options *opts, const char *path,
                           char *err, size_t err_size)
{
    switch (opts->overwrite) {
    case VGRUN_OVERWRITE_YES:
        return 0;
    case VGRUN_OVERWRITE_NEVER:
        return refuse(err, err_size, "%s already exists; not overwriting (-n)",
                      path);
    case VGRUN_OVERWRITE_ASK:
        if (isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
            if (user_allows(path))
                return 0;
            return refuse(err, err_size, "%s: not overwritten", path);
        }
    }
    return refuse(err, err_size,
                  "%s already exists; use -y to overwrite it or -n to keep "
                  "it",
                  path);
}

/* One output against the files the run reads and the outputs before it. */
static int check_one(const vgrun_options *opts, const char *path,
                     const named_file *inputs, size_t input_count,
                     const char *const *earlier, char *err, size_t err_size)
{
    if (strcmp(path, "-") == 0)
        return 0;
    struct stat st;
    if (stat(path, &st) != 0) {
        /* Not there yet: only another output can be the same file. */
        char *target = vg_output_file_target(path);
        for (size_t i = 0; target && earlier[i]; i++) {
            char *other = vg_output_file_target(earlier[i]);
            bool same = other && strcmp(other, target) == 0;
            free(other);
            if (same) {
                free(target);
                return refuse(err, err_size, "%s is also another output (%s)",
                              path, earlier[i]);
            }
        }
        free(target);
        return 0;
    }
    for (size_t i = 0; i < input_count; i++)
        if (inputs[i].path && same_file(&st, inputs[i].path))
            return refuse(err, err_size,
                          "%s is %s (%s): refusing to write over it", path,
                          inputs[i].what, inputs[i].path);
    for (size_t i = 0; earlier[i]; i++)
        if (strcmp(earlier[i], "-") != 0 && same_file(&st, earlier[i]))
            return refuse(err, err_size, "%s is also another output (%s)", path,
                          earlier[i]);
    if (!S_ISREG(st.st_mode))
        return 0; /* a device or FIFO is written in place */
    return check_overwrite(opts, path, err, err_size);
}

int vgrun_check_outputs(const vgrun_options *opts, const vg_config *cfg,
                        const vg_job *job, bool *report_ok, char *err,
                        size_t err_size)
{
    size_t count = 2 + (job ? vg_job_input_count(job) : 0);
    named_file *inputs = calloc(count, sizeof *inputs);
    if (!inputs)
        return refuse(err, err_size, "out of memory");
    inputs[0] = (named_file){opts->job_path, "the job file"};
    inputs[1] = (named_file){cfg->source, "the config file"};
    for (size_t i = 2; i < count; i++)
        inputs[i] =
            (named_file){vg_job_input_path(job, i - 2), "an input of the job"};
    /* The report first: when it is refused, it is not written either. */
    const char *outputs[3] = {NULL};
    const char *earlier[3] = {NULL};
    size_t n = 0;
    if (opts->json_report)
        outputs[n++] = opts->json_report;
    outputs[n++] = opts->snapshot_path ? opts->snapshot_path : opts->output;
    int rc = 0;
    *report_ok = true;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = check_one(opts, outputs[i], inputs, count, earlier, err, err_size);
        if (rc != 0 && outputs[i] == opts->json_report)
            *report_ok = false;
        earlier[i] = outputs[i];
    }
    free(inputs);
    return rc;
}

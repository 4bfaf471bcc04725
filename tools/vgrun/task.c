/*
 * task.c - --task: which of N ranges this machine renders.
 *
 * A farm script should not do range arithmetic: `--task I/N` names the
 * range and libvg computes it (vg_piece_task_range).  Without I, the index
 * comes from the engine: SLURM_ARRAY_TASK_ID (relative to
 * SLURM_ARRAY_TASK_MIN, so --array=1-8 works too) or, on Kubernetes,
 * JOB_COMPLETION_INDEX of an Indexed Job.  Without N, Slurm's
 * SLURM_ARRAY_TASK_COUNT; Kubernetes does not export the completion count,
 * so there it must be given (--task /N).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vgrun.h"

bool vgrun_is_task_value(const char *text)
{
    const char *slash = strchr(text, '/');
    if (!slash || slash[1] == '\0')
        return false;
    for (const char *c = text; *c; c++)
        if (c != slash && (*c < '0' || *c > '9'))
            return false;
    return true;
}

/* A decimal uint32 making up all of `text`. */
static bool whole_u32(const char *text, uint32_t *out)
{
    if (!text || *text < '0' || *text > '9')
        return false;
    errno = 0;
    char *stop = NULL;
    unsigned long v = strtoul(text, &stop, 10);
    if (*stop != '\0' || errno != 0 || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* An environment variable that must hold a number when set. */
static int env_u32(const char *name, bool *set, uint32_t *out, char *err,
                   size_t err_size)
{
    const char *text = getenv(name);
    *set = text && *text;
    if (*set && !whole_u32(text, out)) {
        snprintf(err, err_size, "--task: %s='%s' is not a task number", name,
                 text);
        return -1;
    }
    return 0;
}

/* The index and, under Slurm, the count from the engine's environment. */
static int task_from_env(vgrun_task *t, bool count_given, char *err,
                         size_t err_size)
{
    bool set = false, min_set = false, count_set = false;
    uint32_t id = 0, min = 0, count = 0;
    if (env_u32("SLURM_ARRAY_TASK_ID", &set, &id, err, err_size) != 0)
        return -1;
    if (set) {
        if (env_u32("SLURM_ARRAY_TASK_MIN", &min_set, &min, err, err_size) ||
            env_u32("SLURM_ARRAY_TASK_COUNT", &count_set, &count, err,
                    err_size))
            return -1;
        if (id < min) {
            snprintf(err, err_size,
                     "--task: SLURM_ARRAY_TASK_ID=%u is below "
                     "SLURM_ARRAY_TASK_MIN=%u",
                     id, min);
            return -1;
        }
        t->index = id - min;
        t->source = "SLURM_ARRAY_TASK_ID";
        if (!count_given && !count_set) {
            snprintf(err, err_size, "%s",
                     "--task: SLURM_ARRAY_TASK_COUNT is not set: give the "
                     "count (--task /N)");
            return -1;
        }
        if (!count_given)
            t->count = count;
        return 0;
    }
    if (env_u32("JOB_COMPLETION_INDEX", &set, &id, err, err_size) != 0)
        return -1;
    if (!set) {
        snprintf(err, err_size, "%s",
                 "--task without an index needs SLURM_ARRAY_TASK_ID (a Slurm "
                 "array job) or JOB_COMPLETION_INDEX (a Kubernetes Indexed "
                 "Job); elsewhere give --task I/N");
        return -1;
    }
    if (!count_given) {
        snprintf(err, err_size, "%s",
                 "--task: JOB_COMPLETION_INDEX gives the index but not the "
                 "count: give --task /N with N the Job's completions");
        return -1;
    }
    t->index = id;
    t->source = "JOB_COMPLETION_INDEX";
    return 0;
}

int vgrun_parse_task(const char *text, vgrun_task *t, char *err,
                     size_t err_size)
{
    *t = (vgrun_task){.source = "--task"};
    bool count_given = false;
    if (text) {
        if (!vgrun_is_task_value(text)) {
            snprintf(err, err_size,
                     "--task expects I/N (task I of N, from 0), /N or "
                     "nothing, got '%s'",
                     text);
            return -1;
        }
        const char *slash = strchr(text, '/');
        count_given = true;
        if (!whole_u32(slash + 1, &t->count)) {
            snprintf(err, err_size, "--task: '%s' is not a task count",
                     slash + 1);
            return -1;
        }
        if (slash != text) {
            char index[16] = "";
            size_t n = (size_t)(slash - text);
            if (n < sizeof index)
                memcpy(index, text, n);
            if (!whole_u32(index, &t->index)) {
                snprintf(err, err_size, "--task: '%.*s' is not a task index",
                         (int)n, text);
                return -1;
            }
            return vgrun_check_task(t, err, err_size);
        }
    }
    if (task_from_env(t, count_given, err, err_size) != 0)
        return -1;
    return vgrun_check_task(t, err, err_size);
}

int vgrun_check_task(const vgrun_task *t, char *err, size_t err_size)
{
    if (t->count == 0) {
        snprintf(err, err_size, "%s",
                 "--task: the task count must be at "
                 "least 1");
        return -1;
    }
    if (t->index >= t->count) {
        /* Under Slurm this means an array with a step or gaps
         * (--array=0-10:2): its task IDs are not 0..count-1. */
        bool slurm = strcmp(t->source, "SLURM_ARRAY_TASK_ID") == 0;
        snprintf(err, err_size,
                 "--task: task %u (from %s) is not one of 0 to %u: tasks "
                 "count from 0%s",
                 t->index, t->source, t->count - 1,
                 slurm ? "; submit the array as --array=0-N, with no step "
                         "or gaps"
                       : "");
        return -1;
    }
    return 0;
}

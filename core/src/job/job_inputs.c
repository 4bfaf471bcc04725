/*
 * job_inputs.c - open every input of a job before rendering starts:
 * pictures are decoded (so a corrupt one is reported now, with its place in
 * the job file), videos have their header and size checked.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/text_file.h"
#include "job/job_internal.h"
#include "job/source.h"

int vg_job_open_inputs(vg_job *job, const vg_limits *limits, const char *file,
                       const char *prefix, char *err, size_t err_size)
{
    for (size_t i = 0; i < job->clip_count; i++) {
        vg_clip *clip = &job->clips[i];
        char problem[VG_TEXT_MAX * 2], item[64], path[VG_KEY_PATH_MAX];
        int rc = clip->source->open(clip, limits, problem, sizeof problem);
        if (rc == 0)
            continue;
        snprintf(item, sizeof item, "clips[%zu].%s", i, clip->source->key);
        vg_key_path_join(path, sizeof path, prefix, item);
        vg_diag_errorf(err, err_size, file, clip->line, clip->column, path,
                       "%s", problem);
        return rc == VG_ERR_NO_MEMORY ? rc : VG_ERR_CONFIG;
    }
    /* The audio file is decoded by the encoder (libvg does not link
     * FFmpeg); here it must at least be a readable regular file, so a typo
     * is reported at load like any other input, and a FIFO or a device is
     * refused instead of blocking the load or being read half-way. */
    if (job->audio.path) {
        char problem[256];
        int fd = -1;
        uint64_t size = 0;
        int rc =
            vg_input_open(job->audio.path, &fd, &size, problem, sizeof problem);
        if (rc != 0) {
            char path[VG_KEY_PATH_MAX];
            vg_key_path_join(path, sizeof path, prefix, "audio");
            vg_diag_errorf(err, err_size, file, job->audio.line,
                           job->audio.column, path, "%s: %s", job->audio.path,
                           problem);
            return VG_ERR_CONFIG;
        }
        close(fd);
    }
    return 0;
}

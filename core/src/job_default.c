/*
 * job_default.c - the built-in default job.
 */
#include <stdlib.h>

#include "job_internal.h"

int vg_job_create_default(vg_job **out)
{
    vg_job *job = calloc(1, sizeof *job);
    if (!job) {
        *out = NULL;
        return VG_ERR_NO_MEMORY;
    }
    *job = (vg_job){
        .info = {.width = 1920,
                 .height = 1080,
                 .fps_num = 30,
                 .fps_den = 1,
                 .frame_count = 300,
                 .matrix = VG_MATRIX_BT709,
                 .range = VG_RANGE_LIMITED},
        .first = VG_PATTERN_TESTSRC,
        .second = VG_PATTERN_BARS,
        .fade_start = 120, /* 4 s at 30 fps */
        .fade_frames = 60, /* 2 s */
        .zoom_from = 1.0,
        .zoom_to = 1.5,
        .blur_sigma = 1.0,
    };
    *out = job;
    return 0;
}

void vg_job_destroy(vg_job **job)
{
    if (!job)
        return;
    free(*job);
    *job = NULL;
}

vg_job_info vg_job_get_info(const vg_job *job)
{
    return job->info;
}

vg_job_limits vg_job_get_limits(const vg_job *job)
{
    return (vg_job_limits){.max_width = job->info.width,
                           .max_height = job->info.height};
}

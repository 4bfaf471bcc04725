/*
 * job_default.c - the built-in default job, as an instance of the timeline
 * model: examples/default.yaml describes the same video, and
 * tests/test_vgrun.c computes its frames independently.
 */
#include <stdlib.h>

#include "job/job_internal.h"

int vg_job_create_default(vg_job **out)
{
    *out = NULL;
    vg_job *job = vg_job_alloc(2);
    vg_camera_key *keys = job ? calloc(2, sizeof *keys) : NULL;
    if (!keys) {
        vg_job_destroy(&job);
        return VG_ERR_NO_MEMORY;
    }
    job->info = (vg_job_info){.width = 1920,
                              .height = 1080,
                              .fps_num = 30,
                              .fps_den = 1,
                              .frame_count = 300,
                              .matrix = VG_MATRIX_BT709,
                              .range = VG_RANGE_LIMITED};
    /* testsrc for 6 s, the last 2 of them crossfading into bars, which
     * then run to the end: the fade covers frames 120..179.  Colour and
     * background hold the job parser's defaults (opaque black), unused by
     * these patterns, so the job's fingerprint equals that of
     * examples/default.yaml as its bytes do. */
    job->clips[0] = (vg_clip){.kind = VG_SOURCE_PATTERN,
                              .pattern = VG_PATTERN_TESTSRC,
                              .rgba = 0x000000ffu,
                              .frames = 180,
                              .fit = VG_FIT_COVER,
                              .background = 0x000000ffu};
    job->clips[1] = (vg_clip){.kind = VG_SOURCE_PATTERN,
                              .pattern = VG_PATTERN_BARS,
                              .rgba = 0x000000ffu,
                              .frames = 180,
                              .fit = VG_FIT_COVER,
                              .background = 0x000000ffu,
                              .transition = {.kind = VG_TRANSITION_CROSSFADE,
                                             .frames = 60,
                                             .easing = VG_EASE_LINEAR}};
    /* A zoom from 1.0 to 1.5 towards the centre over the whole video. */
    const vg_camera_pose centre = {.zoom = 1.0, .x = 0.5, .y = 0.5};
    keys[0] = (vg_camera_key){.at = 0.0,
                              .at_is_fraction = true,
                              .position = 0.0,
                              .pose = centre,
                              .easing = VG_EASE_LINEAR};
    keys[1] = keys[0];
    keys[1].at = 1.0;
    keys[1].position = job->info.frame_count - 1;
    keys[1].pose.zoom = 1.5;
    job->camera = (vg_camera){.keys = keys, .key_count = 2};
    job->blur_sigma = 1.0;
    char problem[VG_TEXT_MAX];
    size_t bad;
    if (vg_job_layout(job, &bad, problem, sizeof problem) != 0) {
        vg_job_destroy(&job); /* cannot happen: the numbers above fit */
        return VG_ERR_INVALID_ARGUMENT;
    }
    *out = job;
    return 0;
}

/*
 * job_timeline.c - where each clip sits on the timeline, and what a frame
 * shows.
 */
#include <stdio.h>

#include "job/job_internal.h"

/* Frames a job may have: an index fits in uint32 with room to spare. */
#define MAX_JOB_FRAMES 1000000000u

static int check_transition(const vg_job *job, size_t i, char *problem,
                            size_t size)
{
    const vg_clip *prev = &job->clips[i - 1];
    const vg_clip *clip = &job->clips[i];
    uint32_t t = clip->transition.frames;
    if (t > prev->frames) {
        snprintf(problem, size,
                 "the transition (%u frames) is longer than clip %zu before "
                 "it (%u frames)",
                 t, i - 1, prev->frames);
        return VG_ERR_CONFIG;
    }
    /* A clip shorter than its transitions in and out would be part of two
     * transitions at once, three clips on screen. */
    if (i >= 2 && t + prev->transition.frames > prev->frames) {
        snprintf(problem, size,
                 "clip %zu (%u frames) is shorter than its transitions in "
                 "(%u) and out (%u) together",
                 i - 1, prev->frames, prev->transition.frames, t);
        return VG_ERR_CONFIG;
    }
    if (clip->frames != 0 && t > clip->frames) {
        snprintf(problem, size,
                 "the transition (%u frames) is longer than the clip (%u "
                 "frames)",
                 t, clip->frames);
        return VG_ERR_CONFIG;
    }
    return 0;
}

int vg_job_layout(vg_job *job, size_t *bad_clip, char *problem,
                  size_t problem_size)
{
    uint64_t end = 0; /* the frame after the last clip placed so far */
    for (size_t i = 0; i < job->clip_count; i++) {
        vg_clip *clip = &job->clips[i];
        *bad_clip = i;
        if (i > 0 && check_transition(job, i, problem, problem_size) != 0)
            return VG_ERR_CONFIG;
        uint64_t start = end - clip->transition.frames;
        if (clip->frames == 0) { /* the last clip fills the job */
            uint64_t total = job->info.frame_count;
            if (total <= start || total - start < clip->transition.frames) {
                snprintf(problem, problem_size,
                         "the clips before this one already fill the "
                         "job's %u frames",
                         job->info.frame_count);
                return VG_ERR_CONFIG;
            }
            clip->frames = (uint32_t)(total - start);
        }
        clip->start = (uint32_t)start;
        end = start + clip->frames;
        if (end > MAX_JOB_FRAMES) {
            snprintf(problem, problem_size, "the job would exceed %u frames",
                     MAX_JOB_FRAMES);
            return VG_ERR_CONFIG;
        }
    }
    *bad_clip = job->clip_count; /* what follows concerns the job */
    if (job->info.frame_count == 0) {
        job->info.frame_count = (uint32_t)end;
    } else if (job->info.frame_count != end) {
        snprintf(problem, problem_size,
                 "the job lasts %u frames but its clips end after %llu "
                 "(leave out the last clip's length to fill the job)",
                 job->info.frame_count, (unsigned long long)end);
        return VG_ERR_CONFIG;
    }
    return 0;
}

vg_frame_plan vg_job_plan_frame(const vg_job *job, uint32_t index)
{
    size_t i = job->clip_count - 1;
    while (i > 0 && job->clips[i].start > index)
        i--;
    const vg_clip *clip = &job->clips[i];
    /* A cut has no frames: the clips meet without overlapping. */
    if (i > 0 && clip->transition.frames > 0) {
        const vg_clip *prev = &job->clips[i - 1];
        if (index < prev->start + prev->frames) {
            /* Progress runs over (0, 1]: the transition's last frame is
             * all the new clip, the frame before it all the old one. */
            double t =
                (double)(index - clip->start + 1) / clip->transition.frames;
            return (vg_frame_plan){.a = i - 1,
                                   .b = (long)i,
                                   .progress =
                                       vg_ease(clip->transition.easing, t)};
        }
    }
    return (vg_frame_plan){.a = i, .b = -1, .progress = 0.0};
}

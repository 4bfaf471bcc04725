/*
 * job_internal.h - the job model (internal).
 *
 * Today a job is two generated sources joined by a crossfade, a zoom over
 * the whole video and a blur; the timeline model of YAML jobs extends it.
 */
#ifndef VG_JOB_INTERNAL_H
#define VG_JOB_INTERNAL_H

#include "vg/job.h"

struct vg_job {
    vg_job_info info;
    vg_pattern_kind first;  /* shown before the crossfade */
    vg_pattern_kind second; /* shown after it */
    uint32_t fade_start;    /* first frame of the crossfade */
    uint32_t fade_frames;   /* its length in frames */
    double zoom_from;       /* zoom at frame 0 ... */
    double zoom_to;         /* ... and at the last frame, towards the centre */
    double blur_sigma;      /* 0 = no blur */
};

#endif /* VG_JOB_INTERNAL_H */

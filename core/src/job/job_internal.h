/*
 * job_internal.h - the job model (internal to libvg).
 *
 * A job is a timeline of clips.  Clip i starts at frame start[i] and lasts
 * frames[i]; a transition into clip i of T frames overlaps the end of clip
 * i - 1 (start[i] = start[i-1] + frames[i-1] - T), so at most two clips are
 * on screen at once.  Per frame: each visible clip's source, its camera
 * (warp) and blur; the transition's blend; then the job's own camera and
 * blur over the result; then RGBA -> I420.
 *
 * Files: job.c (lifecycle, info, limits), job_default.c (the built-in job),
 * job_parse.c and job_parse_clip.c (YAML -> model), job_values.c (scalar
 * values), job_camera.c (camera keys -> affine map), job_timeline.c (clip
 * layout, which clips a frame shows), job_inputs.c (open and decode
 * inputs), job_load.c (files, strings, the config's job: section),
 * render.c (frames on a backend), job_fingerprint.c (the hash that names
 * a job's bytes, for render-farm pieces).  Each kind of source is
 * source_KIND.c, listed in source.h; each transition transition_NAME.c,
 * listed in transition.h.  Nothing else names a kind or a transition.
 */
#ifndef VG_JOB_INTERNAL_H
#define VG_JOB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vg/job.h"
#include "vg/params.h"

/* A kind of clip source: its row in the registry (job/source.h). */
typedef struct vg_source_ops vg_source_ops;

/* How a source of another shape fills the output at zoom 1. */
typedef enum vg_fit {
    VG_FIT_COVER = 1,   /* fills the output, the excess cropped */
    VG_FIT_CONTAIN = 2, /* all of it visible, bars of the background */
} vg_fit;

/* Where a camera looks: `zoom` relative to the fitted picture, the picture
 * point (x, y) (fractions of its width and height, 0.5 the middle) at the
 * middle of the frame, `rotate` degrees clockwise. */
typedef struct vg_camera_pose {
    double zoom;
    double x;
    double y;
    double rotate;
} vg_camera_pose;

typedef struct vg_camera_key {
    /* When: `at` seconds from the start, or at_fraction of the clip's
     * length (0 = first frame, 1 = last) when at_is_fraction. */
    double at;
    bool at_is_fraction;
    double position; /* resolved by the timeline: in frames from the start */
    vg_camera_pose pose;
    vg_easing easing; /* the move from this key to the next */
} vg_camera_key;

/* No keys: the default pose (zoom 1, middle, no rotation) throughout. */
typedef struct vg_camera {
    vg_camera_key *keys;
    size_t key_count;
} vg_camera;

/* A clip's way in.  No frames: a cut, the clips only follow each other. */
typedef struct vg_transition {
    uint32_t kind;   /* its row in VG_TRANSITIONS (job/transition.h) */
    uint32_t frames; /* 0 for the cut, at least 1 for every other */
    vg_easing easing;
    /* The transition's own setting, read only by its file: a wipe's side
     * (1: the new clip enters from the right). */
    uint32_t setting;
} vg_transition;

typedef struct vg_clip {
    const vg_source_ops *source; /* its kind; NULL only before parsing */
    void *source_state;          /* the kind's own, freed by the kind */
    char *path;                  /* the input file, if any: resolved */
    int line, column;            /* of the path in the job file */
    uint32_t start;              /* first frame of the job showing the clip */
    uint32_t frames;             /* how many frames it is shown */
    vg_camera camera;
    vg_fit fit;
    uint32_t background;      /* 0xRRGGBBAA outside a contained source */
    double blur_sigma;        /* 0 = none */
    vg_transition transition; /* into this clip (a cut for the first) */
} vg_clip;

/* audio: the job's sound track (job_parse_audio.c). */
typedef struct vg_job_audio_track {
    char *path;       /* NULL: none; resolved against the job */
    int line, column; /* of the file name in the job file */
    double start;     /* seconds into the file */
    double fade_in;   /* seconds */
    double fade_out;  /* seconds, ending with the video */
} vg_job_audio_track;

struct vg_job {
    vg_job_info info;
    vg_job_audio_track audio;
    vg_clip *clips;
    size_t clip_count;
    vg_camera camera; /* over the whole video, positions in job frames */
    double blur_sigma;
};

/* A job with `clip_count` zeroed clips.  NULL when out of memory. */
vg_job *vg_job_alloc(size_t clip_count);

/* The source's size: the output's for patterns, else the input's. */
void vg_clip_source_size(const vg_job *job, const vg_clip *clip, int32_t *width,
                         int32_t *height);

/* Lay the clips out on the timeline (start of each clip, camera key
 * positions) and check that transitions fit.  On failure writes the problem
 * and the index of the clip it concerns.  Returns 0 or VG_ERR_CONFIG. */
int vg_job_layout(vg_job *job, size_t *bad_clip, char *problem,
                  size_t problem_size);

/* What frame `index` of the job shows: clip `a` alone (b < 0), or the
 * transition from clip a into clip b with eased progress in (0, 1]. */
typedef struct vg_frame_plan {
    size_t a;
    long b;
    double progress;
} vg_frame_plan;

vg_frame_plan vg_job_plan_frame(const vg_job *job, uint32_t index);

/* The camera pose at `position` (frames from the camera's start). */
vg_camera_pose vg_camera_pose_at(const vg_camera *camera, double position);

/* The warp of a source_w x source_h source seen through `pose` with `fit`
 * on the job's output.  *identity is set when the map is exactly a copy
 * (same size, nothing moved), so the warp can be skipped.  Returns 0 or
 * VG_ERR_LIMIT (a coordinate leaves the 16.16 range). */
int vg_camera_warp(const vg_job *job, int32_t source_w, int32_t source_h,
                   const vg_camera_pose *pose, vg_fit fit, uint32_t background,
                   vg_warp_params *out, bool *identity);

/* Open and decode every input of the job (paths already resolved); `file`
 * names the job in messages, `prefix` ("" or "job") starts key paths.
 * Returns 0 or VG_ERR_CONFIG / NO_MEMORY. */
int vg_job_open_inputs(vg_job *job, const vg_limits *limits, const char *file,
                       const char *prefix, char *err, size_t err_size);

/* With inputs open: every camera key reachable by the warp's fixed-point
 * coordinates, and vg_job_memory_estimate within the budget.  Errors as for
 * vg_job_open_inputs.  Returns 0 or VG_ERR_CONFIG. */
int vg_job_check(const vg_job *job, const vg_limits *limits, const char *file,
                 const char *prefix, char *err, size_t err_size);

#endif /* VG_JOB_INTERNAL_H */

/*
 * vg/job.h - a video job and the rendering of its frames.
 *
 * A frame is a pure function of (job, frame index): rendering frame N never
 * depends on frames rendered before it.  That is what lets a job fail over
 * to another backend mid-run and re-render the failed frame, and what lets
 * frame ranges rendered on different machines be concatenated into the same
 * bytes (DESIGN.md, "Jobs and failover").
 *
 * Ownership: a vg_job is immutable once created; a vg_render borrows its job
 * and backend, which must outlive it.  Thread-safety: one thread per
 * vg_render; a vg_job may be shared.
 */
#ifndef VG_JOB_H
#define VG_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/backend.h"
#include "vg/plugin.h"

typedef struct vg_job vg_job;

/* What a job produces. */
typedef struct vg_job_info {
    int32_t width;
    int32_t height;
    uint32_t fps_num;
    uint32_t fps_den;
    uint32_t frame_count;
    vg_color_matrix matrix;
    vg_color_range range;
} vg_job_info;

/* The built-in default job: 300 frames of 1920x1080 at 30 fps from two
 * generated sources (testsrc, then bars), a 2-second crossfade from the
 * first to the second starting at 4 s, a zoom from 1.0 to 1.5 towards the
 * centre over the whole video, a Gaussian blur with sigma 1, BT.709
 * limited-range I420 output.  The same work as the ffmpeg filtergraph
 * testsrc2, smptebars, xfade, zoompan, gblur, format=yuv420p. */
VG_API int vg_job_create_default(vg_job **out);
VG_API void vg_job_destroy(vg_job **job);
VG_API vg_job_info vg_job_get_info(const vg_job *job);

/* The largest frame any step of the job uses. */
VG_API vg_job_limits vg_job_get_limits(const vg_job *job);

typedef struct vg_render vg_render;

/* Prepare `backend` to render `job`: allocate its frames and upload static
 * inputs.  Returns 0 or a vg error with err set. */
VG_API int vg_render_create(const vg_job *job, vg_backend *backend,
                            vg_render **out, char *err, size_t err_size);

/* Render frame `index` into `out` (an I420 host image of the job's size).
 * Returns 0 or the failing kernel's error; the message is
 * vg_backend_last_error() of the backend. */
VG_API int vg_render_frame(vg_render *render, uint32_t index,
                           const vg_image *out);

/* Free the backend frames; clears the pointer.  NULL is a no-op. */
VG_API void vg_render_destroy(vg_render **render);

#endif /* VG_JOB_H */

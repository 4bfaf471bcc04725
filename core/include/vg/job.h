/*
 * vg/job.h - a video job and the rendering of its frames.
 *
 * A job is a timeline: clips shown one after the other, each with a source
 * (a generated pattern, a PNG or JPEG picture, a Y4M video), a camera that
 * moves over it (zoom, pan and rotation keyframes with easing: the Ken Burns
 * effect) and an optional blur, joined by transitions (crossfade, wipe),
 * with an optional camera and blur over the whole video.  docs/jobs.md
 * describes the YAML form of every key.
 *
 * A frame is a pure function of (job, frame index): rendering frame N never
 * depends on frames rendered before it.  That is what lets a job fail over
 * to another backend mid-run and re-render the failed frame, and what lets
 * frame ranges rendered on different machines be concatenated into the same
 * bytes (docs/distributed.md).
 *
 * Ownership: a vg_job owns its decoded pictures and open video inputs and is
 * immutable once created; a vg_render borrows its job and backend, which
 * must outlive it.  Thread-safety: one thread per vg_render; a vg_job may be
 * shared between renders on different threads.
 */
#ifndef VG_JOB_H
#define VG_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/backend.h"
#include "vg/config.h"
#include "vg/limits.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 * testsrc2, smptebars, xfade, zoompan, gblur, format=yuv420p; the same
 * video as examples/default.yaml.  Returns 0 or VG_ERR_NO_MEMORY. */
VG_API int vg_job_create_default(vg_job **out);

/* Load the job file `path`, whose top level is the job (docs/jobs.md).
 * Relative input paths are taken from the file's directory.  Every input is
 * opened and decoded (pictures) or header-checked (videos) before this
 * returns, so a missing or corrupt input is reported here, not mid-render.
 * On failure *out stays NULL and err reads "FILE:LINE:COLUMN: KEY.PATH:
 * problem" (input problems name the input file too).  Returns 0, VG_ERR_IO
 * (the job file cannot be read), VG_ERR_CONFIG (a key, a value or an input
 * is wrong) or VG_ERR_NO_MEMORY. */
VG_API int vg_job_load(const char *path, vg_job **out, char *err,
                       size_t err_size);

/* vg_job_load under `limits` (vg/limits.h; vg_job_load uses the
 * defaults, vgrun the config's limits: section): the file's size, its YAML
 * depth and node count, every input's pixels and codec limits, and the
 * job's estimated peak memory (vg_job_memory_estimate) against the budget.
 * The job file and every input must be regular files.  A camera that would
 * look beyond what the warp can address is refused here too.  Errors as
 * for vg_job_load; a limit exceeded names its config key. */
VG_API int vg_job_load_limited(const char *path, const vg_limits *limits,
                               vg_job **out, char *err, size_t err_size);

/* The same from a string; `name` stands in for the file in messages and
 * `base_dir` (NULL: the current directory) anchors relative input paths. */
VG_API int vg_job_load_string(const char *yaml, const char *name,
                              const char *base_dir, vg_job **out, char *err,
                              size_t err_size);

/* The job of a configuration: the `job:` section of the file cfg was loaded
 * from (read again, inputs relative to that file's directory), or the
 * built-in default job when the config has no `job:` section or comes from
 * the built-in defaults.  Errors as for vg_job_load, with key paths
 * starting "job.". */
VG_API int vg_job_create_from_config(const vg_config *cfg, vg_job **out,
                                     char *err, size_t err_size);

/* Bytes the job holds and rendering it allocates at its peak (decoded
 * pictures, each backend's copies, working frames), an estimate checked
 * against limits.memory_budget_bytes before rendering starts. */
VG_API uint64_t vg_job_memory_estimate(const vg_job *job);

/* Free a job, its pictures and its open inputs; clears the pointer.  NULL
 * is a no-op. */
VG_API void vg_job_destroy(vg_job **job);

VG_API vg_job_info vg_job_get_info(const vg_job *job);

/* The largest frame any step of the job uses (the output, a picture, a
 * video input). */
VG_API vg_job_limits vg_job_get_limits(const vg_job *job);

/* The files the job reads (its pictures, videos and audio), as resolved against
 * the job file: index 0 to vg_job_input_count - 1; NULL past the end.  So
 * that a program can refuse to write over an input. */
VG_API size_t vg_job_input_count(const vg_job *job);
VG_API const char *vg_job_input_path(const vg_job *job, size_t index);

/* The job's sound track (docs/jobs.md, audio:), for an encoder: the file
 * is decoded from `start` seconds in, faded in over `fade_in` seconds from
 * the job's first frame and out over `fade_out` seconds to its end, and
 * cut to the video's length.  path is NULL when the job has none; the
 * strings live as long as the job. */
typedef struct vg_job_audio {
    const char *path;
    double start;
    double fade_in;
    double fade_out;
} vg_job_audio;

VG_API vg_job_audio vg_job_get_audio(const vg_job *job);

typedef struct vg_render vg_render;

/* Prepare `backend` to render `job`: allocate its frames and upload static
 * inputs (decoded pictures, once per backend).  Returns 0 or a vg error
 * with err set. */
VG_API int vg_render_create(const vg_job *job, vg_backend *backend,
                            vg_render **out, char *err, size_t err_size);

/* Render frame `index` (< the job's frame_count) into `out`, an I420 host
 * image of the job's size, and wait for it (no other frame may be in
 * flight).  Returns 0, the failing kernel's error, or
 * VG_ERR_IO when a video input could not be read; vg_render_last_error says
 * which and why. */
VG_API int vg_render_frame(vg_render *render, uint32_t index,
                           const vg_image *out);

/* Frames in flight: vg_render_submit queues frame `index` and starts its
 * download into `out` without waiting for it; vg_render_collect waits for
 * the oldest frame submitted and reports its index.  Frames are collected
 * in the order they were submitted, and at most VG_RENDER_DEPTH are in
 * flight (submitting more fails), so on a GPU the download of frame N
 * overlaps the kernels of frame N + 1.  `out` must stay allocated and
 * untouched until its frame is collected, and must differ from every other
 * frame in flight.  A failed submit leaves the frames before it in flight;
 * a failed collect ends its frame (the next collect returns the one after
 * it).  Errors as vg_render_frame. */
#define VG_RENDER_DEPTH 2
VG_API int vg_render_submit(vg_render *render, uint32_t index,
                            const vg_image *out);
VG_API int vg_render_collect(vg_render *render, uint32_t *index);
VG_API uint32_t vg_render_in_flight(const vg_render *render);

/* The message of the last failed call on `render`: the backend's message for
 * a kernel ("cuda: kernel warp failed: ..."), or the input's
 * ("clip.y4m: frame 12: unexpected end of file").  "" when none failed.
 * Valid until the next call on `render`. */
VG_API const char *vg_render_last_error(const vg_render *render);

/* True when the last failure was reading an input rather than the backend:
 * another backend would fail the same way, so failing over is pointless. */
VG_API bool vg_render_failed_on_input(const vg_render *render);

/* Free the backend frames; clears the pointer.  NULL is a no-op. */
VG_API void vg_render_destroy(vg_render **render);

#ifdef __cplusplus
}
#endif

#endif /* VG_JOB_H */

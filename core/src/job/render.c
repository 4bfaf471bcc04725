/*
 * render.c - render one frame of a job on a backend.
 *
 * Per frame: for each visible clip, its source (its kind's frame function,
 * source.h: a pattern drawn, the picture uploaded once in
 * vg_render_create, a video frame read and converted), its camera warp and
 * blur; the transition's blend (its row in transition.h);
 * the job's camera and blur; RGBA -> I420; download.  Up to
 * VG_RENDER_DEPTH frames are in flight, each with its own set of work
 * frames: a GPU copies frame N out while frame N + 1's kernels run, and the
 * CPU backend renders the two frames on two threads at once.  All floating
 * point (camera maps, easing, crossfade weights, blur taps, colour
 * coefficients) becomes integer parameters here, on the host, so every backend
 * computes the same bytes.  Steps that would not change a byte (an identity
 * warp, no blur) are skipped, so the built-in job makes the same kernel calls
 * it always made.
 */
#include <stdio.h>
#include <stdlib.h>

#include "job/job_internal.h"
#include "job/source.h"
#include "job/transition.h"

/* What one clip has on the backend. */
typedef struct clip_frames {
    void *uploaded; /* its source's (source.h: upload, release) */
    vg_blur_params blur;
} clip_frames;

/* The work frames of a visible clip: slot 0 the clip shown (or leaving),
 * slot 1 the clip coming in during a transition.  `canvas` is lent to
 * generated sources to draw in. */
typedef struct slot_frames {
    vg_backend_frame *canvas, *warped, *blurred;
} slot_frames;

/* Every frame one frame of the job writes.  Each frame in flight has its
 * own set, so the kernels of frame N + 1 never touch what frame N's are
 * still reading or writing (or what its download reads): a backend may run
 * the frames at the same time. */
typedef struct frame_set {
    slot_frames slots[2];
    vg_backend_frame *mixed, *zoomed, *blurred, *yuv;
} frame_set;

struct vg_render {
    const vg_job *job;
    vg_backend *backend;
    clip_frames *clips;
    frame_set sets[VG_RENDER_DEPTH];
    int set;        /* the set of the frame being submitted */
    frame_set *cur; /* &sets[set] */
    /* The frames in flight, oldest first: a ring of job indices and the
     * set each was rendered with. */
    uint32_t flight_index[VG_RENDER_DEPTH];
    int flight_set[VG_RENDER_DEPTH];
    uint32_t flight_first, flight_count;
    vg_blur_params blur;
    vg_color_params color;
    char error[1024]; /* room for a backend message and a path */
    bool input_failed;
};

/* What the job needs allocated, so a job without a step pays nothing for
 * it. */
typedef struct needs {
    bool canvas, warp, blur, transition;
} needs;

static needs job_needs(const vg_job *job)
{
    needs n = {0};
    for (size_t i = 0; i < job->clip_count; i++) {
        const vg_clip *c = &job->clips[i];
        bool generated = c->source->generated;
        n.canvas |= generated;
        /* A source of its own size may differ from the output's. */
        n.warp |= !generated || c->camera.key_count > 0;
        n.blur |= c->blur_sigma > 0;
        n.transition |= c->transition.frames > 0;
    }
    return n;
}

static int alloc_rgba(vg_render *r, bool wanted, int32_t w, int32_t h,
                      vg_backend_frame **frame)
{
    if (!wanted)
        return 0;
    return vg_backend_frame_alloc(r->backend, VG_FORMAT_RGBA8, w, h, frame);
}

/* Each clip's blur parameters and its source's frames on the backend
 * (a picture is uploaded here, once). */
static int prepare_clips(vg_render *r)
{
    const vg_job *job = r->job;
    for (size_t i = 0; i < job->clip_count; i++) {
        const vg_clip *c = &job->clips[i];
        clip_frames *f = &r->clips[i];
        int rc = 0;
        if (c->blur_sigma > 0 &&
            (rc = vg_blur_params_from_sigma(c->blur_sigma, &f->blur)) != 0)
            return rc;
        rc = c->source->upload(c, job, r->backend, &f->uploaded);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int prepare_set(vg_render *r, frame_set *set)
{
    const vg_job *job = r->job;
    int32_t w = job->info.width, h = job->info.height;
    needs n = job_needs(job);
    int rc = 0;
    for (int s = 0; s < (n.transition ? 2 : 1) && rc == 0; s++) {
        slot_frames *slot = &set->slots[s];
        rc = alloc_rgba(r, n.canvas, w, h, &slot->canvas);
        if (rc == 0)
            rc = alloc_rgba(r, n.warp, w, h, &slot->warped);
        if (rc == 0)
            rc = alloc_rgba(r, n.blur, w, h, &slot->blurred);
    }
    if (rc == 0)
        rc = alloc_rgba(r, n.transition, w, h, &set->mixed);
    if (rc == 0)
        rc = alloc_rgba(r, job->camera.key_count > 0, w, h, &set->zoomed);
    if (rc == 0)
        rc = alloc_rgba(r, job->blur_sigma > 0, w, h, &set->blurred);
    if (rc == 0)
        rc =
            vg_backend_frame_alloc(r->backend, VG_FORMAT_I420, w, h, &set->yuv);
    return rc;
}

static int prepare_frames(vg_render *r)
{
    int rc = 0;
    for (int i = 0; i < VG_RENDER_DEPTH && rc == 0; i++)
        rc = prepare_set(r, &r->sets[i]);
    r->cur = &r->sets[0];
    return rc;
}

int vg_render_create(const vg_job *job, vg_backend *backend, vg_render **out,
                     char *err, size_t err_size)
{
    *out = NULL;
    vg_render *r = calloc(1, sizeof *r);
    clip_frames *clips = r ? calloc(job->clip_count, sizeof *clips) : NULL;
    if (!clips) {
        free(r);
        snprintf(err, err_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    r->job = job;
    r->backend = backend;
    r->clips = clips;
    int rc = 0;
    if (job->blur_sigma > 0)
        rc = vg_blur_params_from_sigma(job->blur_sigma, &r->blur);
    if (rc == 0)
        rc = vg_color_params_init(job->info.matrix, job->info.range, &r->color);
    if (rc != 0) {
        snprintf(err, err_size, "invalid job parameters: %s", vg_strerror(rc));
        vg_render_destroy(&r);
        return rc;
    }
    rc = prepare_clips(r);
    if (rc == 0)
        rc = prepare_frames(r);
    if (rc != 0) {
        /* The backend's own words ("frame_alloc failed: frame alloc:
         * cudaErrorMemoryAllocation: out of memory") say which device ran
         * out and why; a bare code is all a host-side failure has. */
        const char *detail = vg_backend_last_error(backend);
        snprintf(err, err_size, "%s",
                 detail && detail[0] ? detail : vg_strerror(rc));
        vg_render_destroy(&r);
        return rc;
    }
    *out = r;
    return 0;
}

/* A failure that is the job's, not the backend's: another backend would
 * fail the same way. */
static int input_error(vg_render *r, int rc)
{
    r->input_failed = true;
    return rc;
}

/* The source of clip `ci` at its frame `local`, as an RGBA backend frame. */
static int render_source(vg_render *r, int slot, size_t ci, uint32_t local,
                         const vg_backend_frame **out)
{
    const vg_clip *c = &r->job->clips[ci];
    vg_source_frame_ctx ctx = {.backend = r->backend,
                               .job = r->job,
                               .set = r->set,
                               .canvas = r->cur->slots[slot].canvas,
                               .input_failed = &r->input_failed,
                               .error = r->error,
                               .error_size = sizeof r->error};
    return c->source->frame(c, r->clips[ci].uploaded, &ctx, local, out);
}

/* Warp `*current` through a camera pose into `dst`, unless that would copy
 * it unchanged. */
static int apply_camera(vg_render *r, const vg_camera_pose *pose,
                        int32_t source_w, int32_t source_h, vg_fit fit,
                        uint32_t background, vg_backend_frame *dst,
                        const vg_backend_frame **current)
{
    vg_warp_params warp;
    bool identity = false;
    int rc = vg_camera_warp(r->job, source_w, source_h, pose, fit, background,
                            &warp, &identity);
    if (rc != 0) {
        snprintf(r->error, sizeof r->error,
                 "the camera (zoom %g, rotate %g) maps outside the 16.16 "
                 "coordinate range",
                 pose->zoom, pose->rotate);
        return input_error(r, rc);
    }
    if (identity)
        return 0;
    rc = vg_backend_warp_affine(r->backend, dst, *current, &warp);
    *current = dst;
    return rc;
}

/* Clip `ci` at job frame `index`: source, camera, blur. */
static int render_clip(vg_render *r, int slot, size_t ci, uint32_t index,
                       const vg_backend_frame **out)
{
    const vg_clip *c = &r->job->clips[ci];
    uint32_t local = index - c->start;
    int rc = render_source(r, slot, ci, local, out);
    if (rc != 0)
        return rc;
    int32_t w, h;
    vg_clip_source_size(r->job, c, &w, &h);
    vg_camera_pose pose = vg_camera_pose_at(&c->camera, local);
    rc = apply_camera(r, &pose, w, h, c->fit, c->background,
                      r->cur->slots[slot].warped, out);
    if (rc == 0 && c->blur_sigma > 0) {
        rc = vg_backend_blur(r->backend, r->cur->slots[slot].blurred, *out,
                             &r->clips[ci].blur);
        *out = r->cur->slots[slot].blurred;
    }
    return rc;
}

static int render_transition(vg_render *r, const vg_frame_plan *plan,
                             uint32_t index, const vg_backend_frame **out)
{
    const vg_backend_frame *from = *out, *to = NULL;
    int rc = render_clip(r, 1, (size_t)plan->b, index, &to);
    if (rc != 0)
        return rc;
    const vg_transition *t = &r->job->clips[plan->b].transition;
    vg_blend_params p;
    bool swap_inputs = false;
    vg_transition_at(t->kind)->blend(t, plan->progress, r->job->info.width, &p,
                                     &swap_inputs);
    if (swap_inputs) {
        const vg_backend_frame *swap = from;
        from = to;
        to = swap;
    }
    rc = vg_backend_blend(r->backend, r->cur->mixed, from, to, &p);
    *out = r->cur->mixed;
    return rc;
}

static int render(vg_render *r, uint32_t index, const vg_image *out)
{
    const vg_job *job = r->job;
    vg_frame_plan plan = vg_job_plan_frame(job, index);
    const vg_backend_frame *current = NULL;
    int rc = render_clip(r, 0, plan.a, index, &current);
    if (rc == 0 && plan.b >= 0)
        rc = render_transition(r, &plan, index, &current);
    if (rc != 0)
        return rc;
    vg_camera_pose pose = vg_camera_pose_at(&job->camera, index);
    rc = apply_camera(r, &pose, job->info.width, job->info.height, VG_FIT_COVER,
                      0, r->cur->zoomed, &current);
    if (rc == 0 && job->blur_sigma > 0) {
        rc = vg_backend_blur(r->backend, r->cur->blurred, current, &r->blur);
        current = r->cur->blurred;
    }
    if (rc == 0)
        rc = vg_backend_rgba_to_i420(r->backend, r->cur->yuv, current,
                                     &r->color);
    if (rc == 0)
        rc = vg_backend_download_start(r->backend, r->cur->yuv, out);
    return rc;
}

static void begin_call(vg_render *r)
{
    r->error[0] = '\0';
    r->input_failed = false;
}

/* A failure of the backend: keep its message (an input failure has set
 * its own). */
static int backend_error(vg_render *r, int rc)
{
    if (rc != 0 && !r->input_failed)
        snprintf(r->error, sizeof r->error, "%s",
                 vg_backend_last_error(r->backend));
    return rc;
}

int vg_render_submit(vg_render *r, uint32_t index, const vg_image *out)
{
    begin_call(r);
    if (index >= r->job->info.frame_count) {
        snprintf(r->error, sizeof r->error,
                 "frame %u is past the job's %u frames", index,
                 r->job->info.frame_count);
        return input_error(r, VG_ERR_INVALID_ARGUMENT);
    }
    if (r->flight_count == VG_RENDER_DEPTH) {
        snprintf(r->error, sizeof r->error,
                 "frame %u: %d frames are already in flight; collect one "
                 "first",
                 index, VG_RENDER_DEPTH);
        return input_error(r, VG_ERR_INVALID_ARGUMENT);
    }
    int rc = render(r, index, out);
    if (rc != 0)
        return backend_error(r, rc);
    uint32_t at = (r->flight_first + r->flight_count) % VG_RENDER_DEPTH;
    r->flight_index[at] = index;
    r->flight_set[at] = r->set;
    r->flight_count++;
    /* The oldest set in flight is always the next one free: sets are used
     * in turn and collected in order. */
    r->set = (r->set + 1) % VG_RENDER_DEPTH;
    r->cur = &r->sets[r->set];
    return 0;
}

int vg_render_collect(vg_render *r, uint32_t *index)
{
    begin_call(r);
    if (r->flight_count == 0) {
        snprintf(r->error, sizeof r->error, "no frame is in flight");
        return input_error(r, VG_ERR_INVALID_ARGUMENT);
    }
    uint32_t at = r->flight_first;
    *index = r->flight_index[at];
    r->flight_first = (at + 1) % VG_RENDER_DEPTH;
    r->flight_count--;
    return backend_error(r, vg_backend_download_wait(
                                r->backend, r->sets[r->flight_set[at]].yuv));
}

uint32_t vg_render_in_flight(const vg_render *r)
{
    return r->flight_count;
}

int vg_render_frame(vg_render *r, uint32_t index, const vg_image *out)
{
    if (r->flight_count > 0) {
        begin_call(r);
        snprintf(r->error, sizeof r->error,
                 "frame %u: other frames are in flight; collect them first",
                 index);
        return input_error(r, VG_ERR_INVALID_ARGUMENT);
    }
    int rc = vg_render_submit(r, index, out);
    uint32_t collected;
    return rc != 0 ? rc : vg_render_collect(r, &collected);
}

const char *vg_render_last_error(const vg_render *r)
{
    return r->error;
}

bool vg_render_failed_on_input(const vg_render *r)
{
    return r->input_failed;
}

void vg_render_destroy(vg_render **render)
{
    if (!render || !*render)
        return;
    vg_render *r = *render;
    vg_backend *b = r->backend;
    for (size_t i = 0; r->clips && i < r->job->clip_count; i++)
        r->job->clips[i].source->release(b, &r->clips[i].uploaded);
    /* Frames still in flight are waited for as their frames are freed. */
    for (int i = 0; i < VG_RENDER_DEPTH; i++) {
        frame_set *set = &r->sets[i];
        for (int s = 0; s < 2; s++) {
            vg_backend_frame_free(b, &set->slots[s].canvas);
            vg_backend_frame_free(b, &set->slots[s].warped);
            vg_backend_frame_free(b, &set->slots[s].blurred);
        }
        vg_backend_frame **frames[] = {&set->mixed, &set->zoomed, &set->blurred,
                                       &set->yuv};
        for (size_t k = 0; k < sizeof frames / sizeof frames[0]; k++)
            vg_backend_frame_free(b, frames[k]);
    }
    free(r->clips);
    free(r);
    *render = NULL;
}

/*
 * render.c - render one frame of a job on a backend.
 *
 * All floating point (crossfade weight, zoom matrix, blur taps, colour
 * coefficients) is turned into integer parameters here, on the host, so
 * every backend computes the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "job_internal.h"
#include "vg/params.h"

struct vg_render {
    const vg_job *job;
    vg_backend *backend;
    vg_backend_frame *first, *second, *mixed, *zoomed, *blurred, *yuv;
    vg_blur_params blur;
    vg_color_params color;
};

int vg_render_create(const vg_job *job, vg_backend *backend, vg_render **out,
                     char *err, size_t err_size)
{
    *out = NULL;
    vg_render *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    r->job = job;
    r->backend = backend;
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
    int32_t w = job->info.width, h = job->info.height;
    vg_backend_frame **rgba[] = {&r->first, &r->second, &r->mixed, &r->zoomed,
                                 &r->blurred};
    for (size_t i = 0; i < sizeof rgba / sizeof rgba[0] && rc == 0; i++)
        rc = vg_backend_frame_alloc(backend, VG_FORMAT_RGBA8, w, h, rgba[i]);
    if (rc == 0)
        rc = vg_backend_frame_alloc(backend, VG_FORMAT_I420, w, h, &r->yuv);
    if (rc != 0) {
        snprintf(err, err_size, "%s", vg_backend_last_error(backend));
        vg_render_destroy(&r);
        return rc;
    }
    *out = r;
    return 0;
}

/* The source frame for `index`: the first pattern, the second, or their
 * crossfade. */
static int render_source(vg_render *r, uint32_t index,
                         const vg_backend_frame **out)
{
    const vg_job *job = r->job;
    bool before = index < job->fade_start;
    bool after = index >= job->fade_start + job->fade_frames;
    int rc = 0;
    if (!after) {
        vg_pattern_params p = {.kind = job->first, .frame_index = index};
        rc = vg_backend_fill_pattern(r->backend, r->first, &p);
        *out = r->first;
    }
    if (rc == 0 && !before) {
        vg_pattern_params p = {.kind = job->second, .frame_index = index};
        rc = vg_backend_fill_pattern(r->backend, r->second, &p);
        *out = r->second;
    }
    if (rc == 0 && !before && !after) {
        /* progress runs over (0, 1]: the fade's last frame is fully the
         * second source, the frame before the fade fully the first */
        double t = (double)(index - job->fade_start + 1) / job->fade_frames;
        vg_blend_params p = {.mode = VG_BLEND_CROSSFADE,
                             .weight = vg_crossfade_weight(t)};
        rc = vg_backend_blend(r->backend, r->mixed, r->first, r->second, &p);
        *out = r->mixed;
    }
    return rc;
}

int vg_render_frame(vg_render *r, uint32_t index, const vg_image *out)
{
    const vg_job *job = r->job;
    const vg_backend_frame *source = NULL;
    int rc = render_source(r, index, &source);
    if (rc != 0)
        return rc;

    int32_t w = job->info.width, h = job->info.height;
    double t = job->info.frame_count > 1
                   ? (double)index / (job->info.frame_count - 1)
                   : 0.0;
    double zoom = job->zoom_from + (job->zoom_to - job->zoom_from) * t;
    const vg_backend_frame *current = source;
    if (zoom != 1.0) {
        vg_affine map = vg_affine_camera(w, h, w, h, zoom, 0.0,
                                         (w - 1) / 2.0, (h - 1) / 2.0);
        vg_warp_params warp;
        rc = vg_warp_params_from_affine(&map, w, h, VG_EDGE_CLAMP, 0, &warp);
        if (rc == 0)
            rc = vg_backend_warp_affine(r->backend, r->zoomed, current, &warp);
        current = r->zoomed;
    }
    if (rc == 0 && job->blur_sigma > 0) {
        rc = vg_backend_blur(r->backend, r->blurred, current, &r->blur);
        current = r->blurred;
    }
    if (rc == 0)
        rc = vg_backend_rgba_to_i420(r->backend, r->yuv, current, &r->color);
    if (rc == 0)
        rc = vg_backend_download(r->backend, r->yuv, out);
    return rc;
}

void vg_render_destroy(vg_render **render)
{
    if (!render || !*render)
        return;
    vg_render *r = *render;
    vg_backend_frame **frames[] = {&r->first,  &r->second,  &r->mixed,
                                   &r->zoomed, &r->blurred, &r->yuv};
    for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
        vg_backend_frame_free(r->backend, frames[i]);
    free(r);
    *render = NULL;
}

/*
 * job_camera.c - a camera's pose at a frame, and the warp that shows a
 * source through it (docs/jobs.md, "Camera").  All of it is host-side
 * double math turned into 16.16 warp parameters once per frame, so every
 * backend samples the same points.
 */
#include <math.h>

#include "job/job_internal.h"

static const vg_camera_pose default_pose = {
    .zoom = 1.0, .x = 0.5, .y = 0.5, .rotate = 0.0};

static double mix(double a, double b, double t)
{
    return a + (b - a) * t;
}

vg_camera_pose vg_camera_pose_at(const vg_camera *camera, double position)
{
    if (camera->key_count == 0)
        return default_pose;
    const vg_camera_key *keys = camera->keys;
    if (position <= keys[0].position)
        return keys[0].pose;
    for (size_t k = 0; k + 1 < camera->key_count; k++) {
        if (position >= keys[k + 1].position)
            continue;
        /* keys[k].position <= position < keys[k + 1].position, so the
         * span is positive. */
        double t = (position - keys[k].position) /
                   (keys[k + 1].position - keys[k].position);
        double e = vg_ease(keys[k].easing, t);
        const vg_camera_pose *a = &keys[k].pose, *b = &keys[k + 1].pose;
        return (vg_camera_pose){.zoom = mix(a->zoom, b->zoom, e),
                                .x = mix(a->x, b->x, e),
                                .y = mix(a->y, b->y, e),
                                .rotate = mix(a->rotate, b->rotate, e)};
    }
    return keys[camera->key_count - 1].pose;
}

int vg_camera_warp(const vg_job *job, int32_t source_w, int32_t source_h,
                   const vg_camera_pose *pose, vg_fit fit, uint32_t background,
                   vg_warp_params *out, bool *identity)
{
    int32_t w = job->info.width, h = job->info.height;
    /* Zoom 1 fits the source to the output: "cover" scales it until it
     * fills the frame (the excess cropped), "contain" until all of it
     * shows (the rest is background). */
    double sx = (double)w / source_w, sy = (double)h / source_h;
    double scale = fit == VG_FIT_CONTAIN ? fmin(sx, sy) : fmax(sx, sy);
    /* (x, y) are shares of the picture's extent: 0 its left edge (pixel
     * 0's centre is at 0.5 / width), 1 its right edge. */
    double cx = pose->x * source_w - 0.5, cy = pose->y * source_h - 0.5;
    vg_affine map =
        vg_affine_camera(w, h, pose->zoom * scale, pose->rotate, cx, cy);
    *identity = source_w == w && source_h == h && map.m[0] == 1.0 &&
                map.m[1] == 0.0 && map.m[2] == 0.0 && map.m[3] == 0.0 &&
                map.m[4] == 1.0 && map.m[5] == 0.0;
    if (fit == VG_FIT_CONTAIN)
        return vg_warp_params_from_affine(&map, w, h, VG_EDGE_BORDER,
                                          background, out);
    return vg_warp_params_from_affine(&map, w, h, VG_EDGE_CLAMP, 0, out);
}

/*
 * job_check.c - what a loaded job will cost and whether every frame can be
 * rendered, decided before the first frame: a job that cannot finish is a
 * configuration error (exit 2 with the key at fault), not a failure
 * halfway through the output (exit 1).
 */
#include <math.h>
#include <stdio.h>

#include "common/diag.h"
#include "job/job_internal.h"
#include "job/source.h"
#include "vg/job.h"

/* Warp coordinates are 16.16 fixed point: a sampled point must stay within
 * this many pixels of the source's origin (vg/pixel_math.h). */
#define VG_WARP_REACH 32767.0

/* Mirrors what vg_render_create (render.c) allocates per backend, plus
 * what each clip's source holds and uploads (its kind's memory function)
 * and vgrun's output frame; when rendering allocates more, this must
 * follow. */
uint64_t vg_job_memory_estimate(const vg_job *job)
{
    int32_t w = job->info.width, h = job->info.height;
    uint64_t total = 0;
    bool transition = false;
    for (size_t i = 0; i < job->clip_count; i++) {
        const vg_clip *c = &job->clips[i];
        int32_t sw, sh;
        vg_clip_source_size(job, c, &sw, &sh);
        transition |= c->transition.frames > 0;
        total += c->source->memory(c, sw, sh);
    }
    /* Per slot (two during transitions): pattern, warped and blurred; then
     * mixed, zoomed and blurred job frames, the I420 result and the host
     * frame it is read back into. */
    total += (transition ? 2u : 1u) * 3u * vg_rgba_bytes(w, h);
    total += 3u * vg_rgba_bytes(w, h) + 2u * vg_i420_bytes(w, h);
    return total;
}

/* How far from the source's origin a camera pose can sample, whatever its
 * rotation: the frame's half diagonal seen through the zoom, around the
 * point it looks at. */
static double pose_reach(const vg_job *job, int32_t sw, int32_t sh, vg_fit fit,
                         const vg_camera_pose *pose, double *half_diagonal,
                         double *centre)
{
    int32_t w = job->info.width, h = job->info.height;
    double sx = (double)w / sw, sy = (double)h / sh;
    double scale = fit == VG_FIT_CONTAIN ? fmin(sx, sy) : fmax(sx, sy);
    double cx = fabs(pose->x * sw - 0.5), cy = fabs(pose->y * sh - 0.5);
    *centre = fmax(cx, cy);
    *half_diagonal = hypot((w - 1) / 2.0, (h - 1) / 2.0) / scale;
    return *centre + *half_diagonal / pose->zoom + 1.0;
}

static int check_camera(const vg_job *job, const vg_camera *camera, int32_t sw,
                        int32_t sh, vg_fit fit, char *problem, size_t size)
{
    /* Poses between keys mix two keys' zoom and centre, so their reach is
     * at most the larger of the two: checking the keys is enough. */
    for (size_t k = 0; k < camera->key_count; k++) {
        const vg_camera_pose *pose = &camera->keys[k].pose;
        double half_diagonal, centre;
        double reach =
            pose_reach(job, sw, sh, fit, pose, &half_diagonal, &centre);
        if (reach < VG_WARP_REACH)
            continue;
        double least = half_diagonal / (VG_WARP_REACH - 1.0 - centre);
        snprintf(problem, size,
                 "zoom %g is too far out for a %dx%d output of a %dx%d "
                 "source: the view would reach %.0f pixels from the picture "
                 "(at most %.0f); use a zoom of at least %.3g",
                 pose->zoom, job->info.width, job->info.height, sw, sh, reach,
                 VG_WARP_REACH, ceil(least * 1000.0) / 1000.0);
        return VG_ERR_CONFIG;
    }
    return 0;
}

int vg_job_check(const vg_job *job, const vg_limits *limits, const char *file,
                 const char *prefix, char *err, size_t err_size)
{
    char problem[512], item[64], path[VG_KEY_PATH_MAX];
    for (size_t i = 0; i < job->clip_count; i++) {
        const vg_clip *c = &job->clips[i];
        int32_t sw, sh;
        vg_clip_source_size(job, c, &sw, &sh);
        if (check_camera(job, &c->camera, sw, sh, c->fit, problem,
                         sizeof problem) != 0) {
            snprintf(item, sizeof item, "clips[%zu].camera", i);
            vg_key_path_join(path, sizeof path, prefix, item);
            vg_diag_errorf(err, err_size, file, c->line, c->column, path, "%s",
                           problem);
            return VG_ERR_CONFIG;
        }
    }
    if (check_camera(job, &job->camera, job->info.width, job->info.height,
                     VG_FIT_COVER, problem, sizeof problem) != 0) {
        vg_key_path_join(path, sizeof path, prefix, "camera");
        vg_diag_errorf(err, err_size, file, 0, 0, path, "%s", problem);
        return VG_ERR_CONFIG;
    }
    uint64_t need = vg_job_memory_estimate(job);
    if (need > limits->memory_budget_bytes) {
        vg_diag_errorf(err, err_size, file, 0, 0, prefix[0] ? prefix : NULL,
                       "the job needs about %llu MiB (its inputs and "
                       "frames), more than limits.memory_budget_bytes "
                       "(%llu MiB)",
                       (unsigned long long)(need >> 20),
                       (unsigned long long)(limits->memory_budget_bytes >> 20));
        return VG_ERR_CONFIG;
    }
    return 0;
}

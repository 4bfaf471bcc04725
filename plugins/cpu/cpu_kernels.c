/*
 * cpu_kernels.c - the kernel slots: split the destination's rows into bands
 * and run the selected ISA level's kernel on each band over the pool.
 *
 * Kernels are row-range functions (vg_reference.h), so a band is just
 * [y0, y1).  I420 bands start on even rows (one chroma row serves two luma
 * rows).  Blur uses one band per worker because every band filters its
 * 2 * radius neighbouring rows horizontally once more; the others use two
 * bands per worker so a worker slowed by another process holds no one up
 * (more would repeat per-band set-up, such as the warp's column tables).
 */
#include <stdlib.h>

#include "cpu_internal.h"

/* Smaller bands cost more in wake-ups than they gain in balance. */
#define CPU_MIN_BAND_ROWS 16
#define CPU_BANDS_PER_THREAD 2

typedef struct cpu_job {
    vg_backend_ctx *ctx;
    const vg_image *dst;
    const vg_image *src;
    const vg_image *src2;
    const void *params;
    int32_t bands;
    int32_t align; /* band starts are multiples of this */
} cpu_job;

static int32_t band_count(const vg_backend_ctx *ctx, int32_t height,
                          int32_t per_thread)
{
    int32_t bands = cpu_pool_threads(ctx->pool) * per_thread;
    int32_t most = height / CPU_MIN_BAND_ROWS;
    if (bands > most)
        bands = most;
    return bands < 1 ? 1 : bands;
}

static void band_rows(const cpu_job *job, int32_t band, int32_t *y0,
                      int32_t *y1)
{
    int32_t h = job->dst->height;
    int32_t a = job->align;
    *y0 = (int32_t)((int64_t)h * band / job->bands) / a * a;
    *y1 = band + 1 == job->bands
              ? h
              : (int32_t)((int64_t)h * (band + 1) / job->bands) / a * a;
}

static void run(cpu_job *job, int32_t per_thread, int32_t align, cpu_band_fn fn)
{
    job->bands = band_count(job->ctx, job->dst->height, per_thread);
    job->align = align;
    cpu_pool_run(job->ctx->pool, job->bands, fn, job);
}

static void pattern_band(void *arg, int32_t band, int32_t worker)
{
    const cpu_job *job = arg;
    int32_t y0, y1;
    (void)worker;
    band_rows(job, band, &y0, &y1);
    job->ctx->dsp.pattern(job->dst, job->params, y0, y1);
}

int cpu_fill_pattern(vg_backend_ctx *ctx, vg_frame *dst,
                     const vg_pattern_params *params)
{
    cpu_job job = {.ctx = ctx, .dst = &dst->image, .params = params};
    run(&job, CPU_BANDS_PER_THREAD, 1, pattern_band);
    return 0;
}

static void warp_band(void *arg, int32_t band, int32_t worker)
{
    const cpu_job *job = arg;
    int32_t y0, y1;
    (void)worker;
    band_rows(job, band, &y0, &y1);
    job->ctx->dsp.warp(job->dst, job->src, job->params, y0, y1);
}

int cpu_warp_affine(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                    const vg_warp_params *params)
{
    cpu_job job = {
        .ctx = ctx, .dst = &dst->image, .src = &src->image, .params = params};
    run(&job, CPU_BANDS_PER_THREAD, 1, warp_band);
    return 0;
}

static void blend_band(void *arg, int32_t band, int32_t worker)
{
    const cpu_job *job = arg;
    int32_t y0, y1;
    (void)worker;
    band_rows(job, band, &y0, &y1);
    job->ctx->dsp.blend(job->dst, job->src, job->src2, job->params, y0, y1);
}

int cpu_blend(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *a,
              const vg_frame *b, const vg_blend_params *params)
{
    cpu_job job = {.ctx = ctx,
                   .dst = &dst->image,
                   .src = &a->image,
                   .src2 = &b->image,
                   .params = params};
    run(&job, CPU_BANDS_PER_THREAD, 1, blend_band);
    return 0;
}

static void blur_band(void *arg, int32_t band, int32_t worker)
{
    const cpu_job *job = arg;
    int32_t y0, y1;
    band_rows(job, band, &y0, &y1);
    job->ctx->dsp.blur(job->dst, job->src, job->params, y0, y1,
                       job->ctx->blur_scratch[worker]);
}

/* Make every worker's scratch hold `need` bytes.  Allocates only when a
 * frame or radius larger than any before arrives. */
static int grow_blur_scratch(vg_backend_ctx *ctx, size_t need)
{
    if (need <= ctx->blur_scratch_size)
        return 0;
    size_t rounded = (need + 63) / 64 * 64;
    for (int32_t i = 0; i < cpu_pool_threads(ctx->pool); i++) {
        void *grown = aligned_alloc(64, rounded);
        if (!grown)
            return cpu_fail(ctx, VG_ERR_NO_MEMORY,
                            "cannot allocate %zu bytes of blur scratch",
                            rounded);
        free(ctx->blur_scratch[i]);
        ctx->blur_scratch[i] = grown;
    }
    ctx->blur_scratch_size = rounded;
    return 0;
}

int cpu_blur(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
             const vg_blur_params *params)
{
    cpu_job job = {
        .ctx = ctx, .dst = &dst->image, .src = &src->image, .params = params};
    int32_t h = dst->image.height;
    int32_t bands = band_count(ctx, h, 1);
    /* the tallest band: band_rows rounds both ends down */
    int32_t rows = h / bands + 1;
    if (rows > h)
        rows = h;
    size_t need = cpu_blur_scratch_size(dst->image.width, rows, params->radius);
    int rc = grow_blur_scratch(ctx, need);
    if (rc != 0)
        return rc;
    run(&job, 1, 1, blur_band);
    return 0;
}

static void rgba_to_i420_band(void *arg, int32_t band, int32_t worker)
{
    const cpu_job *job = arg;
    int32_t y0, y1;
    (void)worker;
    band_rows(job, band, &y0, &y1);
    job->ctx->dsp.rgba_to_i420(job->dst, job->src, job->params, y0, y1);
}

int cpu_rgba_to_i420(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                     const vg_color_params *params)
{
    cpu_job job = {
        .ctx = ctx, .dst = &dst->image, .src = &src->image, .params = params};
    run(&job, CPU_BANDS_PER_THREAD, 2, rgba_to_i420_band);
    return 0;
}

static void i420_to_rgba_band(void *arg, int32_t band, int32_t worker)
{
    const cpu_job *job = arg;
    int32_t y0, y1;
    (void)worker;
    band_rows(job, band, &y0, &y1);
    job->ctx->dsp.i420_to_rgba(job->dst, job->src, job->params, y0, y1);
}

int cpu_i420_to_rgba(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                     const vg_color_params *params)
{
    cpu_job job = {
        .ctx = ctx, .dst = &dst->image, .src = &src->image, .params = params};
    run(&job, CPU_BANDS_PER_THREAD, 2, i420_to_rgba_band);
    return 0;
}

/*
 * cpu_kernels.c - the kernel slots, and how one kernel call (an op) runs:
 * split into bands over the pool, or whole on the calling thread.
 *
 * Kernels are row-range functions (vg_reference.h), so a band is just
 * [y0, y1).  I420 bands start on even rows (one chroma row serves two luma
 * rows).  Blur uses one band per worker because every band filters its
 * 2 * radius neighbouring rows horizontally once more; the others use two
 * bands per worker so a worker slowed by another process holds no one up
 * (more would repeat per-band set-up, such as the warp's column tables).
 *
 * A slot hands its op to cpu_queue_op (cpu_frames.c): run now in bands,
 * or, with frames in flight, recorded and later run whole as part of its
 * frame on one thread.
 */
#include <stdlib.h>

#include "cpu_internal.h"

/* Smaller bands cost more in wake-ups than they gain in balance. */
#define CPU_MIN_BAND_ROWS 16
#define CPU_BANDS_PER_THREAD 2

typedef struct cpu_job {
    vg_plugin_ctx *ctx;
    const cpu_op *op;
    int32_t bands;
    int32_t align; /* band starts are multiples of this */
} cpu_job;

static int32_t band_count(const vg_plugin_ctx *ctx, int32_t height,
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
    int32_t h = job->op->dst->image.height;
    int32_t a = job->align;
    *y0 = (int32_t)((int64_t)h * band / job->bands) / a * a;
    *y1 = band + 1 == job->bands
              ? h
              : (int32_t)((int64_t)h * (band + 1) / job->bands) / a * a;
}

/* Rows [y0, y1) of op's destination. */
static void run_rows(const cpu_dsp *dsp, const cpu_op *op, int32_t y0,
                     int32_t y1, void *blur_scratch)
{
    const vg_image *dst = &op->dst->image;
    const vg_image *src = op->src ? &op->src->image : NULL;
    switch (op->kind) {
    case CPU_OP_PATTERN:
        dsp->pattern(dst, &op->p.pattern, y0, y1);
        break;
    case CPU_OP_WARP:
        dsp->warp(dst, src, &op->p.warp, y0, y1);
        break;
    case CPU_OP_BLEND:
        dsp->blend(dst, src, &op->src2->image, &op->p.blend, y0, y1);
        break;
    case CPU_OP_BLUR:
        dsp->blur(dst, src, &op->p.blur, y0, y1, blur_scratch);
        break;
    case CPU_OP_RGBA_TO_I420:
        dsp->rgba_to_i420(dst, src, &op->p.color, y0, y1);
        break;
    case CPU_OP_I420_TO_RGBA:
        dsp->i420_to_rgba(dst, src, &op->p.color, y0, y1);
        break;
    }
}

static void run_band(void *arg, int32_t band, int32_t worker)
{
    const cpu_job *job = arg;
    int32_t y0, y1;
    band_rows(job, band, &y0, &y1);
    run_rows(&job->ctx->dsp, job->op, y0, y1, job->ctx->blur_scratch[worker]);
}

/* Make every worker's scratch hold `need` bytes.  Allocates only when a
 * frame or radius larger than any before arrives. */
static int grow_blur_scratch(vg_plugin_ctx *ctx, size_t need)
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

int cpu_op_run_banded(vg_plugin_ctx *ctx, const cpu_op *op)
{
    cpu_job job = {.ctx = ctx, .op = op, .align = 1};
    int32_t per_thread = CPU_BANDS_PER_THREAD;
    int32_t h = op->dst->image.height;
    if (op->kind == CPU_OP_BLUR) {
        per_thread = 1;
        int32_t bands = band_count(ctx, h, 1);
        /* the tallest band: band_rows rounds both ends down */
        int32_t rows = h / bands + 1;
        if (rows > h)
            rows = h;
        int rc = grow_blur_scratch(
            ctx, cpu_blur_scratch_size(op->dst->image.width, rows,
                                       op->p.blur.radius));
        if (rc != 0)
            return rc;
    }
    if (op->kind == CPU_OP_RGBA_TO_I420 || op->kind == CPU_OP_I420_TO_RGBA)
        job.align = 2;
    job.bands = band_count(ctx, h, per_thread);
    cpu_pool_run(ctx->pool, job.bands, run_band, &job);
    return 0;
}

int cpu_op_run_whole(const cpu_dsp *dsp, const cpu_op *op, cpu_scratch *scratch)
{
    if (op->kind == CPU_OP_BLUR) {
        size_t need = cpu_blur_scratch_size(
            op->dst->image.width, op->dst->image.height, op->p.blur.radius);
        if (need > scratch->size) {
            size_t rounded = (need + 63) / 64 * 64;
            void *grown = aligned_alloc(64, rounded);
            if (!grown)
                return VG_ERR_NO_MEMORY;
            free(scratch->data);
            scratch->data = grown;
            scratch->size = rounded;
        }
    }
    run_rows(dsp, op, 0, op->dst->image.height, scratch->data);
    return 0;
}

int cpu_fill_pattern(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                     const vg_pattern_params *params)
{
    cpu_op op = {.kind = CPU_OP_PATTERN, .dst = dst, .p.pattern = *params};
    return cpu_queue_op(ctx, &op);
}

int cpu_warp_affine(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                    const vg_plugin_frame *src, const vg_warp_params *params)
{
    cpu_op op = {
        .kind = CPU_OP_WARP, .dst = dst, .src = src, .p.warp = *params};
    return cpu_queue_op(ctx, &op);
}

int cpu_blend(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
              const vg_plugin_frame *a, const vg_plugin_frame *b,
              const vg_blend_params *params)
{
    cpu_op op = {.kind = CPU_OP_BLEND,
                 .dst = dst,
                 .src = a,
                 .src2 = b,
                 .p.blend = *params};
    return cpu_queue_op(ctx, &op);
}

int cpu_blur(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
             const vg_plugin_frame *src, const vg_blur_params *params)
{
    cpu_op op = {
        .kind = CPU_OP_BLUR, .dst = dst, .src = src, .p.blur = *params};
    return cpu_queue_op(ctx, &op);
}

int cpu_rgba_to_i420(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                     const vg_plugin_frame *src, const vg_color_params *params)
{
    cpu_op op = {.kind = CPU_OP_RGBA_TO_I420,
                 .dst = dst,
                 .src = src,
                 .p.color = *params};
    return cpu_queue_op(ctx, &op);
}

int cpu_i420_to_rgba(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                     const vg_plugin_frame *src, const vg_color_params *params)
{
    cpu_op op = {.kind = CPU_OP_I420_TO_RGBA,
                 .dst = dst,
                 .src = src,
                 .p.color = *params};
    return cpu_queue_op(ctx, &op);
}

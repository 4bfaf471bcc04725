/*
 * cpu_kernels.c - the kernel slots: run the selected ISA level's functions
 * over the frame's rows.
 */
#include <stdlib.h>

#include "cpu_internal.h"

int cpu_fill_pattern(vg_backend_ctx *ctx, vg_frame *dst,
                     const vg_pattern_params *params)
{
    ctx->dsp.pattern(&dst->image, params, 0, dst->image.height);
    return 0;
}

int cpu_warp_affine(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                    const vg_warp_params *params)
{
    ctx->dsp.warp(&dst->image, &src->image, params, 0, dst->image.height);
    return 0;
}

int cpu_blend(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *a,
              const vg_frame *b, const vg_blend_params *params)
{
    ctx->dsp.blend(&dst->image, &a->image, &b->image, params, 0,
                   dst->image.height);
    return 0;
}

int cpu_blur(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
             const vg_blur_params *params)
{
    size_t need = vg_ref_blur_scratch_size(dst->image.width, dst->image.height,
                                           params->radius);
    if (need > ctx->blur_scratch_size) {
        void *grown = aligned_alloc(64, (need + 63) / 64 * 64);
        if (!grown)
            return cpu_fail(ctx, VG_ERR_NO_MEMORY,
                            "cannot allocate %zu bytes of blur scratch", need);
        free(ctx->blur_scratch);
        ctx->blur_scratch = grown;
        ctx->blur_scratch_size = need;
    }
    ctx->dsp.blur(&dst->image, &src->image, params, 0, dst->image.height,
                  ctx->blur_scratch);
    return 0;
}

int cpu_rgba_to_i420(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                     const vg_color_params *params)
{
    ctx->dsp.rgba_to_i420(&dst->image, &src->image, params, 0,
                          dst->image.height);
    return 0;
}

int cpu_i420_to_rgba(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                     const vg_color_params *params)
{
    ctx->dsp.i420_to_rgba(&dst->image, &src->image, params, 0,
                          dst->image.height);
    return 0;
}

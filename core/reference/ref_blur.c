/*
 * ref_blur.c - reference separable Gaussian blur.
 *
 * Two passes with the same Q14 taps, edges replicated.  The horizontal pass
 * filters every source row the destination rows [y0, y1) need, i.e. rows
 * [y0 - r, y1 + r) clamped to the frame, into the caller's scratch as 8.8
 * fixed point (uint16_t, 4 channels per pixel); the vertical pass then
 * filters those columns into the destination.  Keeping 8 fractional bits
 * between the passes is what bounds the error to 1 LSB
 * (docs/kernels.md).
 */
#include "vg/pixel_math.h"
#include "vg_reference.h"

size_t vg_ref_blur_scratch_size(int32_t width, int32_t rows, int32_t radius)
{
    return ((size_t)rows + 2 * (size_t)radius) * (size_t)width * 4 *
           sizeof(uint16_t);
}

static void blur_row_h(uint16_t *out, const uint8_t *in, int32_t width,
                       const vg_blur_params *params)
{
    const int32_t r = params->radius;

    for (int32_t x = 0; x < width; x++) {
        for (int c = 0; c < 4; c++) {
            int32_t sum = 0;
            for (int32_t k = 0; k <= 2 * r; k++) {
                int32_t sx = vg_pm_clamp_index(x + k - r, width);
                sum += params->taps[k] * in[4 * (size_t)sx + (size_t)c];
            }
            out[4 * (size_t)x + (size_t)c] = vg_pm_blur_h_round(sum);
        }
    }
}

VG_DECL_BLUR_FN(vg_ref_blur)
{
    const int32_t r = params->radius;
    const int32_t w = src->width, h = src->height;
    const size_t row_len = 4 * (size_t)w;
    /* the source rows the vertical pass reads, clamped to the frame */
    const int32_t first = vg_pm_clamp_index(y0 - r, h);
    const int32_t last = vg_pm_clamp_index(y1 - 1 + r, h);
    uint16_t *tmp = scratch;

    for (int32_t sy = first; sy <= last; sy++)
        blur_row_h(tmp + (size_t)(sy - first) * row_len,
                   src->data[0] + (size_t)sy * (size_t)src->stride[0], w,
                   params);

    for (int32_t y = y0; y < y1; y++) {
        uint8_t *out = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        for (size_t i = 0; i < row_len; i++) {
            int32_t sum = 0;
            for (int32_t k = 0; k <= 2 * r; k++) {
                int32_t sy = vg_pm_clamp_index(y + k - r, h);
                sum +=
                    params->taps[k] * tmp[(size_t)(sy - first) * row_len + i];
            }
            out[i] = vg_pm_blur_v_round(sum);
        }
    }
}

/*
 * ref_color.c - reference RGBA8 <-> I420 conversion.
 *
 * RGBA -> I420: Y per pixel; U and V per 2x2 block from the sums of its
 * four R, G, B samples (chroma sited at the block centre).  At an odd width
 * or height the last block replicates the last column or row, so every sum
 * has four samples.  Alpha is dropped.
 * I420 -> RGBA: chroma upsampled by nearest (pixel (x, y) uses chroma
 * (x/2, y/2)), alpha 255.
 * Rows are luma rows; y0 is even, y1 even or the height.
 */
#include "vg/pixel_math.h"
#include "vg_reference.h"

static void chroma_row(const vg_image *dst, const vg_image *src,
                       const vg_color_params *p, int32_t cy)
{
    const int32_t w = src->width;
    const uint8_t *row0 =
        src->data[0] + (size_t)(2 * cy) * (size_t)src->stride[0];
    const uint8_t *row1 =
        src->data[0] + (size_t)vg_pm_clamp_index(2 * cy + 1, src->height) *
                           (size_t)src->stride[0];
    uint8_t *u_out = dst->data[1] + (size_t)cy * (size_t)dst->stride[1];
    uint8_t *v_out = dst->data[2] + (size_t)cy * (size_t)dst->stride[2];

    for (int32_t cx = 0; cx < (w + 1) / 2; cx++) {
        size_t x0 = 4 * (size_t)(2 * cx);
        size_t x1 = 4 * (size_t)vg_pm_clamp_index(2 * cx + 1, w);
        int32_t s[3];
        for (int c = 0; c < 3; c++)
            s[c] = row0[x0 + (size_t)c] + row0[x1 + (size_t)c] +
                   row1[x0 + (size_t)c] + row1[x1 + (size_t)c];
        u_out[cx] =
            vg_pm_sums_to_chroma(s[0], s[1], s[2], p->u_r, p->u_g, p->u_b);
        v_out[cx] =
            vg_pm_sums_to_chroma(s[0], s[1], s[2], p->v_r, p->v_g, p->v_b);
    }
}

VG_DECL_RGBA_TO_I420_FN(vg_ref_rgba_to_i420)
{
    const vg_color_params *p = params;

    for (int32_t y = y0; y < y1; y++) {
        const uint8_t *in = src->data[0] + (size_t)y * (size_t)src->stride[0];
        uint8_t *out = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        for (int32_t x = 0; x < src->width; x++) {
            const uint8_t *px = in + 4 * (size_t)x;
            out[x] = vg_pm_rgb_to_y(px[0], px[1], px[2], p->y_r, p->y_g, p->y_b,
                                    p->y_offset);
        }
    }
    for (int32_t cy = y0 / 2; cy < (y1 + 1) / 2; cy++)
        chroma_row(dst, src, p, cy);
}

VG_DECL_I420_TO_RGBA_FN(vg_ref_i420_to_rgba)
{
    const vg_color_params *p = params;

    for (int32_t y = y0; y < y1; y++) {
        const uint8_t *yr = src->data[0] + (size_t)y * (size_t)src->stride[0];
        const uint8_t *ur =
            src->data[1] + (size_t)(y / 2) * (size_t)src->stride[1];
        const uint8_t *vr =
            src->data[2] + (size_t)(y / 2) * (size_t)src->stride[2];
        uint8_t *out = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        for (int32_t x = 0; x < dst->width; x++) {
            int32_t luma = vg_pm_luma_term(yr[x], p->y_scale, p->y_offset);
            uint8_t u = ur[x / 2], v = vr[x / 2];
            uint8_t *o = out + 4 * (size_t)x;
            o[0] = vg_pm_yuv_to_channel(luma, 0, u, p->r_v, v);
            o[1] = vg_pm_yuv_to_channel(luma, p->g_u, u, p->g_v, v);
            o[2] = vg_pm_yuv_to_channel(luma, p->b_u, u, 0, v);
            o[3] = 255;
        }
    }
}

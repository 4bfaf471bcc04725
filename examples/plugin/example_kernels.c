/*
 * example_kernels.c - the six kernels as plain loops.
 *
 * docs/kernels.md defines each kernel; vg/pixel_math.h holds its per-pixel
 * arithmetic, and calling it (never re-deriving the formulas) is what makes
 * these loops produce exactly the reference bytes.  The core has checked
 * formats, sizes and parameter ranges, so nothing is re-checked here.
 */
#include <stdlib.h>
#include <string.h>

#include "example.h"
#include "vg/pixel_math.h"

/* Pixel (x, y) of an RGBA8 image: four bytes R, G, B, A. */
static uint8_t *pixel(const vg_image *img, int32_t x, int32_t y)
{
    return img->data[0] + (size_t)y * (size_t)img->stride[0] + 4 * (size_t)x;
}

int example_fill_pattern(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_pattern_params *params)
{
    (void)ctx;
    const vg_image *img = &dst->image;
    for (int32_t y = 0; y < img->height; y++) {
        for (int32_t x = 0; x < img->width; x++) {
            uint32_t rgba = vg_pm_pattern(
                params->kind, (uint32_t)x, (uint32_t)y, (uint32_t)img->width,
                (uint32_t)img->height, params->frame_index, params->rgba);
            uint8_t *out = pixel(img, x, y);
            for (int c = 0; c < 4; c++)
                out[c] = vg_pm_channel(rgba, c);
        }
    }
    return 0;
}

/* A bilinear tap: a source pixel (edge-clamped), or the border colour when
 * the tap lies outside the source in border mode. */
static const uint8_t *warp_tap(const vg_image *src, const vg_warp_params *p,
                               const uint8_t border[4], int32_t tx, int32_t ty)
{
    if (p->edge == VG_EDGE_BORDER && (!vg_pm_index_inside(tx, src->width) ||
                                      !vg_pm_index_inside(ty, src->height)))
        return border;
    return pixel(src, vg_pm_clamp_index(tx, src->width),
                 vg_pm_clamp_index(ty, src->height));
}

int example_warp_affine(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                        const vg_plugin_frame *src,
                        const vg_warp_params *params)
{
    (void)ctx;
    const vg_image *out = &dst->image, *in = &src->image;
    uint8_t border[4];
    for (int c = 0; c < 4; c++)
        border[c] = vg_pm_channel(params->border_rgba, c);
    for (int32_t y = 0; y < out->height; y++) {
        for (int32_t x = 0; x < out->width; x++) {
            /* the 16.16 source point, rounded to 1/256 pixel */
            int32_t u = vg_pm_warp_coord(params->u0, params->du_dx,
                                         params->du_dy, x, y);
            int32_t v = vg_pm_warp_coord(params->v0, params->dv_dx,
                                         params->dv_dy, x, y);
            int32_t ix = vg_pm_coord_index(u), fx = vg_pm_coord_frac(u);
            int32_t iy = vg_pm_coord_index(v), fy = vg_pm_coord_frac(v);
            const uint8_t *p00 = warp_tap(in, params, border, ix, iy);
            const uint8_t *p01 = warp_tap(in, params, border, ix + 1, iy);
            const uint8_t *p10 = warp_tap(in, params, border, ix, iy + 1);
            const uint8_t *p11 = warp_tap(in, params, border, ix + 1, iy + 1);
            uint8_t *o = pixel(out, x, y);
            for (int c = 0; c < 4; c++)
                o[c] = vg_pm_bilinear(p00[c], p01[c], p10[c], p11[c], fx, fy);
        }
    }
    return 0;
}

int example_blend(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                  const vg_plugin_frame *a, const vg_plugin_frame *b,
                  const vg_blend_params *params)
{
    (void)ctx;
    const vg_image *out = &dst->image;
    for (int32_t y = 0; y < out->height; y++) {
        for (int32_t x = 0; x < out->width; x++) {
            const uint8_t *pa = pixel(&a->image, x, y);
            const uint8_t *pb = pixel(&b->image, x, y);
            uint8_t *o = pixel(out, x, y);
            if (params->mode == VG_BLEND_CROSSFADE) {
                for (int c = 0; c < 4; c++)
                    o[c] =
                        vg_pm_crossfade(pa[c], pb[c], (int32_t)params->weight);
            } else if (params->mode == VG_BLEND_ALPHA_OVER) {
                for (int c = 0; c < 3; c++)
                    o[c] = vg_pm_over_color(pa[c], pb[c], pa[3]);
                o[3] = vg_pm_over_alpha(pa[3], pb[3]);
            } else { /* VG_BLEND_WIPE */
                memcpy(o, vg_pm_wipe_takes_b(x, params->position) ? pb : pa, 4);
            }
        }
    }
    return 0;
}

/* Separable blur: every row filtered horizontally into 8.8 fixed point,
 * then every column of that filtered vertically.  Edges are replicated. */
int example_blur(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                 const vg_plugin_frame *src, const vg_blur_params *params)
{
    const vg_image *in = &src->image, *out = &dst->image;
    const int32_t w = in->width, h = in->height, r = params->radius;
    const size_t row_len = 4 * (size_t)w;
    uint16_t *tmp = malloc((size_t)h * row_len * sizeof *tmp);
    if (!tmp)
        return example_fail(ctx, VG_ERR_NO_MEMORY,
                            "blur: out of memory for a %dx%d intermediate",
                            (int)w, (int)h);
    for (int32_t y = 0; y < h; y++) {
        for (int32_t x = 0; x < w; x++) {
            for (int c = 0; c < 4; c++) {
                int32_t sum = 0;
                for (int32_t k = 0; k <= 2 * r; k++)
                    sum += params->taps[k] *
                           pixel(in, vg_pm_clamp_index(x + k - r, w), y)[c];
                tmp[(size_t)y * row_len + 4 * (size_t)x + (size_t)c] =
                    vg_pm_blur_h_round(sum);
            }
        }
    }
    for (int32_t y = 0; y < h; y++) {
        uint8_t *o = pixel(out, 0, y);
        for (size_t i = 0; i < row_len; i++) {
            int32_t sum = 0;
            for (int32_t k = 0; k <= 2 * r; k++)
                sum +=
                    params->taps[k] *
                    tmp[(size_t)vg_pm_clamp_index(y + k - r, h) * row_len + i];
            o[i] = vg_pm_blur_v_round(sum);
        }
    }
    free(tmp);
    return 0;
}

int example_rgba_to_i420(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_plugin_frame *src, const vg_color_params *p)
{
    (void)ctx;
    const vg_image *in = &src->image, *out = &dst->image;
    const int32_t w = in->width, h = in->height;
    for (int32_t y = 0; y < h; y++) {
        uint8_t *luma = out->data[0] + (size_t)y * (size_t)out->stride[0];
        for (int32_t x = 0; x < w; x++) {
            const uint8_t *px = pixel(in, x, y);
            luma[x] = vg_pm_rgb_to_y(px[0], px[1], px[2], p->y_r, p->y_g,
                                     p->y_b, p->y_offset);
        }
    }
    /* Chroma from the sums over each 2x2 block; on odd sizes the last row
     * or column is counted twice (clamped), as docs/kernels.md says. */
    for (int32_t cy = 0; cy < (h + 1) / 2; cy++) {
        int32_t y0 = 2 * cy, y1 = vg_pm_clamp_index(2 * cy + 1, h);
        uint8_t *u_row = out->data[1] + (size_t)cy * (size_t)out->stride[1];
        uint8_t *v_row = out->data[2] + (size_t)cy * (size_t)out->stride[2];
        for (int32_t cx = 0; cx < (w + 1) / 2; cx++) {
            int32_t x0 = 2 * cx, x1 = vg_pm_clamp_index(2 * cx + 1, w);
            int32_t s[3];
            for (int c = 0; c < 3; c++)
                s[c] = pixel(in, x0, y0)[c] + pixel(in, x1, y0)[c] +
                       pixel(in, x0, y1)[c] + pixel(in, x1, y1)[c];
            u_row[cx] =
                vg_pm_sums_to_chroma(s[0], s[1], s[2], p->u_r, p->u_g, p->u_b);
            v_row[cx] =
                vg_pm_sums_to_chroma(s[0], s[1], s[2], p->v_r, p->v_g, p->v_b);
        }
    }
    return 0;
}

int example_i420_to_rgba(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_plugin_frame *src, const vg_color_params *p)
{
    (void)ctx;
    const vg_image *in = &src->image, *out = &dst->image;
    for (int32_t y = 0; y < out->height; y++) {
        const uint8_t *luma = in->data[0] + (size_t)y * (size_t)in->stride[0];
        const uint8_t *u_row =
            in->data[1] + (size_t)(y / 2) * (size_t)in->stride[1];
        const uint8_t *v_row =
            in->data[2] + (size_t)(y / 2) * (size_t)in->stride[2];
        for (int32_t x = 0; x < out->width; x++) {
            int32_t term = vg_pm_luma_term(luma[x], p->y_scale, p->y_offset);
            uint8_t u = u_row[x / 2], v = v_row[x / 2];
            uint8_t *o = pixel(out, x, y);
            o[0] = vg_pm_yuv_to_channel(term, 0, u, p->r_v, v);
            o[1] = vg_pm_yuv_to_channel(term, p->g_u, u, p->g_v, v);
            o[2] = vg_pm_yuv_to_channel(term, p->b_u, u, 0, v);
            o[3] = 255;
        }
    }
    return 0;
}

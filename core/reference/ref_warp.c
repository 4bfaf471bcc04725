/*
 * ref_warp.c - reference affine warp with bilinear sampling.
 *
 * Destination pixel (x, y) samples the source at the 16.16 point
 * (u, v) = (u0 + x*du_dx + y*du_dy, v0 + x*dv_dx + y*dv_dy), rounded to
 * 1/256 pixel; the four taps around it are blended by vg_pm_bilinear.  A tap
 * outside the source is resolved on its own (edge clamp or border colour),
 * so a pixel half over the border fades into it.
 */
#include "vg/pixel_math.h"
#include "vg_reference.h"

/* The four bytes of tap (tx, ty): a source pixel, or `border` for a tap
 * outside the source in border mode. */
static const uint8_t *warp_tap(const vg_image *src, uint32_t edge,
                               const uint8_t *border, int32_t tx, int32_t ty)
{
    if (edge == VG_PM_EDGE_BORDER && (!vg_pm_index_inside(tx, src->width) ||
                                      !vg_pm_index_inside(ty, src->height)))
        return border;
    tx = vg_pm_clamp_index(tx, src->width);
    ty = vg_pm_clamp_index(ty, src->height);
    return src->data[0] + (size_t)ty * (size_t)src->stride[0] + 4 * (size_t)tx;
}

VG_DECL_WARP_FN(vg_ref_warp)
{
    const vg_warp_params *p = params;
    uint8_t border[4];

    for (int c = 0; c < 4; c++)
        border[c] = vg_pm_channel(p->border_rgba, c);

    for (int32_t y = y0; y < y1; y++) {
        uint8_t *row = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        for (int32_t x = 0; x < dst->width; x++) {
            int32_t u = vg_pm_warp_coord(p->u0, p->du_dx, p->du_dy, x, y);
            int32_t v = vg_pm_warp_coord(p->v0, p->dv_dx, p->dv_dy, x, y);
            int32_t ix = vg_pm_coord_index(u), fx = vg_pm_coord_frac(u);
            int32_t iy = vg_pm_coord_index(v), fy = vg_pm_coord_frac(v);
            const uint8_t *p00 = warp_tap(src, p->edge, border, ix, iy);
            const uint8_t *p01 = warp_tap(src, p->edge, border, ix + 1, iy);
            const uint8_t *p10 = warp_tap(src, p->edge, border, ix, iy + 1);
            const uint8_t *p11 = warp_tap(src, p->edge, border, ix + 1, iy + 1);
            for (int c = 0; c < 4; c++)
                row[4 * (size_t)x + (size_t)c] =
                    vg_pm_bilinear(p00[c], p01[c], p10[c], p11[c], fx, fy);
        }
    }
}

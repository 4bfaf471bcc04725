/*
 * warp.cl - affine warp with bilinear sampling (vg_ref_warp).
 *
 * Each of the four taps is resolved on its own, as the reference does: in
 * BORDER mode a tap outside the source is the border colour, otherwise the
 * nearest edge pixel, so a pixel half over the border fades into it.
 */
static uchar4 vg_warp_tap(global const uchar4 *src, int sw, int sh,
                          uint edge, uchar4 border, int tx, int ty)
{
    if (edge == VG_PM_EDGE_BORDER &&
        (!vg_pm_index_inside(tx, sw) || !vg_pm_index_inside(ty, sh)))
        return border;
    tx = vg_pm_clamp_index(tx, sw);
    ty = vg_pm_clamp_index(ty, sh);
    return src[(size_t)ty * (size_t)sw + (size_t)tx];
}

kernel void vg_warp(global uchar4 *dst, int width, int height,
                    global const uchar4 *src, int src_width, int src_height,
                    int u0, int v0, int du_dx, int du_dy, int dv_dx,
                    int dv_dy, uint edge, uint border_rgba)
{
    int x = (int)get_global_id(0);
    int y = (int)get_global_id(1);
    if (x >= width || y >= height)
        return;
    uchar4 border = (uchar4)(
        vg_pm_channel(border_rgba, 0), vg_pm_channel(border_rgba, 1),
        vg_pm_channel(border_rgba, 2), vg_pm_channel(border_rgba, 3));
    int u = vg_pm_warp_coord(u0, du_dx, du_dy, x, y);
    int v = vg_pm_warp_coord(v0, dv_dx, dv_dy, x, y);
    int ix = vg_pm_coord_index(u), fx = vg_pm_coord_frac(u);
    int iy = vg_pm_coord_index(v), fy = vg_pm_coord_frac(v);
    uchar4 p00 = vg_warp_tap(src, src_width, src_height, edge, border, ix, iy);
    uchar4 p01 =
        vg_warp_tap(src, src_width, src_height, edge, border, ix + 1, iy);
    uchar4 p10 =
        vg_warp_tap(src, src_width, src_height, edge, border, ix, iy + 1);
    uchar4 p11 =
        vg_warp_tap(src, src_width, src_height, edge, border, ix + 1, iy + 1);
    uchar4 out =
        (uchar4)(vg_pm_bilinear(p00.s0, p01.s0, p10.s0, p11.s0, fx, fy),
                 vg_pm_bilinear(p00.s1, p01.s1, p10.s1, p11.s1, fx, fy),
                 vg_pm_bilinear(p00.s2, p01.s2, p10.s2, p11.s2, fx, fy),
                 vg_pm_bilinear(p00.s3, p01.s3, p10.s3, p11.s3, fx, fy));
#ifdef VG_OCL_TEST_WRONG_FROM_X
    /* Test hook (opencl_program.c, VG_OPENCL_TEST_FORGE_CACHE): a forged
     * program, wrong only from this column on; never defined otherwise. */
    if (x >= VG_OCL_TEST_WRONG_FROM_X)
        out.s0 ^= (uchar)1;
#endif
    dst[(size_t)y * (size_t)width + (size_t)x] = out;
}

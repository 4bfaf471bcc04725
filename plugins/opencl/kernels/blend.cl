/*
 * blend.cl - crossfade, alpha-over and wipe (vg_ref_blend).
 */
kernel void vg_blend(global uchar4 *dst, int width, int height,
                     global const uchar4 *a, global const uchar4 *b,
                     uint mode, int weight, int position)
{
    int x = (int)get_global_id(0);
    int y = (int)get_global_id(1);
    if (x >= width || y >= height)
        return;
    size_t i = (size_t)y * (size_t)width + (size_t)x;
    uchar4 pa = a[i], pb = b[i];
    uchar4 out;
    if (mode == VG_PM_BLEND_CROSSFADE) {
        out = (uchar4)(vg_pm_crossfade(pa.s0, pb.s0, weight),
                       vg_pm_crossfade(pa.s1, pb.s1, weight),
                       vg_pm_crossfade(pa.s2, pb.s2, weight),
                       vg_pm_crossfade(pa.s3, pb.s3, weight));
    } else if (mode == VG_PM_BLEND_ALPHA_OVER) {
        out = (uchar4)(vg_pm_over_color(pa.s0, pb.s0, pa.s3),
                       vg_pm_over_color(pa.s1, pb.s1, pa.s3),
                       vg_pm_over_color(pa.s2, pb.s2, pa.s3),
                       vg_pm_over_alpha(pa.s3, pb.s3));
    } else {
        /* VG_PM_BLEND_WIPE; the core rejects other modes */
        out = vg_pm_wipe_takes_b(x, position) ? pb : pa;
    }
    dst[i] = out;
}

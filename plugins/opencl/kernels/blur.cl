/*
 * blur.cl - separable Gaussian blur in two passes (vg_ref_blur).
 *
 * vg_blur_h filters every row of the source into a device scratch buffer
 * holding the reference's 8.8 fixed-point intermediate (ushort4 per pixel);
 * vg_blur_v filters its columns into the destination.  Sums are int32 in
 * both passes, as in the reference; integer addition makes their order
 * irrelevant, so the bytes match whatever the loop order.  Edges are
 * replicated (clamped tap indices).
 */
kernel void vg_blur_h(global ushort4 *tmp, global const uchar4 *src,
                      int width, int height, constant short *taps,
                      int radius)
{
    int x = (int)get_global_id(0);
    int y = (int)get_global_id(1);
    if (x >= width || y >= height)
        return;
    global const uchar4 *row = src + (size_t)y * (size_t)width;
    int4 sum = (int4)(0);
    for (int k = 0; k <= 2 * radius; k++) {
        int sx = vg_pm_clamp_index(x + k - radius, width);
        sum += (int)taps[k] * convert_int4(row[sx]);
    }
    tmp[(size_t)y * (size_t)width + (size_t)x] =
        (ushort4)(vg_pm_blur_h_round(sum.s0), vg_pm_blur_h_round(sum.s1),
                  vg_pm_blur_h_round(sum.s2), vg_pm_blur_h_round(sum.s3));
}

kernel void vg_blur_v(global uchar4 *dst, global const ushort4 *tmp,
                      int width, int height, constant short *taps,
                      int radius)
{
    int x = (int)get_global_id(0);
    int y = (int)get_global_id(1);
    if (x >= width || y >= height)
        return;
    int4 sum = (int4)(0);
    for (int k = 0; k <= 2 * radius; k++) {
        int sy = vg_pm_clamp_index(y + k - radius, height);
        sum += (int)taps[k] *
               convert_int4(tmp[(size_t)sy * (size_t)width + (size_t)x]);
    }
    dst[(size_t)y * (size_t)width + (size_t)x] =
        (uchar4)(vg_pm_blur_v_round(sum.s0), vg_pm_blur_v_round(sum.s1),
                 vg_pm_blur_v_round(sum.s2), vg_pm_blur_v_round(sum.s3));
}

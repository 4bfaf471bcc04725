/*
 * blur.cl - separable Gaussian blur in two passes (vg_ref_blur).
 *
 * The frame is blurred in bands of rows, as vg_ref_blur's row ranges are:
 * for destination rows [y0, y1), vg_blur_h filters source rows
 * [first, first + rows) = [y0 - r, y1 + r) clamped to the frame into a
 * device scratch buffer holding the reference's 8.8 fixed-point
 * intermediate (ushort4 per pixel, scratch row j = source row first + j);
 * vg_blur_v then filters its columns into the destination.  Bands keep the
 * scratch small on wide frames; most frames are one band.  Sums are int32
 * in both passes, as in the reference; integer addition makes their order
 * irrelevant, so the bytes match whatever the loop order.  Edges are
 * replicated (clamped tap indices).
 */
kernel void vg_blur_h(global ushort4 *tmp, global const uchar4 *src,
                      int width, int first, int rows, constant short *taps,
                      int radius)
{
    int x = (int)get_global_id(0);
    int j = (int)get_global_id(1);
    if (x >= width || j >= rows)
        return;
    global const uchar4 *row = src + (size_t)(first + j) * (size_t)width;
    int4 sum = (int4)(0);
    for (int k = 0; k <= 2 * radius; k++) {
        int sx = vg_pm_clamp_index(x + k - radius, width);
        sum += (int)taps[k] * convert_int4(row[sx]);
    }
    tmp[(size_t)j * (size_t)width + (size_t)x] =
        (ushort4)(vg_pm_blur_h_round(sum.s0), vg_pm_blur_h_round(sum.s1),
                  vg_pm_blur_h_round(sum.s2), vg_pm_blur_h_round(sum.s3));
}

kernel void vg_blur_v(global uchar4 *dst, global const ushort4 *tmp,
                      int width, int height, int y0, int band, int first,
                      constant short *taps, int radius)
{
    int x = (int)get_global_id(0);
    int j = (int)get_global_id(1);
    if (x >= width || j >= band)
        return;
    int y = y0 + j;
    int4 sum = (int4)(0);
    for (int k = 0; k <= 2 * radius; k++) {
        int sy = vg_pm_clamp_index(y + k - radius, height);
        sum += (int)taps[k] * convert_int4(tmp[(size_t)(sy - first) *
                                                   (size_t)width +
                                               (size_t)x]);
    }
    dst[(size_t)y * (size_t)width + (size_t)x] =
        (uchar4)(vg_pm_blur_v_round(sum.s0), vg_pm_blur_v_round(sum.s1),
                 vg_pm_blur_v_round(sum.s2), vg_pm_blur_v_round(sum.s3));
}

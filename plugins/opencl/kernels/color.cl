/*
 * color.cl - RGBA8 <-> I420 (vg_ref_rgba_to_i420, vg_ref_i420_to_rgba).
 *
 * An I420 frame is one buffer: the Y plane (width bytes per row), then U
 * and V at u_offset and v_offset ((width + 1) / 2 bytes per row).
 *
 * RGBA -> I420 runs one work-item per 2x2 block: it writes the block's up
 * to four Y samples and its U and V, the chroma from the sums of the four
 * R, G, B samples with the last column / row replicated at odd sizes.
 */
kernel void vg_rgba_to_i420(global uchar *yuv, uint u_offset, uint v_offset,
                            global const uchar4 *src, int width, int height,
                            int y_offset, int y_r, int y_g, int y_b, int u_r,
                            int u_g, int u_b, int v_r, int v_g, int v_b)
{
    int cx = (int)get_global_id(0);
    int cy = (int)get_global_id(1);
    int cw = (width + 1) / 2;
    if (cx >= cw || cy >= (height + 1) / 2)
        return;
    int x0 = 2 * cx, y0 = 2 * cy;
    int x1 = vg_pm_clamp_index(x0 + 1, width);
    int y1 = vg_pm_clamp_index(y0 + 1, height);
    uchar4 p00 = src[(size_t)y0 * (size_t)width + (size_t)x0];
    uchar4 p01 = src[(size_t)y0 * (size_t)width + (size_t)x1];
    uchar4 p10 = src[(size_t)y1 * (size_t)width + (size_t)x0];
    uchar4 p11 = src[(size_t)y1 * (size_t)width + (size_t)x1];

    /* Y of the block's real pixels only: a replicated column or row is
     * read for the chroma sums but never written. */
    global uchar *row0 = yuv + (size_t)y0 * (size_t)width;
    global uchar *row1 = yuv + (size_t)y1 * (size_t)width;
    row0[x0] = vg_pm_rgb_to_y(p00.s0, p00.s1, p00.s2, y_r, y_g, y_b, y_offset);
    if (x1 != x0)
        row0[x1] =
            vg_pm_rgb_to_y(p01.s0, p01.s1, p01.s2, y_r, y_g, y_b, y_offset);
    if (y1 != y0) {
        row1[x0] =
            vg_pm_rgb_to_y(p10.s0, p10.s1, p10.s2, y_r, y_g, y_b, y_offset);
        if (x1 != x0)
            row1[x1] = vg_pm_rgb_to_y(p11.s0, p11.s1, p11.s2, y_r, y_g, y_b,
                                      y_offset);
    }

    int4 s = convert_int4(p00) + convert_int4(p01) + convert_int4(p10) +
             convert_int4(p11);
    size_t c = (size_t)cy * (size_t)cw + (size_t)cx;
    yuv[u_offset + c] = vg_pm_sums_to_chroma(s.s0, s.s1, s.s2, u_r, u_g, u_b);
    yuv[v_offset + c] = vg_pm_sums_to_chroma(s.s0, s.s1, s.s2, v_r, v_g, v_b);
}

/* I420 -> RGBA: one work-item per pixel, chroma upsampled by nearest
 * ((x / 2, y / 2)), alpha 255. */
kernel void vg_i420_to_rgba(global uchar4 *dst, global const uchar *yuv,
                            uint u_offset, uint v_offset, int width,
                            int height, int y_offset, int y_scale, int r_v,
                            int g_u, int g_v, int b_u)
{
    int x = (int)get_global_id(0);
    int y = (int)get_global_id(1);
    if (x >= width || y >= height)
        return;
    int cw = (width + 1) / 2;
    size_t c = (size_t)(y / 2) * (size_t)cw + (size_t)(x / 2);
    uchar u = yuv[u_offset + c], v = yuv[v_offset + c];
    int luma = vg_pm_luma_term(yuv[(size_t)y * (size_t)width + (size_t)x],
                               y_scale, y_offset);
    dst[(size_t)y * (size_t)width + (size_t)x] =
        (uchar4)(vg_pm_yuv_to_channel(luma, 0, u, r_v, v),
                 vg_pm_yuv_to_channel(luma, g_u, u, g_v, v),
                 vg_pm_yuv_to_channel(luma, b_u, u, 0, v), 255);
}

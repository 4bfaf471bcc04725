/*
 * pattern.cl - procedural pattern source (vg_ref_pattern's per-pixel math).
 *
 * One work-item per pixel; the launch covers the frame rounded up to whole
 * work-groups, so items outside the frame return at once.  Frames are
 * packed RGBA8: uchar4 s0..s3 are R, G, B, A at increasing addresses, the
 * memory order of vg's RGBA8.
 */
kernel void vg_pattern(global uchar4 *dst, int width, int height, uint kind,
                       uint frame, uint rgba)
{
    int x = (int)get_global_id(0);
    int y = (int)get_global_id(1);
    if (x >= width || y >= height)
        return;
    uint v = vg_pm_pattern(kind, (uint)x, (uint)y, (uint)width, (uint)height,
                           frame, rgba);
    dst[(size_t)y * (size_t)width + (size_t)x] =
        (uchar4)(vg_pm_channel(v, 0), vg_pm_channel(v, 1),
                 vg_pm_channel(v, 2), vg_pm_channel(v, 3));
}

/*
 * ref_pattern.c - reference procedural pattern source.
 *
 * Each pixel is vg_pm_pattern() of its coordinates and the frame index, so
 * the source is a pure function of (x, y, size, frame) on every backend.
 */
#include "vg/pixel_math.h"
#include "vg_reference.h"

VG_DECL_PATTERN_FN(vg_ref_pattern)
{
    const uint32_t w = (uint32_t)dst->width;
    const uint32_t h = (uint32_t)dst->height;

    for (int32_t y = y0; y < y1; y++) {
        uint8_t *row = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        for (uint32_t x = 0; x < w; x++) {
            uint32_t rgba = vg_pm_pattern(params->kind, x, (uint32_t)y, w, h,
                                          params->frame_index, params->rgba);
            for (int c = 0; c < 4; c++)
                row[4 * x + (uint32_t)c] = vg_pm_channel(rgba, c);
        }
    }
}

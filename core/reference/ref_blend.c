/*
 * ref_blend.c - reference crossfade, alpha-over and wipe.
 *
 * a and b have the destination's size.  ALPHA_OVER composites a (straight
 * alpha) over b; CROSSFADE weighs b by weight/256; WIPE shows b left of
 * `position` and a from it on.
 */
#include <string.h>

#include "vg/pixel_math.h"
#include "vg_reference.h"

static void blend_row(uint8_t *out, const uint8_t *a, const uint8_t *b,
                      const vg_blend_params *params, int32_t width)
{
    for (int32_t x = 0; x < width; x++) {
        uint8_t *o = out + 4 * (size_t)x;
        const uint8_t *pa = a + 4 * (size_t)x;
        const uint8_t *pb = b + 4 * (size_t)x;
        switch (params->mode) {
        case VG_PM_BLEND_CROSSFADE:
            for (int c = 0; c < 4; c++)
                o[c] = vg_pm_crossfade(pa[c], pb[c], (int32_t)params->weight);
            break;
        case VG_PM_BLEND_ALPHA_OVER:
            for (int c = 0; c < 3; c++)
                o[c] = vg_pm_over_color(pa[c], pb[c], pa[3]);
            o[3] = vg_pm_over_alpha(pa[3], pb[3]);
            break;
        default: /* VG_PM_BLEND_WIPE; the core rejects other modes */
            memcpy(o, vg_pm_wipe_takes_b(x, params->position) ? pb : pa, 4);
            break;
        }
    }
}

VG_DECL_BLEND_FN(vg_ref_blend)
{
    for (int32_t y = y0; y < y1; y++) {
        size_t ya = (size_t)y;
        blend_row(dst->data[0] + ya * (size_t)dst->stride[0],
                  a->data[0] + ya * (size_t)a->stride[0],
                  b->data[0] + ya * (size_t)b->stride[0], params, dst->width);
    }
}

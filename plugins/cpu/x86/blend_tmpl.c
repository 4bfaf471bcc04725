/*
 * blend_tmpl.c - crossfade, alpha-over and wipe at one vector width.
 *
 * Included by x86/isa_*.c (see x86/vec.h).  The arithmetic is
 * vg/pixel_math.h's, rearranged so it stays exact in 16-bit lanes; the
 * scalar tails call pixel_math.h itself.
 */
#include <string.h>

#include "vg/pixel_math.h"

/* a * (256 - w) + b * w with w in 1..255 as one pmaddubsw: the weights are
 * unsigned bytes and the pixels are biased to signed bytes (p - 128), so
 * the pair sum is the exact result minus 128 * 256, in -32768..32512,
 * which never saturates.  Adding 128 * 256 + 128 back in 16-bit unsigned
 * arithmetic gives the exact sum plus the rounding constant (at most
 * 65408), and >> 8 finishes vg_pm_crossfade.  w = 0 and 256 are copies. */
static void crossfade_row(uint8_t *out, const uint8_t *a, const uint8_t *b,
                          size_t bytes, int32_t w)
{
    if (w == 0 || w == 256) {
        memcpy(out, w == 0 ? a : b, bytes);
        return;
    }
    const vec weights = v_set1_16((w << 8) | (256 - w));
    const vec sign = v_set1_8(0x80);
    const vec unbias = v_set1_16(128 * 256 + 128);
    size_t i = 0;
    for (; i + V_BYTES <= bytes; i += V_BYTES) {
        vec va = v_xor(v_load(a + i), sign);
        vec vb = v_xor(v_load(b + i), sign);
        vec lo = v_maddubs(weights, v_unpacklo8(va, vb));
        vec hi = v_maddubs(weights, v_unpackhi8(va, vb));
        lo = v_srli16(v_add16(lo, unbias), 8);
        hi = v_srli16(v_add16(hi, unbias), 8);
        v_store(out + i, v_packus16(lo, hi));
    }
    for (; i < bytes; i++)
        out[i] = vg_pm_crossfade(a[i], b[i], w);
}

/* Alpha-over of one half vector (words R G B A R G B A ...):
 * div255(fa * al + cb * (255 - al)) for every channel, where fa is a's
 * colour and 255 for its alpha channel: div255(255 * al + bl * (255 - al))
 * = al + div255(bl * (255 - al)) exactly, which is vg_pm_over_alpha, so
 * all four channels share one formula.  Every product and sum stays below
 * 65536 (255 * 255 + 128 + 254). */
static vec over_words(vec fa, vec cb, vec spread_alpha)
{
    const vec c255 = v_set1_16(255), c128 = v_set1_16(128);
    vec al = v_shuffle8(fa, spread_alpha);
    vec t = v_add16(v_mullo16(v_blend16(fa, c255, 0x88), al),
                    v_mullo16(cb, v_sub16(c255, al)));
    t = v_add16(t, c128);
    return v_srli16(v_add16(t, v_srli16(t, 8)), 8);
}

static void over_row(uint8_t *out, const uint8_t *a, const uint8_t *b,
                     int32_t width)
{
    static const uint8_t spread[16] = {6,  7,  6,  7,  6,  7,  6,  7,
                                       14, 15, 14, 15, 14, 15, 14, 15};
    const vec spread_alpha = v_lanes16(spread);
    const vec z = v_zero();
    int32_t x = 0;
    for (; x + V_N32 <= width; x += V_N32) {
        vec va = v_load(a + 4 * (size_t)x), vb = v_load(b + 4 * (size_t)x);
        vec lo =
            over_words(v_unpacklo8(va, z), v_unpacklo8(vb, z), spread_alpha);
        vec hi =
            over_words(v_unpackhi8(va, z), v_unpackhi8(vb, z), spread_alpha);
        v_store(out + 4 * (size_t)x, v_packus16(lo, hi));
    }
    for (; x < width; x++) {
        const uint8_t *pa = a + 4 * (size_t)x, *pb = b + 4 * (size_t)x;
        uint8_t *o = out + 4 * (size_t)x;
        for (int c = 0; c < 3; c++)
            o[c] = vg_pm_over_color(pa[c], pb[c], pa[3]);
        o[3] = vg_pm_over_alpha(pa[3], pb[3]);
    }
}

/* Columns left of `position` from b, the rest from a. */
static void wipe_row(uint8_t *out, const uint8_t *a, const uint8_t *b,
                     int32_t width, int32_t position)
{
    size_t split = 4 * (size_t)(position < width ? position : width);
    memcpy(out, b, split);
    memcpy(out + split, a + split, 4 * (size_t)width - split);
}

VG_DECL_BLEND_FN(CPU_FN(cpu_blend))
{
    const int32_t w = dst->width;
    for (int32_t y = y0; y < y1; y++) {
        size_t yy = (size_t)y;
        uint8_t *out = dst->data[0] + yy * (size_t)dst->stride[0];
        const uint8_t *pa = a->data[0] + yy * (size_t)a->stride[0];
        const uint8_t *pb = b->data[0] + yy * (size_t)b->stride[0];
        switch (params->mode) {
        case VG_PM_BLEND_CROSSFADE:
            crossfade_row(out, pa, pb, 4 * (size_t)w, (int32_t)params->weight);
            break;
        case VG_PM_BLEND_ALPHA_OVER:
            over_row(out, pa, pb, w);
            break;
        default: /* VG_PM_BLEND_WIPE; the core rejects other modes */
            wipe_row(out, pa, pb, w, params->position);
            break;
        }
    }
}

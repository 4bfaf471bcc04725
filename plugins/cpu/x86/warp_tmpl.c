/*
 * warp_tmpl.c - affine warp with bilinear sampling at one vector width.
 *
 * Included by x86/isa_*.c (see x86/vec.h).  The bilinear sum of
 * vg_pm_bilinear is exact before its final rounding:
 *     out = (sum_ij p_ij * wx_i * wy_j + 32768) >> 16
 * so it may be evaluated in any order that stays exact.  Two paths:
 *
 *  - axis-aligned maps (no rotation: resize, pan, zoom), the common case:
 *    per row, the two source rows are first blended vertically over the
 *    columns the row needs (one pmaddubsw per 2 x 8 bytes, 16-bit exact),
 *    then each destination pixel blends two of those columns with one
 *    pmaddwd.  Column positions and weights depend only on x, so they are
 *    computed once per band for a chunk of columns.
 *  - any other map: per pixel, both taps of both rows in one 128-bit
 *    register, horizontally then vertically with pmaddwd.
 * Pixels whose taps leave the source (edge clamp or border colour) take
 * the reference's scalar path, tap by tap.
 */
#include <string.h>

#include "vg/pixel_math.h"

/* Destination columns per chunk of the axis-aligned path, and the largest
 * horizontal step it takes (4 source pixels per destination pixel), which
 * bounds the source columns one chunk reads. */
#define WARP_CHUNK 512
#define WARP_MAX_STEP (4 << 16)
#define WARP_SPAN (WARP_CHUNK * 4 + 2)

/* The reference's tap: a source pixel, or the border colour. */
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

/* One pixel whose four taps lie inside the source: the top-left tap at s.
 * Both rows' pixel pairs are spread to R R G G B B A A words, blended
 * horizontally (pmaddwd), biased by -32768 to fit int16 and interleaved
 * top/bottom, then blended vertically; the bias comes back as
 * 32768 * 256. */
static inline uint32_t warp_inside(const uint8_t *s, size_t stride,
                                   int32_t fx, int32_t fy)
{
#define Z (char)0x80
    const __m128i top_words =
        _mm_setr_epi8(0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z);
    const __m128i bot_words =
        _mm_setr_epi8(8, Z, 12, Z, 9, Z, 13, Z, 10, Z, 14, Z, 11, Z, 15, Z);
#undef Z
    __m128i taps = _mm_unpacklo_epi64(
        _mm_loadl_epi64((const __m128i *)s),
        _mm_loadl_epi64((const __m128i *)(s + stride)));
    __m128i wx = _mm_set1_epi32((256 - fx) | fx << 16);
    __m128i wy = _mm_set1_epi32((256 - fy) | fy << 16);
    __m128i bias = _mm_set1_epi32(32768);
    __m128i top = _mm_sub_epi32(
        _mm_madd_epi16(_mm_shuffle_epi8(taps, top_words), wx), bias);
    __m128i bot = _mm_sub_epi32(
        _mm_madd_epi16(_mm_shuffle_epi8(taps, bot_words), wx), bias);
    __m128i sum = _mm_madd_epi16(
        _mm_blend_epi16(top, _mm_slli_epi32(bot, 16), 0xaa), wy);
    sum = _mm_srai_epi32(
        _mm_add_epi32(sum, _mm_set1_epi32(32768 * 256 + 32768)), 16);
    sum = _mm_packus_epi16(_mm_packs_epi32(sum, sum), sum);
    return (uint32_t)_mm_cvtsi128_si32(sum);
}

/* One destination pixel at 16.16 source position (u, v), any position. */
static void warp_pixel(uint8_t *o, const vg_image *src,
                       const vg_warp_params *p, const uint8_t *border,
                       int32_t u, int32_t v)
{
    int32_t ix = vg_pm_coord_index(u), fx = vg_pm_coord_frac(u);
    int32_t iy = vg_pm_coord_index(v), fy = vg_pm_coord_frac(v);
    if (ix >= 0 && ix < src->width - 1 && iy >= 0 && iy < src->height - 1) {
        const uint8_t *s = src->data[0] + (size_t)iy * (size_t)src->stride[0] +
                           4 * (size_t)ix;
        uint32_t px = warp_inside(s, (size_t)src->stride[0], fx, fy);
        memcpy(o, &px, 4);
        return;
    }
    const uint8_t *p00 = warp_tap(src, p->edge, border, ix, iy);
    const uint8_t *p01 = warp_tap(src, p->edge, border, ix + 1, iy);
    const uint8_t *p10 = warp_tap(src, p->edge, border, ix, iy + 1);
    const uint8_t *p11 = warp_tap(src, p->edge, border, ix + 1, iy + 1);
    for (int c = 0; c < 4; c++)
        o[c] = vg_pm_bilinear(p00[c], p01[c], p10[c], p11[c], fx, fy);
}

/* Columns [x0, x1) of row y, pixel by pixel.  Coordinates advance in
 * uint32 arithmetic: wrapping is harmless because the core guarantees
 * every true coordinate fits int32. */
static void warp_span_generic(uint8_t *row, const vg_image *src,
                              const vg_warp_params *p, const uint8_t *border,
                              int32_t y, int32_t x0, int32_t x1)
{
    uint32_t u = (uint32_t)vg_pm_warp_coord(p->u0, p->du_dx, p->du_dy, x0, y);
    uint32_t v = (uint32_t)vg_pm_warp_coord(p->v0, p->dv_dx, p->dv_dy, x0, y);
    for (int32_t x = x0; x < x1; x++) {
        warp_pixel(row + 4 * (size_t)x, src, p, border, (int32_t)u,
                   (int32_t)v);
        u += (uint32_t)p->du_dx;
        v += (uint32_t)p->dv_dx;
    }
}

/* The columns of one chunk: source column (as a byte offset into the
 * vertically blended span) and weights, for the chunk's interior columns
 * [first, last), those whose two taps lie inside the source. */
typedef struct warp_columns {
    int32_t first, last; /* interior destination columns */
    int32_t span_lo;     /* first source column of the span */
    int32_t span_count;  /* source columns the interior reads */
    int32_t offset[WARP_CHUNK];
    uint8_t weights[WARP_CHUNK][16]; /* (256 - fx, fx) four times */
} warp_columns;

static void warp_columns_init(warp_columns *c, const vg_image *src,
                              const vg_warp_params *p, int32_t x0,
                              int32_t x1)
{
    c->first = x1;
    c->last = x0;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (int32_t x = x0; x < x1; x++) {
        int32_t ix = vg_pm_coord_index(vg_pm_warp_coord(p->u0, p->du_dx, 0,
                                                        x, 0));
        if (ix < 0 || ix >= src->width - 1)
            continue;
        if (c->first == x1)
            c->first = x;
        c->last = x + 1;
        lo = ix < lo ? ix : lo;
        hi = ix > hi ? ix : hi;
    }
    if (c->first >= c->last)
        return;
    c->span_lo = lo;
    c->span_count = hi + 2 - lo;
    for (int32_t x = c->first; x < c->last; x++) {
        int32_t u = vg_pm_warp_coord(p->u0, p->du_dx, 0, x, 0);
        int32_t fx = vg_pm_coord_frac(u);
        uint32_t w = (uint32_t)(256 - fx) | (uint32_t)fx << 16;
        c->offset[x - x0] = 8 * (vg_pm_coord_index(u) - lo);
        for (int k = 0; k < 4; k++)
            memcpy(&c->weights[x - x0][4 * k], &w, 4);
    }
}

/* Source columns [0, count) of rows r0, r1 blended vertically into int16
 * words (4 per pixel), biased by -32768: (256 - fy) * (p0 - 128) +
 * fy * (p1 - 128) is exactly p0 * (256 - fy) + p1 * fy - 32768, one
 * pmaddubsw when fy > 0 (weights then fit unsigned bytes). */
static void warp_vertical(int16_t *out, const uint8_t *r0, const uint8_t *r1,
                          int32_t count, int32_t fy)
{
    const vec sign = v_set1_8(0x80);
    const vec weights = v_set1_16(fy << 8 | (256 - fy));
    const vec z = v_zero();
    const size_t bytes = 4 * (size_t)count;
    size_t i = 0;
    for (; i + V_BYTES <= bytes; i += V_BYTES) {
        vec a = v_xor(v_load(r0 + i), sign), lo, hi;
        if (fy == 0) {
            lo = v_unpacklo8(z, a);
            hi = v_unpackhi8(z, a);
        } else {
            vec b = v_xor(v_load(r1 + i), sign);
            lo = v_maddubs(weights, v_unpacklo8(a, b));
            hi = v_maddubs(weights, v_unpackhi8(a, b));
        }
        vec first, second;
        v_fix_unpack(lo, hi, &first, &second);
        v_store(out + i, first);
        v_store(out + i + V_BYTES / 2, second);
    }
    for (; i < bytes; i++)
        out[i] = (int16_t)(r0[i] * (256 - fy) + r1[i] * fy - 32768);
}

/* V_LANES 16-byte entries at base + offset[k], one per lane. */
V_FN vec gather_lanes(const int16_t *base, const int32_t *offset)
{
    const uint8_t *b = (const uint8_t *)base;
#if VEC_BITS == 128
    return _mm_loadu_si128((const __m128i *)(b + offset[0]));
#elif VEC_BITS == 256
    return _mm256_loadu2_m128i((const __m128i *)(b + offset[1]),
                               (const __m128i *)(b + offset[0]));
#else
    __m512i v = _mm512_castsi128_si512(
        _mm_loadu_si128((const __m128i *)(b + offset[0])));
    v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(b + offset[1])),
                           1);
    v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(b + offset[2])),
                           2);
    return _mm512_inserti32x4(
        v, _mm_loadu_si128((const __m128i *)(b + offset[3])), 3);
#endif
}

/* V_LANES destination pixels from the blended span (words R0 G0 B0 A0 R1
 * G1 B1 A1 at each offset): pmaddwd with (256 - fx, fx), then the bias
 * (-32768 * 256) and rounding come back. */
V_FN vec warp_horizontal(const int16_t *span, const warp_columns *c,
                         int32_t k)
{
    static const uint8_t pair_words[16] = {0, 1, 8,  9,  2, 3, 10, 11,
                                           4, 5, 12, 13, 6, 7, 14, 15};
    vec words = v_shuffle8(gather_lanes(span, c->offset + k),
                           v_lanes16(pair_words));
    vec sum = v_madd16(words, v_load(c->weights[k]));
    return v_srai32(v_add32(sum, v_set1_32(32768 * 256 + 32768)), 16);
}

/* Rows [y0, y1) of chunk [x0, x1) of an axis-aligned map. */
static void warp_chunk_aligned(const vg_image *dst, const vg_image *src,
                               const vg_warp_params *p, const uint8_t *border,
                               int32_t y0, int32_t y1, int32_t x0, int32_t x1,
                               const warp_columns *c, int16_t *span)
{
    const int32_t sh = src->height;
    for (int32_t y = y0; y < y1; y++) {
        uint8_t *row = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        int32_t v = vg_pm_warp_coord(p->v0, 0, p->dv_dy, 0, y);
        int32_t iy = vg_pm_coord_index(v), fy = vg_pm_coord_frac(v);
        int rows_inside = iy >= 0 && iy < sh - 1;
        if (c->first >= c->last ||
            (!rows_inside && p->edge == VG_PM_EDGE_BORDER)) {
            warp_span_generic(row, src, p, border, y, x0, x1);
            continue;
        }
        /* clamped rows are exactly the reference's clamped taps */
        const uint8_t *r0 = src->data[0] +
                            (size_t)vg_pm_clamp_index(iy, sh) *
                                (size_t)src->stride[0] +
                            4 * (size_t)c->span_lo;
        const uint8_t *r1 = src->data[0] +
                            (size_t)vg_pm_clamp_index(iy + 1, sh) *
                                (size_t)src->stride[0] +
                            4 * (size_t)c->span_lo;
        warp_vertical(span, r0, r1, c->span_count, fy);

        warp_span_generic(row, src, p, border, y, x0, c->first);
        int32_t x = c->first;
        for (; x + 4 * V_LANES <= c->last; x += 4 * V_LANES) {
            vec q[4];
            for (int j = 0; j < 4; j++)
                q[j] = warp_horizontal(span, c, x - x0 + j * V_LANES);
            v_store(row + 4 * (size_t)x,
                    v_fix_pack4(v_packus16(v_packs32(q[0], q[1]),
                                           v_packs32(q[2], q[3]))));
        }
        warp_span_generic(row, src, p, border, y, x, x1);
    }
}

VG_DECL_WARP_FN(CPU_FN(cpu_warp))
{
    const vg_warp_params *p = params;
    uint8_t border[4];
    for (int c = 0; c < 4; c++)
        border[c] = vg_pm_channel(p->border_rgba, c);

    int aligned = p->du_dy == 0 && p->dv_dx == 0 &&
                  p->du_dx >= -WARP_MAX_STEP && p->du_dx <= WARP_MAX_STEP;
    if (!aligned) {
        for (int32_t y = y0; y < y1; y++)
            warp_span_generic(dst->data[0] + (size_t)y * (size_t)dst->stride[0],
                              src, p, border, y, 0, dst->width);
        return;
    }
    /* per chunk: the column table, then every row of the band */
    warp_columns columns;
    int16_t span[4 * WARP_SPAN + V_BYTES];
    for (int32_t x0 = 0; x0 < dst->width; x0 += WARP_CHUNK) {
        int32_t x1 = x0 + WARP_CHUNK < dst->width ? x0 + WARP_CHUNK
                                                   : dst->width;
        warp_columns_init(&columns, src, p, x0, x1);
        warp_chunk_aligned(dst, src, p, border, y0, y1, x0, x1, &columns,
                           span);
    }
}

/*
 * warp_tmpl.c - affine warp with bilinear sampling at one vector width.
 *
 * Included by x86/isa_*.c (see x86/vec.h).  The bilinear sum of
 * vg_pm_bilinear is exact before its final rounding:
 *     out = (sum_ij p_ij * wx_i * wy_j + 32768) >> 16
 * so it may be evaluated in any order that stays exact.  Two paths:
 *
 *  - axis-aligned maps (resize, pan, zoom: no rotation) stepping at most 2
 *    source pixels per destination pixel, the common case: each source row
 *    a destination row needs is first blended horizontally, two
 *    destination pixels per 128-bit lane from one 16-byte window of the
 *    source (pshufb, then one pmaddubsw: 16-bit exact), then the two rows
 *    are blended vertically with pmaddwd.  Windows, shuffles and weights
 *    depend only on x, so they are built once per band and chunk of
 *    columns; a source row's horizontal blend depends only on the row, so
 *    maps whose destination rows share source rows blend each row once.
 *    Where a whole vector's taps lie within one vector of source pixels
 *    (upscales, zooms) the horizontal blend loads the source once per
 *    vector and picks the taps with vpermd instead.
 *    With the clamp edge rule a tap off the source is the edge pixel, one
 *    more byte of the window, so every column takes the vector loop;
 *    destinations of 4 MiB and more are written with streaming stores.
 *  - any other map: per pixel, both taps of both rows in one 128-bit
 *    register, horizontally then vertically with pmaddwd.
 * Pixels whose taps leave the source on the other paths (and columns whose
 * taps take the border colour) take the reference's scalar path, tap by
 * tap.
 */
#include <string.h>

#include "vg/pixel_math.h"

/* Destination columns per chunk of the axis-aligned path, and the largest
 * horizontal step it takes: at 2 source pixels per destination pixel, the
 * four taps of two neighbouring destination pixels span at most 4 source
 * pixels, one 16-byte window. */
#define WARP_CHUNK 1024
#define WARP_CHUNK_DIRECT 512
#define WARP_MAX_STEP (2 << 16)

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
static inline uint32_t warp_inside(const uint8_t *s, size_t stride, int32_t fx,
                                   int32_t fy)
{
#define Z (char)0x80
    const __m128i top_words =
        _mm_setr_epi8(0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z);
    const __m128i bot_words =
        _mm_setr_epi8(8, Z, 12, Z, 9, Z, 13, Z, 10, Z, 14, Z, 11, Z, 15, Z);
#undef Z
    __m128i taps =
        _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)s),
                           _mm_loadl_epi64((const __m128i *)(s + stride)));
    __m128i wx = _mm_set1_epi32((256 - fx) | fx << 16);
    __m128i wy = _mm_set1_epi32((256 - fy) | fy << 16);
    __m128i bias = _mm_set1_epi32(32768);
    __m128i top = _mm_sub_epi32(
        _mm_madd_epi16(_mm_shuffle_epi8(taps, top_words), wx), bias);
    __m128i bot = _mm_sub_epi32(
        _mm_madd_epi16(_mm_shuffle_epi8(taps, bot_words), wx), bias);
    __m128i sum =
        _mm_madd_epi16(_mm_blend_epi16(top, _mm_slli_epi32(bot, 16), 0xaa), wy);
    sum = _mm_srai_epi32(
        _mm_add_epi32(sum, _mm_set1_epi32(32768 * 256 + 32768)), 16);
    sum = _mm_packus_epi16(_mm_packs_epi32(sum, sum), sum);
    return (uint32_t)_mm_cvtsi128_si32(sum);
}

/* One destination pixel at 16.16 source position (u, v), any position. */
static void warp_pixel(uint8_t *o, const vg_image *src, const vg_warp_params *p,
                       const uint8_t *border, int32_t u, int32_t v)
{
    int32_t ix = vg_pm_coord_index(u), fx = vg_pm_coord_frac(u);
    int32_t iy = vg_pm_coord_index(v), fy = vg_pm_coord_frac(v);
    if (ix >= 0 && ix < src->width - 1 && iy >= 0 && iy < src->height - 1) {
        const uint8_t *s =
            src->data[0] + (size_t)iy * (size_t)src->stride[0] + 4 * (size_t)ix;
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
        warp_pixel(row + 4 * (size_t)x, src, p, border, (int32_t)u, (int32_t)v);
        u += (uint32_t)p->du_dx;
        v += (uint32_t)p->dv_dx;
    }
}

/* The columns of one chunk in the table below: [first, last) is what the
 * vector loops write, the interior columns (both taps inside the source)
 * or, with the clamp edge rule, every column of the chunk (a clamped tap is
 * one more tap of the window); `end` is `last` rounded up to a whole vector
 * store, the padding columns repeating the last one.  Taken two at a time:
 * where each pair's 16-byte source window starts, the pshufb order that
 * spreads the pair's taps to byte pairs (R R G G B B A A per pixel), and
 * the matching pmaddubsw weights.  Aligned to 64 bytes, as the cached rows
 * below: at 512 bits every misaligned load splits a cache line. */
#define WARP_GROUP (4 * V_LANES) /* destination pixels per vector store */
#define WARP_PAIRS ((WARP_CHUNK + WARP_GROUP) / 2)
#define WARP_VECTORS (WARP_PAIRS / (2 * V_LANES)) /* of V_N32 pixels */
typedef struct warp_columns {
    int32_t first, last, end;
    int32_t window[WARP_PAIRS];
    /* When every vector's taps lie within V_N32 source pixels (upscales
     * and zooms): `permute`, each vector's source load (`vstart`, bytes)
     * and the elements of it that are each pixel's left and right taps
     * (see warp_permute_slot) */
    int permute;
    int32_t vstart[WARP_VECTORS];
    _Alignas(64) int32_t tap0[WARP_VECTORS * V_N32];
    _Alignas(64) int32_t tap1[WARP_VECTORS * V_N32];
    _Alignas(64) uint8_t order[WARP_PAIRS][16];
    _Alignas(64) uint8_t weights[WARP_PAIRS][16];
} warp_columns;

/* Destination column x's byte pairs within a window starting at `start`,
 * its taps t0, t1 (clamped) with weight fx of t1: (256 - fx, fx) or, when
 * fx = 0 (whose 256 does not fit a byte) or both taps are one pixel,
 * (128, 128) on t0 twice, which sums the same. */
static void warp_column_entry(uint8_t *order, uint8_t *weights, int32_t t0,
                              int32_t t1, int32_t fx, int32_t start)
{
    int split = fx != 0 && t0 != t1;
    int32_t d = 4 * (t0 - start), d1 = split ? 4 * (t1 - start) : d;
    for (int c = 0; c < 4; c++) {
        order[2 * c] = (uint8_t)(d + c);
        order[2 * c + 1] = (uint8_t)(d1 + c);
        weights[2 * c] = (uint8_t)(split ? 256 - fx : 128);
        weights[2 * c + 1] = (uint8_t)(split ? fx : 128);
    }
}

/* The column (from the vector's first) of element `e` of a permute-path
 * vector: lane j holds pixels 2j, 2j + 1, then 2 V_LANES + 2j and the one
 * after, so that unpacking its low and high halves gives the pixel pairs
 * k .. k + V_LANES - 1 and k + V_LANES .. k + 2 V_LANES - 1 in the order
 * the pshufb path makes them. */
static int32_t warp_permute_slot(int32_t e)
{
    int32_t j = e / 4, s = e % 4;
    return s < 2 ? 2 * j + s : 2 * V_LANES + 2 * j + s - 2;
}

/* The permute path's tables, if every vector of the chunk fits: its taps
 * (each column's left tap and, unless its weight is 128 + 128 on one tap,
 * its right tap) within V_N32 pixels of one load inside the row. */
static void warp_columns_permute_init(warp_columns *c, const vg_image *src,
                                      const vg_warp_params *p)
{
    const int32_t sw = src->width;
    int32_t vectors = (c->end - c->first) / V_N32;
    c->permute = vectors > 0 && sw >= V_N32;
    for (int32_t v = 0; v < vectors && c->permute; v++) {
        int32_t t0[V_N32], t1[V_N32], lo = sw, hi = 0;
        for (int32_t e = 0; e < V_N32; e++) {
            int32_t x = c->first + V_N32 * v + warp_permute_slot(e);
            x = x < c->last ? x : c->last - 1;
            int32_t u = vg_pm_warp_coord(p->u0, p->du_dx, 0, x, 0);
            int32_t ix = vg_pm_coord_index(u), fx = vg_pm_coord_frac(u);
            t0[e] = vg_pm_clamp_index(ix, sw);
            t1[e] = vg_pm_clamp_index(ix + 1, sw);
            if (fx == 0 || t1[e] == t0[e])
                t1[e] = t0[e]; /* as warp_column_entry: 128 + 128 on t0 */
            lo = t0[e] < lo ? t0[e] : lo;
            lo = t1[e] < lo ? t1[e] : lo;
            hi = t0[e] > hi ? t0[e] : hi;
            hi = t1[e] > hi ? t1[e] : hi;
        }
        int32_t start = lo < sw - V_N32 ? lo : sw - V_N32;
        if (hi - start >= V_N32) {
            c->permute = 0;
            break;
        }
        c->vstart[v] = 4 * start;
        for (int32_t e = 0; e < V_N32; e++) {
            c->tap0[V_N32 * v + e] = t0[e] - start;
            c->tap1[V_N32 * v + e] = t1[e] - start;
        }
    }
}

static void warp_columns_init(warp_columns *c, const vg_image *src,
                              const vg_warp_params *p, int32_t x0, int32_t x1)
{
    const int32_t sw = src->width;
    if (p->edge == VG_PM_EDGE_CLAMP) {
        c->first = x0;
        c->last = x1;
    } else {
        c->first = x1;
        c->last = x0;
        for (int32_t x = x0; x < x1; x++) {
            int32_t ix =
                vg_pm_coord_index(vg_pm_warp_coord(p->u0, p->du_dx, 0, x, 0));
            if (ix < 0 || ix >= sw - 1)
                continue;
            if (c->first == x1)
                c->first = x;
            c->last = x + 1;
        }
    }
    int32_t n = c->last > c->first ? c->last - c->first : 0;
    c->end = c->first + (n + WARP_GROUP - 1) / WARP_GROUP * WARP_GROUP;
    for (int32_t x = c->first; x < c->end; x += 2) {
        int32_t a = x < c->last ? x : c->last - 1;
        int32_t b = x + 1 < c->last ? x + 1 : c->last - 1;
        int32_t ua = vg_pm_warp_coord(p->u0, p->du_dx, 0, a, 0);
        int32_t ub = vg_pm_warp_coord(p->u0, p->du_dx, 0, b, 0);
        int32_t ia = vg_pm_coord_index(ua), ib = vg_pm_coord_index(ub);
        int32_t a0 = vg_pm_clamp_index(ia, sw),
                a1 = vg_pm_clamp_index(ia + 1, sw);
        int32_t b0 = vg_pm_clamp_index(ib, sw),
                b1 = vg_pm_clamp_index(ib + 1, sw);
        int32_t start = a0 < b0 ? a0 : b0;
        /* keep the window inside the row: every tap is at most width - 1 */
        if (start > sw - 4)
            start = sw - 4;
        int32_t pair = (x - c->first) / 2;
        c->window[pair] = 4 * start;
        warp_column_entry(c->order[pair], c->weights[pair], a0, a1,
                          vg_pm_coord_frac(ua), start);
        warp_column_entry(c->order[pair] + 8, c->weights[pair] + 8, b0, b1,
                          vg_pm_coord_frac(ub), start);
    }
    warp_columns_permute_init(c, src, p);
}

/* V_LANES 16-byte windows of `row`, one per lane. */
V_FN vec gather_windows(const uint8_t *row, const int32_t *window)
{
#if VEC_BITS == 128
    return _mm_loadu_si128((const __m128i *)(row + window[0]));
#elif VEC_BITS == 256
    return _mm256_loadu2_m128i((const __m128i *)(row + window[1]),
                               (const __m128i *)(row + window[0]));
#else
    __m512i v = _mm512_castsi128_si512(
        _mm_loadu_si128((const __m128i *)(row + window[0])));
    v = _mm512_inserti32x4(
        v, _mm_loadu_si128((const __m128i *)(row + window[1])), 1);
    v = _mm512_inserti32x4(
        v, _mm_loadu_si128((const __m128i *)(row + window[2])), 2);
    return _mm512_inserti32x4(
        v, _mm_loadu_si128((const __m128i *)(row + window[3])), 3);
#endif
}

/* 2 * V_LANES destination pixels (the pixel pairs k..k + V_LANES - 1) of
 * source row `row` blended horizontally: 4 int16 per pixel,
 * p0 * (256 - fx) + p1 * fx - 32768 (the pixels biased to signed bytes
 * make pmaddubsw's sum exact and unsaturated). */
V_FN vec warp_horizontal(const uint8_t *row, const warp_columns *c, int32_t k,
                         vec order, vec weights)
{
    vec px = v_xor(gather_windows(row, c->window + k), v_set1_8(0x80));
    return v_maddubs(weights, v_shuffle8(px, order));
}

/* The pixel pairs k .. k + 2 V_LANES - 1 (vector v = k / (2 V_LANES)) of
 * source row `row` blended horizontally as warp_horizontal does, from one
 * load: each pixel's two taps picked out of it with vpermd, interleaved
 * to byte pairs by unpacking (warp_permute_slot), then pmaddubsw. */
V_FN void warp_horizontal_permute(int16_t *out, const uint8_t *row,
                                  const warp_columns *c, int32_t v)
{
    vec px = v_xor(v_load(row + c->vstart[v]), v_set1_8(0x80));
    vec p0 = v_permute32(px, v_load(c->tap0 + V_N32 * v));
    vec p1 = v_permute32(px, v_load(c->tap1 + V_N32 * v));
    int32_t k = 2 * V_LANES * v;
    v_store(out + 8 * (size_t)k,
            v_maddubs(v_load(c->weights[k]), v_unpacklo8(p0, p1)));
    v_store(out + 8 * (size_t)(k + V_LANES),
            v_maddubs(v_load(c->weights[k + V_LANES]), v_unpackhi8(p0, p1)));
}

/* The same pixels blended vertically from their two rows' horizontal
 * blends t and b: (t + 32768) * (256 - fy) + (b + 32768) * fy, rounded. */
V_FN vec warp_vertical(vec t, vec b, vec wy)
{
    const vec rnd = v_set1_32(32768 * 256 + 32768);
    vec lo = v_srai32(v_add32(v_madd16(v_unpacklo16(t, b), wy), rnd), 16);
    vec hi = v_srai32(v_add32(v_madd16(v_unpackhi16(t, b), wy), rnd), 16);
    return v_packs32(lo, hi);
}

/* Horizontal blends of the source rows the chunk's destination rows read,
 * two at a time.  Consecutive destination rows share source rows whenever
 * the map steps less than two rows per row (upscales, zooms, pans), so
 * each source row is blended once, not once per destination row that
 * reads it. */
typedef struct warp_rows {
    int32_t index[2]; /* source row held by each slot, -1 for none */
    _Alignas(64) int16_t blend[2][4 * (WARP_CHUNK + WARP_GROUP)];
} warp_rows;

/* Source row `ri` blended horizontally over the chunk's vector columns
 * [c->first, c->end), 4 int16 per pixel, into slot `slot`. */
static void warp_row_blend(warp_rows *rows, const vg_image *src,
                           const warp_columns *c, int32_t ri, int slot)
{
    const uint8_t *row = src->data[0] + (size_t)ri * (size_t)src->stride[0];
    int16_t *out = rows->blend[slot];
    /* pairs counted in a local: the stores could alias *c as far as the
     * compiler knows, and reloading c's bounds every step cost a third of
     * the loop's instructions */
    const int32_t pairs = (c->end - c->first) / 2;
    if (c->permute) {
        for (int32_t v = 0; v < pairs / (2 * V_LANES); v++)
            warp_horizontal_permute(out, row, c, v);
        rows->index[slot] = ri;
        return;
    }
    for (int32_t k = 0; k < pairs; k += V_LANES)
        v_store(out + 8 * (size_t)k,
                warp_horizontal(row, c, k, v_load(c->order[k]),
                                v_load(c->weights[k])));
    rows->index[slot] = ri;
}

/* Rows ti and bi into slots 0 and 1 in one loop, when neither is held (the
 * band's first row, steps of more than a row): two streams at once keep
 * more memory requests in flight than one row after the other. */
static void warp_row_pair_blend(warp_rows *rows, const vg_image *src,
                                const warp_columns *c, int32_t ti, int32_t bi)
{
    const uint8_t *rt = src->data[0] + (size_t)ti * (size_t)src->stride[0];
    const uint8_t *rb = src->data[0] + (size_t)bi * (size_t)src->stride[0];
    const int32_t pairs = (c->end - c->first) / 2;
    if (c->permute) {
        for (int32_t v = 0; v < pairs / (2 * V_LANES); v++) {
            warp_horizontal_permute(rows->blend[0], rt, c, v);
            warp_horizontal_permute(rows->blend[1], rb, c, v);
        }
        rows->index[0] = ti;
        rows->index[1] = bi;
        return;
    }
    for (int32_t k = 0; k < pairs; k += V_LANES) {
        vec order = v_load(c->order[k]), w = v_load(c->weights[k]);
        size_t i = 8 * (size_t)k;
        v_store(rows->blend[0] + i, warp_horizontal(rt, c, k, order, w));
        v_store(rows->blend[1] + i, warp_horizontal(rb, c, k, order, w));
    }
    rows->index[0] = ti;
    rows->index[1] = bi;
}

/* The slots of source rows ti and bi (equal at a clamped edge), blending
 * those no slot holds. */
static void warp_rows_get(warp_rows *rows, const vg_image *src,
                          const warp_columns *c, int32_t ti, int32_t bi,
                          int *st, int *sb)
{
    *st = rows->index[0] == ti ? 0 : rows->index[1] == ti ? 1 : -1;
    *sb = rows->index[0] == bi ? 0 : rows->index[1] == bi ? 1 : -1;
    if (*st < 0 && *sb < 0) {
        warp_row_pair_blend(rows, src, c, ti, bi);
        *st = 0;
        *sb = 1;
    } else if (*st < 0) {
        *st = 1 - *sb;
        warp_row_blend(rows, src, c, ti, *st);
    } else if (*sb < 0) {
        *sb = 1 - *st;
        warp_row_blend(rows, src, c, bi, *sb);
    }
}

/* WARP_GROUP destination pixels at `out`, of which the first n are the
 * row's (the rest are the padding columns of the chunk's last group).  A
 * whole group goes out with a streaming store where `stream` (the row is
 * aligned for it), else with a plain one. */
V_FN void warp_store_group(uint8_t *out, vec px, int32_t n, int stream)
{
    if (n == WARP_GROUP) {
        if (stream)
            v_stream(out, px);
        else
            v_store(out, px);
        return;
    }
    _Alignas(64) uint8_t tmp[V_BYTES];
    v_store(tmp, px);
    memcpy(out, tmp, 4 * (size_t)n);
}

/* Vector columns [c->first, c->last) of a destination row whose source
 * rows are `top` and `bot`, each blended horizontally right here.  Both
 * rows are read in the same loop, two streams at once, which keeps more
 * memory requests in flight than blending them one after the other: what
 * maps sharing no rows between destination rows (downscales) need.  Their
 * sources are the largest and come from memory, not cache: the same
 * columns of the next destination row's source rows (`ahead` bytes away)
 * are prefetched as we go, so each row starts with its data on the way
 * instead of waiting for the hardware prefetcher to find a new stream
 * (3.5 -> 2.7 ms for 3840x2160 -> 1920x1080 here). */
static void warp_span_direct(uint8_t *row, const uint8_t *top,
                             const uint8_t *bot, const warp_columns *c, vec wy,
                             intptr_t ahead, int stream)
{
    /* addresses, not pointers: past the last row they point nowhere, and
     * prefetches never fault */
    const uintptr_t next_top = (uintptr_t)top + (uintptr_t)ahead;
    const uintptr_t next_bot = (uintptr_t)bot + (uintptr_t)ahead;
    for (int32_t x = c->first; x < c->end; x += WARP_GROUP) {
        int32_t k = (x - c->first) / 2;
        vec half[2];
        for (int h = 0; h < 2; h++, k += V_LANES) {
            /* one prefetch per 8 destination pixels: at the largest step
             * (2 source pixels a pixel) that is a 64-byte line of each
             * source row.  One per iteration, as this was, left every
             * other line unfetched at 512 bits (16 pixels an iteration),
             * which made the AVX-512 downscale 14% slower than AVX2. */
            if ((k & 3) == 0) {
                uintptr_t at = (uintptr_t)c->window[k];
                _mm_prefetch((const char *)(next_top + at), _MM_HINT_T0);
                _mm_prefetch((const char *)(next_bot + at), _MM_HINT_T0);
            }
            vec order = v_load(c->order[k]), w = v_load(c->weights[k]);
            half[h] = warp_vertical(warp_horizontal(top, c, k, order, w),
                                    warp_horizontal(bot, c, k, order, w), wy);
        }
        int32_t n = c->last - x < WARP_GROUP ? c->last - x : WARP_GROUP;
        warp_store_group(row + 4 * (size_t)x,
                         v_fix_pack2(v_packus16(half[0], half[1])), n, stream);
    }
}

/* The same from rows already blended horizontally (warp_rows). */
static void warp_span_blended(uint8_t *row, const int16_t *top,
                              const int16_t *bot, const warp_columns *c, vec wy,
                              int stream)
{
    for (int32_t x = c->first; x < c->end; x += WARP_GROUP) {
        size_t i = 4 * (size_t)(x - c->first);
        vec lo = warp_vertical(v_load(top + i), v_load(bot + i), wy);
        i += 8 * V_LANES;
        vec hi = warp_vertical(v_load(top + i), v_load(bot + i), wy);
        int32_t n = c->last - x < WARP_GROUP ? c->last - x : WARP_GROUP;
        warp_store_group(row + 4 * (size_t)x, v_fix_pack2(v_packus16(lo, hi)),
                         n, stream);
    }
}

/* Whether consecutive destination rows share source rows. */
static int warp_rows_shared(const vg_warp_params *p)
{
    return p->dv_dy > -WARP_MAX_STEP && p->dv_dy < WARP_MAX_STEP;
}

/* Rows [y0, y1) of chunk [x0, x1) of an axis-aligned map.  Consecutive
 * destination rows share source rows when the map steps less than two
 * rows per row (upscales, zooms, pans): then each source row is blended
 * horizontally once (warp_rows), else right where it is used.  Rows whose
 * stores can stream (`stream`, below) do. */
static void warp_chunk_aligned(const vg_image *dst, const vg_image *src,
                               const vg_warp_params *p, const uint8_t *border,
                               int32_t y0, int32_t y1, int32_t x0, int32_t x1,
                               const warp_columns *c, warp_rows *rows,
                               int stream)
{
    const int32_t sh = src->height;
    const int shared = warp_rows_shared(p);
    rows->index[0] = rows->index[1] = -1;
    for (int32_t y = y0; y < y1; y++) {
        uint8_t *row = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        int32_t v = vg_pm_warp_coord(p->v0, 0, p->dv_dy, 0, y);
        int32_t iy = vg_pm_coord_index(v), fy = vg_pm_coord_frac(v);
        int rows_inside = iy >= 0 && iy < sh - 1;
        if (c->last == c->first ||
            (!rows_inside && p->edge == VG_PM_EDGE_BORDER)) {
            warp_span_generic(row, src, p, border, y, x0, x1);
            continue;
        }
        /* clamped rows are exactly the reference's clamped taps */
        int32_t ti = vg_pm_clamp_index(iy, sh);
        int32_t bi = vg_pm_clamp_index(iy + 1, sh);
        const vec wy = v_set1_32((256 - fy) | fy << 16);
        int aligned_row = stream && ((uintptr_t)(row + 4 * (size_t)c->first) &
                                     (V_BYTES - 1)) == 0;

        warp_span_generic(row, src, p, border, y, x0, c->first);
        if (shared) {
            int st, sb;
            warp_rows_get(rows, src, c, ti, bi, &st, &sb);
            warp_span_blended(row, rows->blend[st], rows->blend[sb], c, wy,
                              aligned_row);
        } else {
            const uint8_t *base = src->data[0];
            intptr_t stride = (intptr_t)src->stride[0];
            /* the next destination row's top row (past the band's end it
             * is only prefetched) */
            int32_t nv = vg_pm_warp_coord(p->v0, 0, p->dv_dy, 0, y + 1);
            int32_t next = vg_pm_clamp_index(vg_pm_coord_index(nv), sh);
            warp_span_direct(row, base + (size_t)ti * (size_t)stride,
                             base + (size_t)bi * (size_t)stride, c, wy,
                             (intptr_t)(next - ti) * stride, aligned_row);
        }
        warp_span_generic(row, src, p, border, y, c->last, x1);
    }
}

/* Destination frames at least this large (every band of them) are written
 * with streaming stores: they do not fit the core's caches, and a plain
 * store first reads each line it writes. */
#define WARP_STREAM_BYTES ((size_t)4 << 20)

VG_DECL_WARP_FN(CPU_FN(cpu_warp))
{
    const vg_warp_params *p = params;
    uint8_t border[4];
    for (int c = 0; c < 4; c++)
        border[c] = vg_pm_channel(p->border_rgba, c);

    int aligned = p->du_dy == 0 && p->dv_dx == 0 && src->width >= 4 &&
                  p->du_dx >= -WARP_MAX_STEP && p->du_dx <= WARP_MAX_STEP;
    if (!aligned) {
        for (int32_t y = y0; y < y1; y++)
            warp_span_generic(dst->data[0] + (size_t)y * (size_t)dst->stride[0],
                              src, p, border, y, 0, dst->width);
        return;
    }
    int stream =
        (size_t)dst->height * (size_t)dst->stride[0] >= WARP_STREAM_BYTES;
    /* per chunk: the column table, then every row of the band */
    warp_columns columns;
    warp_rows rows;
    const int32_t chunk = warp_rows_shared(p) ? WARP_CHUNK : WARP_CHUNK_DIRECT;
    for (int32_t x0 = 0; x0 < dst->width; x0 += chunk) {
        int32_t x1 = x0 + chunk < dst->width ? x0 + chunk : dst->width;
        warp_columns_init(&columns, src, p, x0, x1);
        warp_chunk_aligned(dst, src, p, border, y0, y1, x0, x1, &columns, &rows,
                           stream);
    }
    if (stream)
        _mm_sfence(); /* the streamed stores are ordered before the return */
}

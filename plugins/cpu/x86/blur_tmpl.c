/*
 * blur_tmpl.c - separable Gaussian blur at one vector width.
 *
 * Included by x86/isa_*.c (see x86/vec.h).  Computes exactly
 * vg_pm_blur_h_round / vg_pm_blur_v_round of the reference, arranged so
 * that each pmaddwd does two taps and the vertical pass needs no shuffles
 * (scratch layout: cpu_blur_layout in cpu_dsp.h):
 *
 *  1. Each source row the band needs, with `radius` replicated edge
 *     pixels on both sides (gathered only near the edges), is rewritten
 *     as pixel pairs, 16-bit
 *     words R(x) R(x+1) G(x) G(x+1) B.. A.., so one pmaddwd with taps
 *     (t[2m], t[2m+1]) adds two taps of all four channels of a pixel.
 *  2. Horizontal sums of two rows at once are rounded to 8.8 fixed point
 *     (vg_pm_blur_h_round) and stored interleaved, row 2j in the low and
 *     row 2j + 1 in the high 16 bits of one int32, each minus 32768 so it
 *     fits int16 (8.8 reaches 65280), into a ring of radius + 2 such rows
 *     filled just ahead of the vertical pass.  Rows are "virtual": row i
 *     of the band is source row clamp(y0 - radius + i), so edges need no
 *     test.
 *  3. The vertical pass multiplies such interleaved words by tap pairs:
 *     (t[2m], t[2m+1]) when the output's first row is even in the band,
 *     (t[2m-1], t[2m]) when it is odd.  The taps sum to 16384 (the core
 *     checks it), so the bias adds back as exactly 32768 * 16384 = 2^29.
 */
#include <string.h>

#include "vg/pixel_math.h"

/* Lane k of the result holds the pixel pair x + k, x + k + 1 of the
 * padded row starting at p (pixel x), as R R G G B B A A words. */
V_FN vec pixel_pairs(const uint8_t *p)
{
#define Z 0x80
#if VEC_BITS == 128
    const __m128i order =
        _mm_setr_epi8(0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z);
    return _mm_shuffle_epi8(_mm_loadl_epi64((const __m128i *)p), order);
#elif VEC_BITS == 256
    const __m256i order = _mm256_setr_epi8(
        0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z,    /* lane 0: x */
        4, Z, 8, Z, 5, Z, 9, Z, 6, Z, 10, Z, 7, Z, 11, Z); /* lane 1: x+1 */
    __m256i both =
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)p));
    return _mm256_shuffle_epi8(both, order);
#else
    const __m512i spread =
        _mm512_setr_epi32(0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4);
    const __m512i order = _mm512_broadcast_i32x4(
        _mm_setr_epi8(0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z));
    __m512i px = _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)p));
    return _mm512_shuffle_epi8(_mm512_permutexvar_epi32(spread, px), order);
#endif
#undef Z
}

/* The pixels pixel_pairs reads from p (it uses V_LANES + 1 of them). */
#if VEC_BITS == 128
#define PAIR_LOAD_PIXELS 2
#elif VEC_BITS == 256
#define PAIR_LOAD_PIXELS 4
#else
#define PAIR_LOAD_PIXELS 8
#endif

/* Pairs [i0, i1) of source row `row` with r replicated pixels each side,
 * pair i stored at pairs[i - i0] (i0 and i1 multiples of V_LANES).
 * Pair i starts at padded pixel i, source pixel i - r: read straight from
 * the row where every pixel loaded lies inside it, so the row is not
 * copied; near the edges the loaded pixels are gathered with clamping (the
 * replicated edge).  Pairs past the padded row are computed but meet only
 * zero taps, so any defined value does.
 *
 * The source is read once, row by row, each row in one burst between
 * long stretches of filtering: too little for the hardware prefetcher,
 * whose stream goes cold between bursts, so each row waited on memory
 * (this function was a third of the 5x5 blur's time, most of it waiting
 * on these loads).  The same columns
 * of the row this call will be asked for next time (`ahead` bytes on) are
 * prefetched as we go. */
static void build_pairs(uint16_t *pairs, const uint8_t *row, int32_t width,
                        int32_t r, int32_t i0, int32_t i1, intptr_t ahead)
{
    /* an address, not a pointer: past the last row it points nowhere, and
     * prefetches never fault */
    const uintptr_t next = (uintptr_t)row + (uintptr_t)ahead;
    for (int32_t i = i0; i < i1; i += V_LANES) {
        int32_t x = i - r;
        if ((i & 15) == 0 && x >= 0 && x < width)
            _mm_prefetch((const char *)(next + 4 * (uintptr_t)x), _MM_HINT_T0);
        const uint8_t *p;
        uint8_t edge[4 * PAIR_LOAD_PIXELS];
        if (x >= 0 && x <= width - PAIR_LOAD_PIXELS) {
            p = row + 4 * (size_t)x;
        } else {
            for (int32_t j = 0; j < PAIR_LOAD_PIXELS; j++)
                memcpy(edge + 4 * j,
                       row + 4 * (size_t)vg_pm_clamp_index(x + j, width), 4);
            p = edge;
        }
        v_store(pairs + 8 * (size_t)(i - i0), pixel_pairs(p));
    }
}

/*
 * The tap loops below are chains of dependent multiply-accumulates: each
 * pmaddwd + paddd (or vpdpwssd) waits for the previous one into the same
 * accumulator, 4 to 5 cycles, while the core could start one or two every
 * cycle.  So every output vector gets two accumulators, the even tap pairs
 * into one and the odd ones into the other, added at the end (int32 sums
 * are exact in any order), and the horizontal pass filters two column
 * blocks at once: 8 independent chains in either pass.
 */

/* Horizontal pass of two rows into one interleaved row (step 2 above).
 * Inlined into versions for the common small radii so the tap loop
 * unrolls; `npairs` taps pairs.  width16 is a multiple of 16 pixels, so
 * of the 2 * V_LANES pixels each iteration filters. */
V_FN void hfilter_pair_n(int32_t *out, const uint16_t *even,
                         const uint16_t *odd, const int32_t *taps,
                         int32_t npairs, int32_t width16)
{
    /* (sum + 32) >> 6, minus 32768: the bias folds into the rounding
     * constant because 32768 * 64 is a multiple of 64 */
    const vec rnd = v_set1_32(32 - (32768 << 6));
    for (int32_t x = 0; x < width16; x += 2 * V_LANES) {
        /* [column block][even row, odd row][tap pair parity] */
        vec acc[2][2][2];
        for (int c = 0; c < 2; c++)
            for (int e = 0; e < 2; e++) {
                acc[c][e][0] = rnd;
                acc[c][e][1] = v_zero();
            }
        /* m steps by two so every index is a constant and the
         * accumulators stay in registers */
        for (int32_t m = 0; m < npairs; m += 2)
            for (int p = 0; p < 2 && m + p < npairs; p++) {
                vec t = v_set1_32(taps[m + p]);
                for (int c = 0; c < 2; c++) {
                    size_t at = 8 * (size_t)(x + c * V_LANES + 2 * (m + p));
                    acc[c][0][p] =
                        v_madd16_acc(acc[c][0][p], v_load(even + at), t);
                    acc[c][1][p] =
                        v_madd16_acc(acc[c][1][p], v_load(odd + at), t);
                }
            }
        for (int c = 0; c < 2; c++) {
            vec se = v_srai32(v_add32(acc[c][0][0], acc[c][0][1]), 6);
            vec so = v_srai32(v_add32(acc[c][1][0], acc[c][1][1]), 6);
            v_store(out + 4 * (size_t)(x + c * V_LANES),
                    v_blend16(se, v_slli32(so, 16), 0xaa));
        }
    }
}

/* The output bytes of four vertical sums, rounding added. */
V_FN vec vertical_bytes(const vec acc[4])
{
    vec sum[4];
    for (int j = 0; j < 4; j++)
        sum[j] = v_srai32(acc[j], 22);
    return v_fix_pack4(
        v_packus16(v_packs32(sum[0], sum[1]), v_packs32(sum[2], sum[3])));
}

/* px into out + i, of which bytes - i remain in the row. */
V_FN void store_tail(uint8_t *out, size_t i, size_t bytes, vec px)
{
    if (i + 4 * V_N32 <= bytes) {
        v_store(out + i, px);
    } else {
        uint8_t tail[4 * V_N32];
        v_store(tail, px);
        memcpy(out + i, tail, bytes - i);
    }
}

/* One output row from the interleaved rows rows[0 .. npairs - 1].  The
 * frame is written once, row after row, and its stores missed the cache
 * in bursts the prefetcher did not see coming (a sixth of the 5x5 blur's
 * time stalled on them), so the same columns of the next output row,
 * at address next_out, are prefetched for writing as this one is made
 * (past the frame's last row this is an address, never dereferenced:
 * prefetches do not fault). */
V_FN void vfilter_row_n(uint8_t *out, const int32_t *const *rows,
                        const int32_t *taps, int32_t npairs, int32_t width,
                        uintptr_t next_out)
{
    const vec rnd = v_set1_32((1 << 29) + (1 << 21));
    const size_t bytes = 4 * (size_t)width;
    for (size_t i = 0; i < bytes; i += 4 * V_N32) {
        /* [vector][tap pair parity] */
        vec acc[4][2];
        for (int j = 0; j < 4; j++) {
            acc[j][0] = rnd;
            acc[j][1] = v_zero();
        }
        for (int32_t m = 0; m < npairs; m += 2)
            for (int p = 0; p < 2 && m + p < npairs; p++) {
                vec t = v_set1_32(taps[m + p]);
                const int32_t *row = rows[m + p] + i;
                for (int j = 0; j < 4; j++)
                    acc[j][p] =
                        v_madd16_acc(acc[j][p], v_load(row + j * V_N32), t);
            }
        vec sum[4];
        for (int j = 0; j < 4; j++)
            sum[j] = v_add32(acc[j][0], acc[j][1]);
        if ((i & 63) == 0)
            __builtin_prefetch((const void *)(next_out + i), 1, 3);
        store_tail(out, i, bytes, vertical_bytes(sum));
    }
}

/* Two output rows, an even one of the band (even_taps) and the odd one
 * below it (odd_taps): both read the same interleaved rows, so each
 * vector is loaded once for two multiply-accumulates.  The ring lives in
 * L2 (radius + 2 rows of 16 bytes a pixel), and loading it once per output
 * row was what the vertical pass waited on.  Two rows of 4 vectors are 8
 * independent chains, as above.  next0 and next1: the output rows two
 * rows down, prefetched for writing as in vfilter_row_n. */
V_FN void vfilter_rows2_n(uint8_t *out0, uint8_t *out1,
                          const int32_t *const *rows, const int32_t *even_taps,
                          const int32_t *odd_taps, int32_t npairs,
                          int32_t width, uintptr_t next0, uintptr_t next1)
{
    const vec rnd = v_set1_32((1 << 29) + (1 << 21));
    const size_t bytes = 4 * (size_t)width;
    for (size_t i = 0; i < bytes; i += 4 * V_N32) {
        vec a[4] = {rnd, rnd, rnd, rnd}, b[4] = {rnd, rnd, rnd, rnd};
        for (int32_t m = 0; m < npairs; m++) {
            vec te = v_set1_32(even_taps[m]), to = v_set1_32(odd_taps[m]);
            const int32_t *row = rows[m] + i;
            for (int j = 0; j < 4; j++) {
                vec v = v_load(row + j * V_N32);
                a[j] = v_madd16_acc(a[j], v, te);
                b[j] = v_madd16_acc(b[j], v, to);
            }
        }
        if ((i & 63) == 0) {
            __builtin_prefetch((const void *)(next0 + i), 1, 3);
            __builtin_prefetch((const void *)(next1 + i), 1, 3);
        }
        store_tail(out0, i, bytes, vertical_bytes(a));
        store_tail(out1, i, bytes, vertical_bytes(b));
    }
}

/* Radii 1..4 get loops of constant length (5x5 and 7x7 are the common
 * kernels, and their tap loops are too short to run well as loops). */
#define BLUR_UNROLLED(call, npairs)                                            \
    switch (npairs) {                                                          \
    case 2:                                                                    \
        call(2);                                                               \
        break;                                                                 \
    case 3:                                                                    \
        call(3);                                                               \
        break;                                                                 \
    case 4:                                                                    \
        call(4);                                                               \
        break;                                                                 \
    case 5:                                                                    \
        call(5);                                                               \
        break;                                                                 \
    default:                                                                   \
        call(npairs);                                                          \
        break;                                                                 \
    }

static void hfilter_pair(int32_t *out, const uint16_t *even,
                         const uint16_t *odd, const int32_t *taps,
                         int32_t npairs, int32_t width16)
{
#define H_CALL(n) hfilter_pair_n(out, even, odd, taps, n, width16)
    BLUR_UNROLLED(H_CALL, npairs)
#undef H_CALL
}

static void vfilter_row(uint8_t *out, const int32_t *const *rows,
                        const int32_t *taps, int32_t npairs, int32_t width,
                        uintptr_t next_out)
{
#define V_CALL(n) vfilter_row_n(out, rows, taps, n, width, next_out)
    BLUR_UNROLLED(V_CALL, npairs)
#undef V_CALL
}

/* Destination columns per chunk of the horizontal pass: a multiple of
 * 16 pixels (so of 2 * V_LANES), wide enough that the 2r pairs each chunk
 * builds again beside its neighbour's stay a few per cent, narrow enough
 * that both rows' pairs (16 bytes a pixel each) stay in L1 between being
 * built and filtered.  Building a whole row of pairs first sent 2 x 31 KB
 * (1920 wide) through L2. */
static int32_t blur_chunk(int32_t r)
{
    return 32 * r > 512 ? 32 * r : 512;
}

/* The interleaved ring row of source rows `top` and `top` + 1 (clamped):
 * pairs, then the horizontal pass, chunk by chunk.  The rows this will be
 * called with next are `ahead` rows further down. */
static void filter_rows(int32_t *out, uint16_t *const pairs[2],
                        const vg_image *src, int32_t top, int32_t ahead,
                        const int32_t *taps, int32_t r, int32_t width16)
{
    const int32_t w = src->width, h = src->height;
    const uint8_t *rows[2];
    intptr_t next[2];
    for (int e = 0; e < 2; e++) {
        int32_t sy = vg_pm_clamp_index(top + e, h);
        int32_t sy_next = vg_pm_clamp_index(top + ahead + e, h);
        rows[e] = src->data[0] + (size_t)sy * (size_t)src->stride[0];
        next[e] = (intptr_t)(sy_next - sy) * src->stride[0];
    }
    const int32_t chunk = blur_chunk(r);
    for (int32_t c0 = 0; c0 < width16; c0 += chunk) {
        int32_t cw = width16 - c0 < chunk ? width16 - c0 : chunk;
        /* the horizontal pass reads pairs [c0, c0 + cw + 2r) */
        int32_t i1 = (c0 + cw + 2 * r + V_LANES - 1) / V_LANES * V_LANES;
        for (int e = 0; e < 2; e++)
            build_pairs(pairs[e], rows[e], w, r, c0, i1, next[e]);
        hfilter_pair(out + 4 * (size_t)c0, pairs[0], pairs[1], taps, r + 1, cw);
    }
}

static void vfilter_rows2(uint8_t *out0, uint8_t *out1,
                          const int32_t *const *rows, const int32_t *even_taps,
                          const int32_t *odd_taps, int32_t npairs,
                          int32_t width, uintptr_t next0, uintptr_t next1)
{
#define V2_CALL(n)                                                             \
    vfilter_rows2_n(out0, out1, rows, even_taps, odd_taps, n, width, next0,    \
                    next1)
    BLUR_UNROLLED(V2_CALL, npairs)
#undef V2_CALL
}

/* Two 16-bit taps in one int32, low word first (pmaddwd order). */
static int32_t tap_pair(int32_t lo, int32_t hi)
{
    return (int32_t)((uint32_t)(uint16_t)lo | (uint32_t)(uint16_t)hi << 16);
}

VG_DECL_BLUR_FN(CPU_FN(cpu_blur))
{
    if (y0 >= y1)
        return;
    const int32_t r = params->radius, w = src->width;
    const int16_t *t = params->taps;
    cpu_blur_layout layout;
    cpu_blur_layout_init(&layout, w, r);
    uint8_t *base = scratch;
    uint16_t *pairs[2] = {(uint16_t *)(void *)(base + layout.pairs[0]),
                          (uint16_t *)(void *)(base + layout.pairs[1])};
    int32_t *ring = (int32_t *)(void *)(base + layout.vrows);
    const size_t pitch = (size_t)layout.vrow_pitch;

    /* r + 1 pairs cover the 2r + 1 taps with a zero at one end */
    int32_t even_taps[VG_BLUR_MAX_RADIUS + 1], odd_taps[VG_BLUR_MAX_RADIUS + 1];
    for (int32_t m = 0; m <= r; m++) {
        even_taps[m] = tap_pair(t[2 * m], m < r ? t[2 * m + 1] : 0);
        odd_taps[m] = tap_pair(m > 0 ? t[2 * m - 1] : 0, t[2 * m]);
    }

    const int32_t *rows[VG_BLUR_MAX_RADIUS + 1];
    int32_t next = 0; /* the next interleaved row to filter */
    const uintptr_t stride = (uintptr_t)dst->stride[0];
    /* y - y0 stays even: rows y and y + 1 read the same interleaved rows */
    for (int32_t y = y0; y < y1; y += 2) {
        int32_t first = (y - y0) >> 1;
        for (; next <= first + r; next++)
            filter_rows(ring + (size_t)(next % layout.vrow_count) * pitch,
                        pairs, src, y0 - r + 2 * next, 2, even_taps, r,
                        layout.vrow_pitch / 4);
        for (int32_t m = 0; m <= r; m++)
            rows[m] = ring + (size_t)((first + m) % layout.vrow_count) * pitch;
        uint8_t *out = dst->data[0] + (size_t)y * (size_t)stride;
        if (y + 1 < y1)
            vfilter_rows2(out, out + stride, rows, even_taps, odd_taps, r + 1,
                          w, (uintptr_t)out + 2 * stride,
                          (uintptr_t)out + 3 * stride);
        else
            vfilter_row(out, rows, even_taps, r + 1, w,
                        (uintptr_t)out + stride);
    }
}

/*
 * color_tmpl.c - RGBA8 <-> I420 at one vector width.
 *
 * Included by x86/isa_*.c (see x86/vec.h).  Same integer formulas as
 * vg/pixel_math.h, exact for every coefficient the header allows
 * (|c| < 2^15).  RGBA -> I420 evaluates them with pmaddwd in 32-bit lanes;
 * the rounding constants ride along as an extra coefficient instead of
 * costing an add:
 *   (y_offset << 14) + 8192    = 8192  * (2 * y_offset + 1)
 *   (128 << 16) + 32768        = 16384 * 514
 * I420 -> RGBA works in 16-bit lanes, splitting each 32-bit sum into its
 * quotient and remainder words (see to_rgb_consts).  Scalar tails call
 * pixel_math.h itself.
 */
#include "vg/pixel_math.h"

/* Split the packed chroma of one iteration (see rgba_to_i420_span): lane k
 * holds, as 16-bit pairs of U bytes then V bytes, the block pairs
 * j * V_LANES + k for j = 0..3.  Gives U and V in memory order. */
V_FN void chroma_split(vec t, vhalf *u, vhalf *v)
{
#if VEC_BITS == 128
    *u = t;
    *v = _mm_srli_si128(t, 8);
#elif VEC_BITS == 256
    __m256i swapped = _mm256_permute4x64_epi64(t, 0x4e);
    *u = _mm256_castsi256_si128(_mm256_unpacklo_epi16(t, swapped));
    *v = _mm256_castsi256_si128(_mm256_unpackhi_epi16(t, swapped));
#else
    /* U word p (pair p = 4m + k) is word 8k + m; V's is 8k + 4 + m */
    static const int16_t order[32] = {
        0, 8,  16, 24, 1, 9,  17, 25, 2, 10, 18, 26, 3, 11, 19, 27,
        4, 12, 20, 28, 5, 13, 21, 29, 6, 14, 22, 30, 7, 15, 23, 31};
    __m512i s = _mm512_permutexvar_epi16(_mm512_loadu_si512(order), t);
    *u = _mm512_castsi512_si256(s);
    *v = _mm512_extracti64x4_epi64(s, 1);
#endif
}

/* ------------------------------------------------------------------------ */
/* RGBA -> I420                                                              */
/* ------------------------------------------------------------------------ */

typedef struct to_yuv_consts {
    vec y_even;    /* words y_r, y_b: for the R and B bytes */
    vec y_odd;     /* words y_g, 8192: for G and the constant below */
    vec y_k;       /* 2 * y_offset + 1 in every word (replaces alpha) */
    vec low_bytes; /* 0x00ff in every word */
    vec u_coef;    /* words u_r, u_g, u_b, 16384 */
    vec v_coef;    /* words v_r, v_g, v_b, 16384 */
    vec c_k;       /* 514 in every word (replaces the alpha sum) */
    vec pairs;     /* pshufb: R0 R1 G0 G1 B0 B1 A0 A1 per pixel pair */
    vec ones;      /* bytes of 1 */
    vec uv_bytes;  /* pshufb: a lane's U bytes, then its V bytes */
} to_yuv_consts;

static void to_yuv_init(to_yuv_consts *k, const vg_color_params *p)
{
    static const uint8_t pairs[16] = {0, 4,  1, 5,  2,  6,  3,  7,
                                      8, 12, 9, 13, 10, 14, 11, 15};
    static const uint8_t uv_bytes[16] = {0, 1, 4, 5, 8,  9,  12, 13,
                                         2, 3, 6, 7, 10, 11, 14, 15};
    k->y_even = v_set4_16(p->y_r, p->y_b, p->y_r, p->y_b);
    k->y_odd = v_set4_16(p->y_g, 8192, p->y_g, 8192);
    k->y_k = v_set1_16(2 * p->y_offset + 1);
    k->low_bytes = v_set1_16(0x00ff);
    k->u_coef = v_set4_16(p->u_r, p->u_g, p->u_b, 16384);
    k->v_coef = v_set4_16(p->v_r, p->v_g, p->v_b, 16384);
    k->c_k = v_set1_16(514);
    k->pairs = v_lanes16(pairs);
    k->ones = v_set1_8(1);
    k->uv_bytes = v_lanes16(uv_bytes);
}

/* Y of the V_N32 pixels of px as int32, in memory order, before
 * clamping.  A pixel's 16-bit words are R + 256 G and B + 256 A, so
 * masking gives words (R, B) and shifting (G, A), with A replaced by the
 * rounding constant: two pmaddwd and an add leave each pixel's sum in its
 * own int32, with no shuffle at all. */
V_FN vec luma32(vec px, const to_yuv_consts *k)
{
    vec even = v_and(px, k->low_bytes);
    vec odd = v_blend16(v_srli16(px, 8), k->y_k, 0xaa);
    vec y = v_add32(v_madd16(even, k->y_even), v_madd16(odd, k->y_odd));
    return v_srai32(y, 14);
}

/* Y of 4 * V_N32 pixels, clamped, in memory order. */
V_FN vec luma_bytes(const vec px[4], const to_yuv_consts *k)
{
    vec ab = v_packs32(luma32(px[0], k), luma32(px[1], k));
    vec cd = v_packs32(luma32(px[2], k), luma32(px[3], k));
    return v_fix_pack4(v_packus16(ab, cd));
}

/* U and V of the blocks under px0 (even row) and px1 (odd row): per lane
 * [U_a, U_b, V_a, V_b] as int32 for the blocks a = pixels 4k, 4k+1 and
 * b = 4k+2, 4k+3 of lane k. */
V_FN vec chroma32(vec px0, vec px1, const to_yuv_consts *k)
{
    vec s = v_add16(v_maddubs(v_shuffle8(px0, k->pairs), k->ones),
                    v_maddubs(v_shuffle8(px1, k->pairs), k->ones));
    s = v_blend16(s, k->c_k, 0x88);
    vec uv = v_hadd32(v_madd16(s, k->u_coef), v_madd16(s, k->v_coef));
    return v_srai32(uv, 16);
}

/* One chroma row's blocks for columns [x, width) and the luma of the rows
 * above, in C (vg/pixel_math.h). */
static void rgba_to_i420_tail(const vg_image *dst, const uint8_t *row0,
                              const uint8_t *row1, int32_t y, int have_row1,
                              const vg_color_params *p, int32_t x)
{
    const int32_t w = dst->width;
    uint8_t *y0 = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
    uint8_t *y1 = y0 + (size_t)dst->stride[0];
    uint8_t *u = dst->data[1] + (size_t)(y / 2) * (size_t)dst->stride[1];
    uint8_t *v = dst->data[2] + (size_t)(y / 2) * (size_t)dst->stride[2];
    for (int32_t i = x; i < w; i++) {
        const uint8_t *a = row0 + 4 * (size_t)i, *b = row1 + 4 * (size_t)i;
        y0[i] = vg_pm_rgb_to_y(a[0], a[1], a[2], p->y_r, p->y_g, p->y_b,
                               p->y_offset);
        if (have_row1)
            y1[i] = vg_pm_rgb_to_y(b[0], b[1], b[2], p->y_r, p->y_g, p->y_b,
                                   p->y_offset);
    }
    for (int32_t cx = x / 2; cx < (w + 1) / 2; cx++) {
        size_t x0 = 4 * (size_t)(2 * cx);
        size_t x1 = 4 * (size_t)vg_pm_clamp_index(2 * cx + 1, w);
        int32_t s[3];
        for (int c = 0; c < 3; c++)
            s[c] = row0[x0 + (size_t)c] + row0[x1 + (size_t)c] +
                   row1[x0 + (size_t)c] + row1[x1 + (size_t)c];
        u[cx] = vg_pm_sums_to_chroma(s[0], s[1], s[2], p->u_r, p->u_g, p->u_b);
        v[cx] = vg_pm_sums_to_chroma(s[0], s[1], s[2], p->v_r, p->v_g, p->v_b);
    }
}

/* Luma rows y and y + 1 (when it exists) and chroma row y / 2; y even. */
static void rgba_to_i420_pair(const vg_image *dst, const vg_image *src,
                              const vg_color_params *p, const to_yuv_consts *k,
                              int32_t y)
{
    const int32_t w = src->width;
    const int have_row1 = y + 1 < src->height;
    const uint8_t *row0 = src->data[0] + (size_t)y * (size_t)src->stride[0];
    const uint8_t *row1 = have_row1 ? row0 + (size_t)src->stride[0] : row0;
    uint8_t *y0 = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
    uint8_t *y1 = y0 + (size_t)dst->stride[0];
    uint8_t *u = dst->data[1] + (size_t)(y / 2) * (size_t)dst->stride[1];
    uint8_t *v = dst->data[2] + (size_t)(y / 2) * (size_t)dst->stride[2];
    int32_t x = 0;

    /* The next row pair, prefetched as this one is read: half of this
     * kernel's time went to waiting for its source loads, and two rows
     * read side by side are two streams the hardware prefetcher picks up
     * late at each new row.  Addresses, not pointers: past the last row
     * they are only prefetched, which never faults. */
    const uintptr_t next0 = (uintptr_t)row0 + 2 * (uintptr_t)src->stride[0];
    const uintptr_t next1 = (uintptr_t)row1 + 2 * (uintptr_t)src->stride[0];
    for (; x + 4 * V_N32 <= w; x += 4 * V_N32) {
        for (uintptr_t o = 4 * (uintptr_t)x; o < 4 * (uintptr_t)x + V_BYTES * 4;
             o += 64) {
            _mm_prefetch((const char *)(next0 + o), _MM_HINT_T0);
            _mm_prefetch((const char *)(next1 + o), _MM_HINT_T0);
        }
        vec a[4], b[4], c[4];
        for (int j = 0; j < 4; j++) {
            a[j] = v_load(row0 + 4 * (size_t)(x + j * V_N32));
            b[j] = v_load(row1 + 4 * (size_t)(x + j * V_N32));
        }
        v_store(y0 + x, luma_bytes(a, k));
        if (have_row1)
            v_store(y1 + x, luma_bytes(b, k));
        for (int j = 0; j < 4; j++)
            c[j] = chroma32(a[j], b[j], k);
        vec t = v_packus16(v_packs32(c[0], c[1]), v_packs32(c[2], c[3]));
        vhalf uh, vh;
        chroma_split(v_shuffle8(t, k->uv_bytes), &uh, &vh);
        v_store_half(u + x / 2, uh);
        v_store_half(v + x / 2, vh);
    }
    if (x < w)
        rgba_to_i420_tail(dst, row0, row1, y, have_row1, p, x);
}

VG_DECL_RGBA_TO_I420_FN(CPU_FN(cpu_rgba_to_i420))
{
    to_yuv_consts k;
    to_yuv_init(&k, params);
    for (int32_t y = y0; y < y1; y += 2)
        rgba_to_i420_pair(dst, src, params, &k, y);
}

/* ------------------------------------------------------------------------ */
/* I420 -> RGBA                                                              */
/* ------------------------------------------------------------------------ */

/* Exact in 16-bit lanes.  With A = y_scale * (Y - y_offset) + 4096 and
 * B = k_u * (U - 128) + k_v * (V - 128), each channel is floor((A + B) /
 * 8192) clamped.  Scaled by 8, both are 32-bit numbers whose high word is
 * the quotient by 8192 and whose low word is the remainder (times 8):
 *   8A = aq * 65536 + al,  8B = bq * 65536 + bl,  al, bl in 0..65535,
 * so the channel is aq + bq + (al + bl >= 65536): a 16-bit add and a carry
 * instead of a 32-bit add and shift, and each instruction carries twice
 * the pixels.  aq is pmulhrsw(4 (Y - y_offset), y_scale) (its +2^14 is the
 * 4096), al the low word of 8 (Y - y_offset) y_scale + 32768, which is
 * pmullw(4 (Y - y_offset), 2 y_scale) with the sign bit flipped; that flip
 * is exactly the bias a signed compare needs, so the carry is one pcmpgtw
 * of the raw pmullw against 32767 - bl.  |aq|, |bq| <= 1024 for every
 * coefficient below 2^15, so the sums fit and packuswb does the clamp.
 * B is computed per chroma sample by pmaddwd on 8 (U - 128), 8 (V - 128),
 * and its two words are spread onto the two pixels of the sample by one
 * pshufb each.  tests/test_color_exhaustive.c checks every (Y, U, V). */

typedef struct to_rgb_consts {
    vec y_scale;  /* words y_scale: pmulhrsw gives the quotient aq */
    vec y_scale2; /* words 2 * y_scale (mod 2^16): pmullw gives al */
    vec y_off4;   /* words 4 * y_offset */
    vec c1024;    /* words 8 * 128 */
    vec r_coef;   /* words 0, r_v (U, V pairs) */
    vec g_coef;   /* words g_u, g_v */
    vec b_coef;   /* words b_u, 0 */
    vec k7fff;    /* words 32767 */
    vec alpha;    /* words 255 */
    vec dup_hi;   /* pshufb: each int32's high word, twice */
    vec dup_lo;   /* pshufb: each int32's low word, twice */
} to_rgb_consts;

static void to_rgb_init(to_rgb_consts *k, const vg_color_params *p)
{
    static const uint8_t dup_hi[16] = {2,  3,  2,  3,  6,  7,  6,  7,
                                       10, 11, 10, 11, 14, 15, 14, 15};
    static const uint8_t dup_lo[16] = {0, 1, 0, 1, 4,  5,  4,  5,
                                       8, 9, 8, 9, 12, 13, 12, 13};
    k->y_scale = v_set1_16(p->y_scale);
    k->y_scale2 = v_set1_16(2 * p->y_scale);
    k->y_off4 = v_set1_16(4 * p->y_offset);
    k->c1024 = v_set1_16(1024);
    k->r_coef = v_set4_16(0, p->r_v, 0, p->r_v);
    k->g_coef = v_set4_16(p->g_u, p->g_v, p->g_u, p->g_v);
    k->b_coef = v_set4_16(p->b_u, 0, p->b_u, 0);
    k->k7fff = v_set1_16(32767);
    k->alpha = v_set1_16(255);
    k->dup_hi = v_lanes16(dup_hi);
    k->dup_lo = v_lanes16(dup_lo);
}

/* The order of the pixels in a vector of words, chosen so that the two
 * byte unpacks and two word unpacks that interleave R, G, B and A (all
 * inside 128-bit lanes) leave them in memory order: lane k holds pixels
 * 4k..4k+3 and then 4 V_LANES + 4k..+3.  A vector of V_BYTES / 2 pixels
 * needs their chroma samples 2k, 2k + 1, 2 V_LANES + 2k, 2 V_LANES + 2k + 1
 * in lane k of the int32 vector that pshufb spreads. */

/* V_BYTES / 2 luma bytes in that order, as words. */
V_FN vec load_luma_words(const uint8_t *y)
{
#if VEC_BITS == 128
    return v_cvt_u8_16(v_load_half(y));
#elif VEC_BITS == 256
    return v_cvt_u8_16(_mm_shuffle_epi32(v_load_half(y), 0xd8));
#else
    return v_cvt_u8_16(_mm256_permutevar8x32_epi32(
        v_load_half(y), _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
#endif
}

/* The (U, V) word pairs of the V_BYTES / 2 chroma samples at u and v, in
 * two vectors: the samples of the first V_BYTES / 2 pixels (see above)
 * and those of the next V_BYTES / 2. */
V_FN void load_chroma_pairs(const uint8_t *u, const uint8_t *v, vec *first,
                            vec *second)
{
    vhalf uu = v_load_half(u), vv = v_load_half(v);
#if VEC_BITS == 128
    __m128i uv = _mm_unpacklo_epi8(uu, vv);
    *first = v_cvt_u8_16(uv);
    *second = v_cvt_u8_16(_mm_srli_si128(uv, 8));
#elif VEC_BITS == 256
    *first = v_cvt_u8_16(_mm_shuffle_epi32(_mm_unpacklo_epi8(uu, vv), 0xd8));
    *second = v_cvt_u8_16(_mm_shuffle_epi32(_mm_unpackhi_epi8(uu, vv), 0xd8));
#else
    /* pairs 0-7, 16-23 and 8-15, 24-31, as int32 */
    __m512i lo = v_cvt_u8_16(_mm256_unpacklo_epi8(uu, vv));
    __m512i hi = v_cvt_u8_16(_mm256_unpackhi_epi8(uu, vv));
    *first =
        _mm512_permutex2var_epi32(lo,
                                  _mm512_setr_epi32(0, 1, 16, 17, 2, 3, 18, 19,
                                                    4, 5, 20, 21, 6, 7, 22, 23),
                                  hi);
    *second = _mm512_permutex2var_epi32(lo,
                                        _mm512_setr_epi32(8, 9, 24, 25, 10, 11,
                                                          26, 27, 12, 13, 28,
                                                          29, 14, 15, 30, 31),
                                        hi);
#endif
}

/* One channel's chroma part of V_BYTES / 2 pixels: the quotient words bq
 * and the carry thresholds 32767 - bl, from (U, V) pairs already scaled
 * to 8 (U - 128), 8 (V - 128). */
typedef struct chroma16 {
    vec q, t;
} chroma16;

V_FN chroma16 chroma_terms(vec uv8, vec coef, const to_rgb_consts *k)
{
    vec b8 = v_madd16(uv8, coef);
    return (chroma16){v_shuffle8(b8, k->dup_hi),
                      v_sub16(k->k7fff, v_shuffle8(b8, k->dup_lo))};
}

/* V_BYTES / 2 pixels of one luma row from their chroma terms. */
V_FN void rgba_words_store(uint8_t *out, const uint8_t *luma, const chroma16 *c,
                           const to_rgb_consts *k)
{
    vec y4 = v_sub16(v_slli16(load_luma_words(luma), 2), k->y_off4);
    vec aq = v_mulhrs16(y4, k->y_scale);
    vec al = v_mullo16(y4, k->y_scale2);
    vec r = v_add16_where_gt(v_add16(aq, c[0].q), al, c[0].t);
    vec g = v_add16_where_gt(v_add16(aq, c[1].q), al, c[1].t);
    vec b = v_add16_where_gt(v_add16(aq, c[2].q), al, c[2].t);
    vec rb = v_packus16(r, b);
    vec ga = v_packus16(g, k->alpha);
    vec rg8 = v_unpacklo8(rb, ga), ba8 = v_unpackhi8(rb, ga);
    v_store(out, v_unpacklo16(rg8, ba8));
    v_store(out + V_BYTES, v_unpackhi16(rg8, ba8));
}

/* Pixels [x, x + V_BYTES / 2) of both rows from one vector of pairs. */
V_FN void rgba_rows_store(uint8_t *out0, uint8_t *out1, const uint8_t *yr0,
                          const uint8_t *yr1, int have_row1, vec pairs,
                          const to_rgb_consts *k)
{
    vec uv8 = v_sub16(v_slli16(pairs, 3), k->c1024);
    chroma16 c[3] = {chroma_terms(uv8, k->r_coef, k),
                     chroma_terms(uv8, k->g_coef, k),
                     chroma_terms(uv8, k->b_coef, k)};
    rgba_words_store(out0, yr0, c, k);
    if (have_row1)
        rgba_words_store(out1, yr1, c, k);
}

static void i420_to_rgba_tail(uint8_t *out, const uint8_t *yr,
                              const uint8_t *ur, const uint8_t *vr,
                              const vg_color_params *p, int32_t x,
                              int32_t width)
{
    for (; x < width; x++) {
        int32_t luma = vg_pm_luma_term(yr[x], p->y_scale, p->y_offset);
        uint8_t u = ur[x / 2], v = vr[x / 2];
        uint8_t *o = out + 4 * (size_t)x;
        o[0] = vg_pm_yuv_to_channel(luma, 0, u, p->r_v, v);
        o[1] = vg_pm_yuv_to_channel(luma, p->g_u, u, p->g_v, v);
        o[2] = vg_pm_yuv_to_channel(luma, p->b_u, u, 0, v);
        o[3] = 255;
    }
}

VG_DECL_I420_TO_RGBA_FN(CPU_FN(cpu_i420_to_rgba))
{
    const vg_color_params *p = params;
    const int32_t w = dst->width;
    to_rgb_consts k;
    to_rgb_init(&k, p);

    for (int32_t y = y0; y < y1; y += 2) {
        const int have_row1 = y + 1 < y1;
        const uint8_t *yr0 = src->data[0] + (size_t)y * (size_t)src->stride[0];
        const uint8_t *yr1 = yr0 + (size_t)src->stride[0];
        const uint8_t *ur =
            src->data[1] + (size_t)(y / 2) * (size_t)src->stride[1];
        const uint8_t *vr =
            src->data[2] + (size_t)(y / 2) * (size_t)src->stride[2];
        uint8_t *out0 = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        uint8_t *out1 = out0 + (size_t)dst->stride[0];
        int32_t x = 0;
        for (; x + V_BYTES <= w; x += V_BYTES) {
            vec first, second;
            load_chroma_pairs(ur + x / 2, vr + x / 2, &first, &second);
            rgba_rows_store(out0 + 4 * (size_t)x, out1 + 4 * (size_t)x, yr0 + x,
                            yr1 + x, have_row1, first, &k);
            const size_t h = V_BYTES / 2;
            rgba_rows_store(out0 + 4 * ((size_t)x + h),
                            out1 + 4 * ((size_t)x + h), yr0 + x + h,
                            yr1 + x + h, have_row1, second, &k);
        }
        i420_to_rgba_tail(out0, yr0, ur, vr, p, x, w);
        if (have_row1)
            i420_to_rgba_tail(out1, yr1, ur, vr, p, x, w);
    }
}

/*
 * vec.h - one vector vocabulary for SSE4.1, AVX2 and AVX-512BW (internal).
 *
 * The kernel templates (x86/..._tmpl.c) are written once against these
 * functions and compiled three times, by x86/isa_sse41.c, isa_avx2.c and
 * isa_avx512.c, each of which defines VEC_BITS (128, 256, 512) and sets its
 * `#pragma GCC target` before including this file.  One source per kernel
 * keeps the three levels from drifting apart, and keeps the AVX-512 level
 * (which CI machines without AVX-512 can only compile) identical to the
 * tested ones except for the few width-specific helpers below.
 *
 * Semantics follow the instructions: unpack, pack, shuffle8, madd16, hadd32
 * and blend16 work inside each 128-bit lane, and the v_fix_* helpers put
 * lanes back in memory order where a template needs it.  A "half" vector
 * (vhalf) is V_BYTES / 2 bytes: what v_cvt_u8_16 widens into a vec.
 */
#ifndef VG_CPU_X86_VEC_H
#define VG_CPU_X86_VEC_H

#include <immintrin.h>
#include <stdint.h>

#if !defined(VEC_BITS)
#error "define VEC_BITS (128, 256 or 512) before including x86/vec.h"
#endif

#define V_BYTES (VEC_BITS / 8)
#define V_LANES (VEC_BITS / 128) /* 128-bit lanes */
#define V_N32 (V_BYTES / 4)      /* int32 elements = RGBA pixels */

#define V_FN static inline __attribute__((always_inline))

#if VEC_BITS == 128
typedef __m128i vec;
typedef __m128i vhalf; /* the low 8 bytes are used */
typedef __m128i vmask;
#define V_(op) _mm_##op
#define V_SI(op) _mm_##op##_si128
#elif VEC_BITS == 256
typedef __m256i vec;
typedef __m128i vhalf;
typedef __m256i vmask;
#define V_(op) _mm256_##op
#define V_SI(op) _mm256_##op##_si256
#elif VEC_BITS == 512
typedef __m512i vec;
typedef __m256i vhalf;
typedef __mmask16 vmask; /* one bit per int32 element */
#define V_(op) _mm512_##op
#define V_SI(op) _mm512_##op##_si512
#else
#error "VEC_BITS must be 128, 256 or 512"
#endif

/* ------------------------------------------------------------------------ */
/* Loads, stores, constants                                                  */
/* ------------------------------------------------------------------------ */

V_FN vec v_load(const void *p)
{
    return V_SI(loadu)((const void *)p);
}

V_FN void v_store(void *p, vec v)
{
    V_SI(storeu)((void *)p, v);
}

V_FN vec v_zero(void)
{
    return V_SI(setzero)();
}

V_FN vec v_set1_8(int x)
{
    return V_(set1_epi8)((char)x);
}

V_FN vec v_set1_16(int x)
{
    return V_(set1_epi16)((short)x);
}

V_FN vec v_set1_32(int32_t x)
{
    return V_(set1_epi32)(x);
}

V_FN vec v_set1_64(int64_t x)
{
#if VEC_BITS == 512
    return _mm512_set1_epi64(x);
#else
    return V_(set1_epi64x)(x);
#endif
}

/* Four int16 words repeated: w0 w1 w2 w3 w0 w1 w2 w3 ... */
V_FN vec v_set4_16(int32_t w0, int32_t w1, int32_t w2, int32_t w3)
{
    uint64_t q = (uint64_t)(uint16_t)w0 | (uint64_t)(uint16_t)w1 << 16 |
                 (uint64_t)(uint16_t)w2 << 32 | (uint64_t)(uint16_t)w3 << 48;
    return v_set1_64((int64_t)q);
}

/* A 16-byte pattern repeated in every 128-bit lane (pshufb tables). */
V_FN vec v_lanes16(const uint8_t pattern[16])
{
    __m128i p = _mm_loadu_si128((const __m128i *)pattern);
#if VEC_BITS == 128
    return p;
#elif VEC_BITS == 256
    return _mm256_broadcastsi128_si256(p);
#else
    return _mm512_broadcast_i32x4(p);
#endif
}

/* V_BYTES / 2 bytes from p, and back. */
V_FN vhalf v_load_half(const void *p)
{
#if VEC_BITS == 128
    return _mm_loadl_epi64((const __m128i *)p);
#elif VEC_BITS == 256
    return _mm_loadu_si128((const __m128i *)p);
#else
    return _mm256_loadu_si256((const __m256i *)p);
#endif
}

V_FN void v_store_half(void *p, vhalf v)
{
#if VEC_BITS == 128
    _mm_storel_epi64((__m128i *)p, v);
#elif VEC_BITS == 256
    _mm_storeu_si128((__m128i *)p, v);
#else
    _mm256_storeu_si256((__m256i *)p, v);
#endif
}

/* The V_BYTES / 2 bytes of a half vector, zero-extended to 16 bits, in
 * memory order. */
V_FN vec v_cvt_u8_16(vhalf h)
{
#if VEC_BITS == 128
    return _mm_cvtepu8_epi16(h);
#elif VEC_BITS == 256
    return _mm256_cvtepu8_epi16(h);
#else
    return _mm512_cvtepu8_epi16(h);
#endif
}

/* The low / high half of a vector. */
V_FN vhalf v_lo_half(vec v)
{
#if VEC_BITS == 128
    return v;
#elif VEC_BITS == 256
    return _mm256_castsi256_si128(v);
#else
    return _mm512_castsi512_si256(v);
#endif
}

V_FN vhalf v_hi_half(vec v)
{
#if VEC_BITS == 128
    return _mm_srli_si128(v, 8);
#elif VEC_BITS == 256
    return _mm256_extracti128_si256(v, 1);
#else
    return _mm512_extracti64x4_epi64(v, 1);
#endif
}

/* ------------------------------------------------------------------------ */
/* Arithmetic and logic                                                      */
/* ------------------------------------------------------------------------ */

V_FN vec v_add16(vec a, vec b)
{
    return V_(add_epi16)(a, b);
}

V_FN vec v_sub16(vec a, vec b)
{
    return V_(sub_epi16)(a, b);
}

V_FN vec v_add32(vec a, vec b)
{
    return V_(add_epi32)(a, b);
}

V_FN vec v_sub32(vec a, vec b)
{
    return V_(sub_epi32)(a, b);
}

V_FN vec v_mullo16(vec a, vec b)
{
    return V_(mullo_epi16)(a, b);
}

V_FN vec v_mullo32(vec a, vec b)
{
    return V_(mullo_epi32)(a, b);
}

/* pmaddwd: int16 pairs multiplied and summed into int32. */
V_FN vec v_madd16(vec a, vec b)
{
    return V_(madd_epi16)(a, b);
}

/* acc + v_madd16(a, b).  Where the including file defines CPU_VNNI (and
 * enables AVX512-VNNI) this is one vpdpwssd instead of two instructions:
 * the multiply-accumulate loops of the blur are bound by exactly these
 * pairs.  The bits are the same: vpdpwssd adds both products to acc
 * without saturating, wrapping modulo 2^32 like pmaddwd and paddd. */
V_FN vec v_madd16_acc(vec acc, vec a, vec b)
{
#if defined(CPU_VNNI) && VEC_BITS == 512
    return _mm512_dpwssd_epi32(acc, a, b);
#elif defined(CPU_VNNI) && VEC_BITS == 256
    return _mm256_dpwssd_epi32(acc, a, b);
#elif defined(CPU_VNNI)
    return _mm_dpwssd_epi32(acc, a, b);
#else
    return V_(add_epi32)(acc, V_(madd_epi16)(a, b));
#endif
}

/* pmaddubsw: unsigned bytes of u times signed bytes of s, adjacent pairs
 * summed into int16 with saturation. */
V_FN vec v_maddubs(vec u, vec s)
{
    return V_(maddubs_epi16)(u, s);
}

V_FN vec v_srli16(vec a, int n)
{
    return V_(srli_epi16)(a, n);
}

V_FN vec v_slli16(vec a, int n)
{
    return V_(slli_epi16)(a, n);
}

V_FN vec v_srli32(vec a, int n)
{
    return V_(srli_epi32)(a, n);
}

V_FN vec v_slli32(vec a, int n)
{
    return V_(slli_epi32)(a, n);
}

V_FN vec v_srai32(vec a, int n)
{
    return V_(srai_epi32)(a, n);
}

V_FN vec v_and(vec a, vec b)
{
    return V_SI(and)(a, b);
}

V_FN vec v_or(vec a, vec b)
{
    return V_SI(or)(a, b);
}

V_FN vec v_xor(vec a, vec b)
{
    return V_SI(xor)(a, b);
}

V_FN vec v_min_u32(vec a, vec b)
{
    return V_(min_epu32)(a, b);
}

V_FN vec v_abs32(vec a)
{
    return V_(abs_epi32)(a);
}

/* ------------------------------------------------------------------------ */
/* In-lane rearrangements                                                    */
/* ------------------------------------------------------------------------ */

V_FN vec v_unpacklo8(vec a, vec b)
{
    return V_(unpacklo_epi8)(a, b);
}

V_FN vec v_unpackhi8(vec a, vec b)
{
    return V_(unpackhi_epi8)(a, b);
}

V_FN vec v_unpacklo16(vec a, vec b)
{
    return V_(unpacklo_epi16)(a, b);
}

V_FN vec v_unpackhi16(vec a, vec b)
{
    return V_(unpackhi_epi16)(a, b);
}

V_FN vec v_unpacklo32(vec a, vec b)
{
    return V_(unpacklo_epi32)(a, b);
}

V_FN vec v_unpackhi32(vec a, vec b)
{
    return V_(unpackhi_epi32)(a, b);
}

/* int32 -> int16 with signed saturation: per lane [a | b]. */
V_FN vec v_packs32(vec a, vec b)
{
    return V_(packs_epi32)(a, b);
}

/* int16 -> uint8 with unsigned saturation: per lane [a | b]. */
V_FN vec v_packus16(vec a, vec b)
{
    return V_(packus_epi16)(a, b);
}

V_FN vec v_shuffle8(vec a, vec table)
{
    return V_(shuffle_epi8)(a, table);
}

/* Per lane: [a0+a1, a2+a3, b0+b1, b2+b3] of int32. */
V_FN vec v_hadd32(vec a, vec b)
{
#if VEC_BITS == 512
    __m512 fa = _mm512_castsi512_ps(a), fb = _mm512_castsi512_ps(b);
    __m512i even = _mm512_castps_si512(_mm512_shuffle_ps(fa, fb, 0x88));
    __m512i odd = _mm512_castps_si512(_mm512_shuffle_ps(fa, fb, 0xdd));
    return _mm512_add_epi32(even, odd);
#else
    return V_(hadd_epi32)(a, b);
#endif
}

/* Per lane, word i from b where bit i of imm8 is set, else from a. */
#if VEC_BITS == 512
#define v_blend16(a, b, imm8)                                                  \
    _mm512_mask_blend_epi16((__mmask32)((imm8)*0x01010101u), (a), (b))
#else
#define v_blend16(a, b, imm8) V_(blend_epi16)((a), (b), (imm8))
#endif

/* ------------------------------------------------------------------------ */
/* Lane order fix-ups                                                        */
/* ------------------------------------------------------------------------ */

/* After v_packus16 of two vectors x, y (each lane: x's 8 bytes then y's),
 * put all of x's bytes first, then y's. */
V_FN vec v_fix_pack2(vec v)
{
#if VEC_BITS == 128
    return v;
#elif VEC_BITS == 256
    return _mm256_permute4x64_epi64(v, 0xd8);
#else
    return _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7),
                                    v);
#endif
}

/* After v_packus16(v_packs32(a, b), v_packs32(c, d)) (each lane: 4 bytes
 * of a, b, c, d), put a's bytes first, then b's, c's, d's. */
V_FN vec v_fix_pack4(vec v)
{
#if VEC_BITS == 128
    return v;
#elif VEC_BITS == 256
    return _mm256_permutevar8x32_epi32(
        v, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
#else
    return _mm512_permutexvar_epi32(
        _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15),
        v);
#endif
}

/* Two vectors whose lane k holds pixels of group 2k (lo) and 2k + 1 (hi)
 * in the interleaving unpacklo/unpackhi produce, back in memory order. */
V_FN void v_fix_unpack(vec lo, vec hi, vec *first, vec *second)
{
#if VEC_BITS == 128
    *first = lo;
    *second = hi;
#elif VEC_BITS == 256
    *first = _mm256_permute2x128_si256(lo, hi, 0x20);
    *second = _mm256_permute2x128_si256(lo, hi, 0x31);
#else
    *first = _mm512_permutex2var_epi64(
        lo, _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11), hi);
    *second = _mm512_permutex2var_epi64(
        lo, _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15), hi);
#endif
}

/* ------------------------------------------------------------------------ */
/* int32 compares and selects                                                */
/* ------------------------------------------------------------------------ */

#if VEC_BITS == 512
V_FN vmask v_lt_u32(vec a, vec b)
{
    return _mm512_cmplt_epu32_mask(a, b);
}

V_FN vmask v_eq32(vec a, vec b)
{
    return _mm512_cmpeq_epi32_mask(a, b);
}

V_FN vmask v_mask_and(vmask a, vmask b)
{
    return (vmask)(a & b);
}

V_FN vmask v_mask_or(vmask a, vmask b)
{
    return (vmask)(a | b);
}

V_FN vmask v_mask_from_lsb(vec a)
{
    return _mm512_test_epi32_mask(a, _mm512_set1_epi32(1));
}

V_FN vec v_select32(vmask m, vec if_set, vec if_clear)
{
    return _mm512_mask_blend_epi32(m, if_clear, if_set);
}

V_FN int v_mask_any(vmask m)
{
    return m != 0;
}
#else
V_FN vmask v_lt_u32(vec a, vec b)
{
    vec bias = v_set1_32(INT32_MIN);
    return V_(cmpgt_epi32)(v_xor(b, bias), v_xor(a, bias));
}

V_FN vmask v_eq32(vec a, vec b)
{
    return V_(cmpeq_epi32)(a, b);
}

V_FN vmask v_mask_and(vmask a, vmask b)
{
    return v_and(a, b);
}

V_FN vmask v_mask_or(vmask a, vmask b)
{
    return v_or(a, b);
}

/* All ones where the lowest bit of the int32 is set. */
V_FN vmask v_mask_from_lsb(vec a)
{
    return v_sub32(v_zero(), v_and(a, v_set1_32(1)));
}

V_FN vec v_select32(vmask m, vec if_set, vec if_clear)
{
    return V_(blendv_epi8)(if_clear, if_set, m);
}

V_FN int v_mask_any(vmask m)
{
    return V_(movemask_epi8)(m) != 0;
}
#endif

/* floor(a / d) for 0 <= a < 2^31 and d >= 1, given rcp = 1.0 / d.  Exact,
 * though it goes through doubles: (a + 0.5) / d lies at least 0.5 / d away
 * from every integer, while the two roundings of (a + 0.5) * rcp move it by
 * at most (a + 0.5) / d * 2^-52 < 0.5 / d, so truncation always lands on
 * floor(a / d).  (A quotient, not pixel arithmetic: the rule against floats
 * in kernels is about results that could differ between machines, and
 * these cannot.) */
V_FN vec v_div_u31(vec a, double rcp)
{
#if VEC_BITS == 128
    __m128d r = _mm_set1_pd(rcp), half = _mm_set1_pd(0.5);
    __m128d lo = _mm_mul_pd(_mm_add_pd(_mm_cvtepi32_pd(a), half), r);
    __m128d hi =
        _mm_mul_pd(_mm_add_pd(_mm_cvtepi32_pd(_mm_srli_si128(a, 8)), half), r);
    return _mm_unpacklo_epi64(_mm_cvttpd_epi32(lo), _mm_cvttpd_epi32(hi));
#elif VEC_BITS == 256
    __m256d r = _mm256_set1_pd(rcp), half = _mm256_set1_pd(0.5);
    __m256d lo = _mm256_mul_pd(
        _mm256_add_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(a)), half), r);
    __m256d hi = _mm256_mul_pd(
        _mm256_add_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(a, 1)), half),
        r);
    return _mm256_set_m128i(_mm256_cvttpd_epi32(hi), _mm256_cvttpd_epi32(lo));
#else
    __m512d r = _mm512_set1_pd(rcp), half = _mm512_set1_pd(0.5);
    __m512d lo = _mm512_mul_pd(
        _mm512_add_pd(_mm512_cvtepi32_pd(_mm512_castsi512_si256(a)), half), r);
    __m512d hi = _mm512_mul_pd(
        _mm512_add_pd(_mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(a, 1)),
                      half),
        r);
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvttpd_epi32(lo)),
                              _mm512_cvttpd_epi32(hi), 1);
#endif
}

/* 0, 1, 2, ... V_N32 - 1 */
V_FN vec v_iota32(void)
{
#if VEC_BITS == 128
    return _mm_setr_epi32(0, 1, 2, 3);
#elif VEC_BITS == 256
    return _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
#else
    return _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                             15);
#endif
}

/* ------------------------------------------------------------------------ */
/* 16-bit multiplies and compares                                            */
/* ------------------------------------------------------------------------ */

/* pmulhrsw: (a * b + 2^14) >> 15 of int16, the product exact in 32 bits
 * (= floor((a * b + 2^14) / 2^15); only -32768 * -32768 saturates). */
V_FN vec v_mulhrs16(vec a, vec b)
{
    return V_(mulhrs_epi16)(a, b);
}

/* s + 1 in each int16 where a > b (signed), else s. */
V_FN vec v_add16_where_gt(vec s, vec a, vec b)
{
#if VEC_BITS == 512
    return _mm512_mask_sub_epi16(s, _mm512_cmpgt_epi16_mask(a, b), s,
                                 _mm512_set1_epi16(-1));
#else
    return V_(sub_epi16)(s, V_(cmpgt_epi16)(a, b));
#endif
}

/* ------------------------------------------------------------------------ */
/* Streaming stores and cross-lane permutes                                  */
/* ------------------------------------------------------------------------ */

/* A streaming (non-temporal) store to a V_BYTES-aligned address: the line
 * is written without first being read into the caches.  Whoever streams
 * calls _mm_sfence before the data is handed over. */
V_FN void v_stream(void *p, vec v)
{
    V_SI(stream)((void *)p, v);
}

/* The int32 elements of v picked by idx (0 .. V_N32 - 1 each), across
 * lanes: vpermd at 256 and 512 bits, a pshufb at 128. */
V_FN vec v_permute32(vec v, vec idx)
{
#if VEC_BITS == 128
    __m128i bytes = _mm_shuffle_epi8(
        _mm_slli_epi32(idx, 2),
        _mm_setr_epi8(0, 0, 0, 0, 4, 4, 4, 4, 8, 8, 8, 8, 12, 12, 12, 12));
    return _mm_shuffle_epi8(v, _mm_add_epi8(bytes, _mm_set1_epi32(0x03020100)));
#elif VEC_BITS == 256
    return _mm256_permutevar8x32_epi32(v, idx);
#else
    return _mm512_permutexvar_epi32(idx, v);
#endif
}

#endif /* VG_CPU_X86_VEC_H */

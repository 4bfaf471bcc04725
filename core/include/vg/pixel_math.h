/*
 * vg/pixel_math.h - the one definition of vg's per-pixel arithmetic.
 *
 * Every backend computes pixels with these functions, so every backend
 * produces the same bytes.
 * The same text compiles as:
 *   - C11 (the reference kernels in core/reference, the CPU plugin's tails),
 *   - CUDA (nvcc: every function is __host__ __device__),
 *   - OpenCL C 1.2 (the OpenCL plugin prepends this file to its program
 *     source at run time).
 * Hence the constraints: scalar arguments only (no pointers, which OpenCL
 * would need address-space qualifiers for; no structs, which OpenCL kernels
 * receive as plain ints), no floating point anywhere, no right shift of a
 * negative signed value (implementation-defined in C), and no integer
 * overflow for any input within the documented bounds.  docs/kernels.md
 * states the same math in prose, with the accuracy bound of each kernel.
 *
 * Colours packed in a vg_pm_u32 are 0xRRGGBBAA *values* (as in
 * vg_pattern_params.rgba), not a memory layout: memory is always R, G, B, A
 * bytes in that order.
 *
 * Thread-safety: pure functions.
 */
#ifndef VG_PIXEL_MATH_H
#define VG_PIXEL_MATH_H

#if defined(__OPENCL_VERSION__) || defined(__OPENCL_C_VERSION__)
/* OpenCL C has fixed-width built-in types and no <stdint.h>. */
typedef int vg_pm_i32;
typedef uint vg_pm_u32;
typedef long vg_pm_i64;
typedef ushort vg_pm_u16;
typedef uchar vg_pm_u8;
#define VG_PM_FN static inline
#else
#include <stdint.h>
typedef int32_t vg_pm_i32;
typedef uint32_t vg_pm_u32;
typedef int64_t vg_pm_i64;
typedef uint16_t vg_pm_u16;
typedef uint8_t vg_pm_u8;
#if defined(__CUDACC__)
#define VG_PM_FN static __host__ __device__ inline
#else
#define VG_PM_FN static inline
#endif
#endif

/* Kernel selector values, identical to plugin.h's enums (checked below on
 * the C side) so OpenCL kernels can use them without plugin.h. */
#define VG_PM_PATTERN_TESTSRC 1
#define VG_PM_PATTERN_BARS 2
#define VG_PM_PATTERN_CHECKER 3
#define VG_PM_PATTERN_SOLID 4
#define VG_PM_EDGE_CLAMP 1
#define VG_PM_EDGE_BORDER 2
#define VG_PM_BLEND_CROSSFADE 1
#define VG_PM_BLEND_ALPHA_OVER 2
#define VG_PM_BLEND_WIPE 3

#if !defined(__OPENCL_VERSION__) && !defined(__OPENCL_C_VERSION__)
#include "vg/plugin.h"
#if defined(__cplusplus)
#define VG_PM_STATIC_ASSERT_(cond, msg) static_assert(cond, msg)
#else
#define VG_PM_STATIC_ASSERT_(cond, msg) _Static_assert(cond, msg)
#endif
VG_PM_STATIC_ASSERT_(VG_PM_PATTERN_TESTSRC == VG_PATTERN_TESTSRC &&
                         VG_PM_PATTERN_BARS == VG_PATTERN_BARS &&
                         VG_PM_PATTERN_CHECKER == VG_PATTERN_CHECKER &&
                         VG_PM_PATTERN_SOLID == VG_PATTERN_SOLID,
                     "pattern kinds must match plugin.h");
VG_PM_STATIC_ASSERT_(VG_PM_EDGE_CLAMP == VG_EDGE_CLAMP &&
                         VG_PM_EDGE_BORDER == VG_EDGE_BORDER,
                     "edge modes must match plugin.h");
VG_PM_STATIC_ASSERT_(VG_PM_BLEND_CROSSFADE == VG_BLEND_CROSSFADE &&
                         VG_PM_BLEND_ALPHA_OVER == VG_BLEND_ALPHA_OVER &&
                         VG_PM_BLEND_WIPE == VG_BLEND_WIPE,
                     "blend modes must match plugin.h");
#undef VG_PM_STATIC_ASSERT_
#endif

/* ------------------------------------------------------------------------ */
/* Basics                                                                    */
/* ------------------------------------------------------------------------ */

/* v clamped to 0..255. */
VG_PM_FN vg_pm_u8 vg_pm_clamp_u8(vg_pm_i32 v)
{
    return (vg_pm_u8)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* The common final step: t already holds the rounding constant; a negative
 * t becomes 0 *before* the shift (so no negative value is ever shifted),
 * then t >> shift is clamped to 255.  shift is 1..30. */
VG_PM_FN vg_pm_u8 vg_pm_shift_clamp_u8(vg_pm_i32 t, vg_pm_i32 shift)
{
    if (t <= 0)
        return 0;
    t >>= shift;
    return (vg_pm_u8)(t > 255 ? 255 : t);
}

/* i clamped to [0, n - 1] (n >= 1): edge replication for blur, warp and
 * the chroma blocks of odd-sized frames. */
VG_PM_FN vg_pm_i32 vg_pm_clamp_index(vg_pm_i32 i, vg_pm_i32 n)
{
    return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/* Channel c (0 = R, 1 = G, 2 = B, 3 = A) of a 0xRRGGBBAA value. */
VG_PM_FN vg_pm_u8 vg_pm_channel(vg_pm_u32 rgba, vg_pm_i32 c)
{
    return (vg_pm_u8)((rgba >> (24 - 8 * c)) & 255u);
}

VG_PM_FN vg_pm_u32 vg_pm_pack(vg_pm_u32 r, vg_pm_u32 g, vg_pm_u32 b,
                              vg_pm_u32 a)
{
    return (r << 24) | (g << 16) | (b << 8) | a;
}

/* round(v / 255), halves rounded up, exact for 0 <= v <= 65025 (= 255 *
 * 255, the largest product of two bytes); tests/test_reference_accuracy.c
 * checks every value.  Replaces a division that GPUs do slowly. */
VG_PM_FN vg_pm_u32 vg_pm_div255(vg_pm_u32 v)
{
    return (v + 128u + ((v + 128u) >> 8)) >> 8;
}

/* ------------------------------------------------------------------------ */
/* Pattern source                                                            */
/* ------------------------------------------------------------------------ */

/* Triangle wave of period 512: 0 up to 255 and back down.  Phases are
 * unsigned and may wrap: 2^32 is a multiple of 512, so the wave stays
 * continuous for every frame index. */
VG_PM_FN vg_pm_u32 vg_pm_tri(vg_pm_u32 phase)
{
    phase &= 511u;
    return phase < 256u ? phase : 511u - phase;
}

/* The first three channels of a 0xRRGGBBAA value inverted, alpha kept. */
VG_PM_FN vg_pm_u32 vg_pm_invert_rgb(vg_pm_u32 rgba)
{
    return rgba ^ 0xffffff00u;
}

/* Pixel (x, y) of the TESTSRC pattern at frame f.  Layout scales with the
 * frame (positions are fractions of width/height); every element moves so
 * blur, scaling and failover mid-job are visible:
 *   - background: R, G, B triangle-wave gradients, each drifting with f;
 *   - a checker of h/8 squares scrolling left by 1/8 square per frame,
 *     darkening alternate squares, with 1-pixel white grid lines;
 *   - a zone plate (rings of period ~8 px at its rim) in a disc of radius
 *     h/4 at the centre, rings moving outwards;
 *   - a vertical bar (w/64 wide) sweeping across every 128 frames,
 *     inverting what is below it;
 *   - a top band (h/32) of 1-, 2-, 4- and 8-pixel stripes (fine detail);
 *   - a bottom-left band: the low 16 bits of f in binary, MSB first, so a
 *     frame's index can be read back from the picture.
 * Bounds: 1 <= w, h <= 16384, so every product below is < 2^30. */
VG_PM_FN vg_pm_u32 vg_pm_testsrc(vg_pm_u32 x, vg_pm_u32 y, vg_pm_u32 w,
                                 vg_pm_u32 h, vg_pm_u32 f)
{
    vg_pm_u32 nx = x * 256u / w;
    vg_pm_u32 ny = y * 256u / h;
    vg_pm_u32 r = vg_pm_tri(2u * nx + 3u * f);
    vg_pm_u32 g = vg_pm_tri(2u * ny + 5u * f);
    vg_pm_u32 b = vg_pm_tri(nx + ny + 2u * f);

    /* the checker repeats every two squares, i.e. every 16 frames */
    vg_pm_u32 cs = h / 8u > 0u ? h / 8u : 1u;
    vg_pm_u32 xs = x + (f % 16u) * cs / 8u;
    if (((xs / cs + y / cs) & 1u) != 0u) {
        r >>= 1;
        g >>= 1;
        b >>= 1;
    }
    if (xs % cs == 0u || y % cs == 0u)
        r = g = b = 255u;

    vg_pm_u32 radius = h / 4u > 0u ? h / 4u : 1u;
    vg_pm_u32 dx = x > w / 2u ? x - w / 2u : w / 2u - x;
    vg_pm_u32 dy = y > h / 2u ? y - h / 2u : h / 2u - y;
    if (dx < radius && dy < radius) {
        vg_pm_u32 r2 = dx * dx + dy * dy;
        if (r2 < radius * radius)
            r = g = b = vg_pm_tri(r2 * 32u / radius - 4u * f);
    }

    vg_pm_u32 rgba = vg_pm_pack(r, g, b, 255u);
    vg_pm_u32 bar_w = w / 64u > 0u ? w / 64u : 1u;
    vg_pm_u32 bar_x = (f % 128u) * w / 128u;
    if (x >= bar_x && x - bar_x < bar_w)
        rgba = vg_pm_invert_rgb(rgba);

    vg_pm_u32 band = h / 32u > 0u ? h / 32u : 1u;
    if (y < band)
        rgba = ((x >> (x * 4u / w)) & 1u) != 0u ? 0xffffffffu : 0x000000ffu;
    if (y >= h - band && x < 16u * band)
        rgba = ((f >> (15u - x / band)) & 1u) != 0u ? 0xffffffffu : 0x000000ffu;
    return rgba;
}

/* Pixel (x, y) of SMPTE-style colour bars (static).  Columns are sevenths
 * of the width: the top 2/3 holds the seven 75% bars (white, yellow, cyan,
 * green, magenta, red, blue); the next 1/12 the reverse strip (blue, black,
 * magenta, black, cyan, black, white); the bottom 1/4 -I, 100% white, +Q,
 * black, then a pluge of RGB 0/10/20 and black.  The values are full-range
 * RGB approximations of RP 219's, which is all a test source needs. */
VG_PM_FN vg_pm_u32 vg_pm_bars(vg_pm_u32 x, vg_pm_u32 y, vg_pm_u32 w,
                              vg_pm_u32 h)
{
    vg_pm_u32 bar = x * 7u / w;
    if (y * 3u < h * 2u) {
        vg_pm_u32 r = (bar == 0u || bar == 1u || bar == 4u || bar == 5u);
        vg_pm_u32 g = (bar <= 3u);
        vg_pm_u32 b = (bar == 0u || bar == 2u || bar == 4u || bar == 6u);
        return vg_pm_pack(r * 191u, g * 191u, b * 191u, 255u);
    }
    if (y * 4u < h * 3u) {
        if ((bar & 1u) != 0u)
            return 0x000000ffu;
        /* the top bar mirrored: blue, magenta, cyan, white */
        vg_pm_u32 mirrored = 6u - bar;
        vg_pm_u32 r = (mirrored == 0u || mirrored == 4u);
        vg_pm_u32 g = (mirrored == 0u || mirrored == 2u);
        vg_pm_u32 b = 1u;
        return vg_pm_pack(r * 191u, g * 191u, b * 191u, 255u);
    }
    /* bottom band in 84ths of the width: -I, white and +Q each 15 wide (a
     * bar and a quarter), black, then three pluge steps of 4 */
    vg_pm_u32 col = x * 84u / w;
    if (col < 15u)
        return 0x00214cffu; /* -I */
    if (col < 30u)
        return 0xffffffffu;
    if (col < 45u)
        return 0x32006affu; /* +Q */
    if (col < 60u)
        return 0x000000ffu;
    if (col < 64u)
        return 0x000000ffu;
    if (col < 68u)
        return 0x0a0a0affu;
    if (col < 72u)
        return 0x141414ffu;
    return 0x000000ffu;
}

/* Squares of `rgba` and its RGB inverse (alpha kept), h/8 pixels wide, the
 * square at the origin being `rgba`. */
VG_PM_FN vg_pm_u32 vg_pm_checker(vg_pm_u32 x, vg_pm_u32 y, vg_pm_u32 h,
                                 vg_pm_u32 rgba)
{
    vg_pm_u32 size = h / 8u > 0u ? h / 8u : 1u;
    return ((x / size + y / size) & 1u) != 0u ? vg_pm_invert_rgb(rgba) : rgba;
}

/* Pixel (x, y) of pattern `kind` (VG_PM_PATTERN_*) on a w x h frame at
 * frame index f, as 0xRRGGBBAA.  An unknown kind gives SOLID. */
VG_PM_FN vg_pm_u32 vg_pm_pattern(vg_pm_u32 kind, vg_pm_u32 x, vg_pm_u32 y,
                                 vg_pm_u32 w, vg_pm_u32 h, vg_pm_u32 f,
                                 vg_pm_u32 rgba)
{
    if (kind == VG_PM_PATTERN_TESTSRC)
        return vg_pm_testsrc(x, y, w, h, f);
    if (kind == VG_PM_PATTERN_BARS)
        return vg_pm_bars(x, y, w, h);
    if (kind == VG_PM_PATTERN_CHECKER)
        return vg_pm_checker(x, y, h, rgba);
    return rgba;
}

/* ------------------------------------------------------------------------ */
/* Affine warp                                                               */
/* ------------------------------------------------------------------------ */

/* A destination pixel's 16.16 source coordinate: c0 + x*d_dx + y*d_dy,
 * exact in 64 bits.  The core guarantees (vg_warp_params_from_affine) that
 * the result fits int32 for every pixel of the destination. */
VG_PM_FN vg_pm_i32 vg_pm_warp_coord(vg_pm_i32 c0, vg_pm_i32 d_dx,
                                    vg_pm_i32 d_dy, vg_pm_i32 x, vg_pm_i32 y)
{
    return (vg_pm_i32)((vg_pm_i64)c0 + (vg_pm_i64)x * d_dx +
                       (vg_pm_i64)y * d_dy);
}

/* A 16.16 coordinate rounded to the nearest 1/256 pixel, as an unsigned
 * number offset by 2^24 (= 2^15 pixels), so that flooring is a plain shift
 * on every language: q = floor((c + 128) / 256) + 2^24, 0 <= q <= 2^24.
 * Eight fractional bits because GPU texture units interpolate with eight;
 * with them the bilinear below is within 1 LSB of the exact bilinear at
 * the quantised position (the only rounding is the final one). */
VG_PM_FN vg_pm_u32 vg_pm_coord_q8(vg_pm_i32 c)
{
    vg_pm_u32 t = (vg_pm_u32)c ^ 0x80000000u; /* c + 2^31, in 0..2^32-1 */
    /* floor((t + 128) / 256) without overflowing t + 128 */
    return (t >> 8) + (((t & 255u) + 128u) >> 8);
}

/* The left/top tap of a 16.16 coordinate: floor(round_1/256(c)), in
 * -32768..32768. */
VG_PM_FN vg_pm_i32 vg_pm_coord_index(vg_pm_i32 c)
{
    return (vg_pm_i32)(vg_pm_coord_q8(c) >> 8) - 32768;
}

/* The weight of the right/bottom tap, 0..255 (in 1/256). */
VG_PM_FN vg_pm_i32 vg_pm_coord_frac(vg_pm_i32 c)
{
    return (vg_pm_i32)(vg_pm_coord_q8(c) & 255u);
}

/* Whether tap index i lies inside a source dimension of n pixels; taps
 * outside take the clamped edge pixel (VG_PM_EDGE_CLAMP, vg_pm_clamp_index)
 * or the border colour (VG_PM_EDGE_BORDER), tap by tap. */
VG_PM_FN int vg_pm_index_inside(vg_pm_i32 i, vg_pm_i32 n)
{
    return i >= 0 && i < n;
}

/* Bilinear interpolation of one channel: p00 top-left, p01 top-right, p10
 * bottom-left, p11 bottom-right, fx/fy weights of the right/bottom taps in
 * 1/256.  top, bot <= 255 * 256; the sum <= 255 * 65536, so the result
 * needs no clamp and nothing overflows int32. */
VG_PM_FN vg_pm_u8 vg_pm_bilinear(vg_pm_u8 p00, vg_pm_u8 p01, vg_pm_u8 p10,
                                 vg_pm_u8 p11, vg_pm_i32 fx, vg_pm_i32 fy)
{
    vg_pm_i32 top = p00 * (256 - fx) + p01 * fx;
    vg_pm_i32 bot = p10 * (256 - fx) + p11 * fx;
    return (vg_pm_u8)((top * (256 - fy) + bot * fy + 32768) >> 16);
}

/* ------------------------------------------------------------------------ */
/* Blend                                                                     */
/* ------------------------------------------------------------------------ */

/* Crossfade of one channel: weight w (0..256) of b.  w = 0 gives a and
 * w = 256 gives b exactly. */
VG_PM_FN vg_pm_u8 vg_pm_crossfade(vg_pm_u8 a, vg_pm_u8 b, vg_pm_i32 w)
{
    return (vg_pm_u8)((a * (256 - w) + b * w + 128) >> 8);
}

/* Colour channel of fg (straight alpha `alpha`) over bg:
 * round((fg * alpha + bg * (255 - alpha)) / 255).  The background's own
 * alpha does not weight its colour (exact for an opaque background, the
 * case of a video frame). */
VG_PM_FN vg_pm_u8 vg_pm_over_color(vg_pm_u8 fg, vg_pm_u8 bg, vg_pm_u8 alpha)
{
    return (vg_pm_u8)vg_pm_div255((vg_pm_u32)fg * alpha +
                                  (vg_pm_u32)bg * (255u - alpha));
}

/* Alpha of fg over bg: alpha + round(bg_alpha * (255 - alpha) / 255),
 * at most 255. */
VG_PM_FN vg_pm_u8 vg_pm_over_alpha(vg_pm_u8 alpha, vg_pm_u8 bg_alpha)
{
    return (vg_pm_u8)(alpha +
                      vg_pm_div255((vg_pm_u32)bg_alpha * (255u - alpha)));
}

/* Wipe: whether column x shows b (columns left of `position`). */
VG_PM_FN int vg_pm_wipe_takes_b(vg_pm_i32 x, vg_pm_i32 position)
{
    return x < position;
}

/* ------------------------------------------------------------------------ */
/* Separable Gaussian blur                                                   */
/* ------------------------------------------------------------------------ */

/* Horizontal pass: sum = sum_k taps[k] * p[clamp(x + k - r)] with Q14 taps
 * (non-negative, summing to 16384, so 0 <= sum <= 255 * 16384) rounded to
 * an 8.8 fixed-point intermediate: (sum + 32) >> 6, at most 65280.  The
 * clamps only define behaviour for taps the core would reject. */
VG_PM_FN vg_pm_u16 vg_pm_blur_h_round(vg_pm_i32 sum)
{
    vg_pm_i32 t = sum + 32;
    if (t <= 0)
        return 0;
    t >>= 6;
    return (vg_pm_u16)(t > 65535 ? 65535 : t);
}

/* Vertical pass: sum = sum_k taps[k] * h[clamp(y + k - r)] over the 8.8
 * intermediates, so sum <= 65280 * 16384 < 2^30; Q14 * 8.8 leaves 22
 * fractional bits: (sum + 2^21) >> 22, clamped to 0..255. */
VG_PM_FN vg_pm_u8 vg_pm_blur_v_round(vg_pm_i32 sum)
{
    return vg_pm_shift_clamp_u8(sum + (1 << 21), 22);
}

/* ------------------------------------------------------------------------ */
/* Colour conversion (vg_color_params)                                       */
/* ------------------------------------------------------------------------ */

/* Y from R, G, B with Q14 coefficients (each |c| < 2^15, y_offset 0..255):
 * (y_r*R + y_g*G + y_b*B + (y_offset << 14) + 8192) >> 14, clamped. */
VG_PM_FN vg_pm_u8 vg_pm_rgb_to_y(vg_pm_u8 r, vg_pm_u8 g, vg_pm_u8 b,
                                 vg_pm_i32 y_r, vg_pm_i32 y_g, vg_pm_i32 y_b,
                                 vg_pm_i32 y_offset)
{
    return vg_pm_shift_clamp_u8(
        y_r * r + y_g * g + y_b * b + (y_offset << 14) + 8192, 14);
}

/* U (or V) from the sums of R, G, B over a 2x2 block (each 0..1020) with
 * Q14 coefficients (each |c| < 2^15): the four samples make the block's
 * mean a Q16 product, so
 * (c_r*SR + c_g*SG + c_b*SB + (128 << 16) + 32768) >> 16, clamped. */
VG_PM_FN vg_pm_u8 vg_pm_sums_to_chroma(vg_pm_i32 sr, vg_pm_i32 sg, vg_pm_i32 sb,
                                       vg_pm_i32 c_r, vg_pm_i32 c_g,
                                       vg_pm_i32 c_b)
{
    return vg_pm_shift_clamp_u8(
        c_r * sr + c_g * sg + c_b * sb + (128 << 16) + 32768, 16);
}

/* The luma term shared by R, G and B: y_scale * (Y - y_offset), Q13. */
VG_PM_FN vg_pm_i32 vg_pm_luma_term(vg_pm_u8 y, vg_pm_i32 y_scale,
                                   vg_pm_i32 y_offset)
{
    return y_scale * ((vg_pm_i32)y - y_offset);
}

/* One of R, G, B from the luma term and chroma, Q13 coefficients (each
 * |c| < 2^15; signed, e.g. g_u and g_v are negative):
 * (luma_term + k_u*(U - 128) + k_v*(V - 128) + 4096) >> 13, clamped.
 * R uses (0, r_v), G (g_u, g_v), B (b_u, 0). */
VG_PM_FN vg_pm_u8 vg_pm_yuv_to_channel(vg_pm_i32 luma_term, vg_pm_i32 k_u,
                                       vg_pm_u8 u, vg_pm_i32 k_v, vg_pm_u8 v)
{
    return vg_pm_shift_clamp_u8(luma_term + k_u * ((vg_pm_i32)u - 128) +
                                    k_v * ((vg_pm_i32)v - 128) + 4096,
                                13);
}

#endif /* VG_PIXEL_MATH_H */

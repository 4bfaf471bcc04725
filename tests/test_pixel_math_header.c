/*
 * test_pixel_math_header.c - vg/pixel_math.h compiles on its own (it is
 * included first, before anything else) and its building blocks give the
 * documented values, in particular on negative coordinates, where C's
 * shift of a negative number would be implementation-defined.
 */
#include "vg/pixel_math.h"

#include <criterion/criterion.h>

Test(pixel_math_header, clamps)
{
    cr_assert_eq(vg_pm_clamp_u8(-5), 0);
    cr_assert_eq(vg_pm_clamp_u8(77), 77);
    cr_assert_eq(vg_pm_clamp_u8(300), 255);
    cr_assert_eq(vg_pm_shift_clamp_u8(-1000, 4), 0);
    cr_assert_eq(vg_pm_shift_clamp_u8(255 * 16 + 15, 4), 255);
    cr_assert_eq(vg_pm_shift_clamp_u8(300 * 16, 4), 255);
    cr_assert_eq(vg_pm_clamp_index(-3, 10), 0);
    cr_assert_eq(vg_pm_clamp_index(10, 10), 9);
    cr_assert_eq(vg_pm_clamp_index(4, 10), 4);
    cr_assert_eq(vg_pm_clamp_index(7, 1), 0);
}

Test(pixel_math_header, channels_are_rrggbbaa)
{
    cr_assert_eq(vg_pm_channel(0x11223344u, 0), 0x11);
    cr_assert_eq(vg_pm_channel(0x11223344u, 1), 0x22);
    cr_assert_eq(vg_pm_channel(0x11223344u, 2), 0x33);
    cr_assert_eq(vg_pm_channel(0x11223344u, 3), 0x44);
    cr_assert_eq(vg_pm_pack(0x11, 0x22, 0x33, 0x44), 0x11223344u);
}

/* index and fraction of floor((c + 128) / 256), c in 16.16 */
Test(pixel_math_header, coordinates_floor_on_negatives)
{
    static const struct {
        int32_t c, index, frac;
    } cases[] = {
        {0, 0, 0},
        {127, 0, 0},
        {128, 0, 1}, /* rounds up to 1/256 */
        {65536 + 32768, 1, 128},
        {-1, 0, 0},      /* -1/65536 rounds to 0 */
        {-128, 0, 0},    /* exactly half: rounds up */
        {-129, -1, 255}, /* just below: -1/256 = -1 + 255/256 */
        {-65536, -1, 0},
        {-65536 - 32768, -2, 128},
        {INT32_MIN, -32768, 0},
        {INT32_MAX, 32768, 0}, /* rounds up to the next whole pixel */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cr_assert_eq(vg_pm_coord_index(cases[i].c), cases[i].index,
                     "index of %d", cases[i].c);
        cr_assert_eq(vg_pm_coord_frac(cases[i].c), cases[i].frac, "frac of %d",
                     cases[i].c);
    }
}

Test(pixel_math_header, warp_coordinate_is_exact)
{
    /* 1000 * 40000 overflows int32 on its own; the total does not */
    cr_assert_eq(vg_pm_warp_coord(-2000000000, 40000, 1, 1000, 7),
                 -2000000000 + 40000000 + 7);
    cr_assert_eq(vg_pm_warp_coord(5, -65536, 0, 3, 0), 5 - 3 * 65536);
}

Test(pixel_math_header, bilinear_weights)
{
    cr_assert_eq(vg_pm_bilinear(10, 20, 30, 40, 0, 0), 10);
    cr_assert_eq(vg_pm_bilinear(10, 20, 30, 40, 128, 0), 15);
    cr_assert_eq(vg_pm_bilinear(10, 20, 30, 40, 0, 128), 20);
    cr_assert_eq(vg_pm_bilinear(10, 20, 30, 40, 128, 128), 25);
    cr_assert_eq(vg_pm_bilinear(255, 255, 255, 255, 255, 255), 255);
    cr_assert_eq(vg_pm_bilinear(0, 1, 0, 0, 128, 0), 1); /* 0.5 up */
}

Test(pixel_math_header, blend_and_blur_rounding)
{
    cr_assert_eq(vg_pm_crossfade(0, 255, 0), 0);
    cr_assert_eq(vg_pm_crossfade(0, 255, 256), 255);
    cr_assert_eq(vg_pm_crossfade(0, 255, 128), 128); /* 127.5 up */
    cr_assert_eq(vg_pm_over_color(200, 10, 255), 200);
    cr_assert_eq(vg_pm_over_color(200, 10, 0), 10);
    cr_assert_eq(vg_pm_over_alpha(0, 77), 77);
    cr_assert_eq(vg_pm_over_alpha(255, 0), 255);
    cr_assert_eq(vg_pm_over_alpha(128, 255), 255);
    cr_assert(vg_pm_wipe_takes_b(3, 4));
    cr_assert_not(vg_pm_wipe_takes_b(4, 4));
    cr_assert_eq(vg_pm_blur_h_round(255 * 16384), 65280);
    cr_assert_eq(vg_pm_blur_h_round(-100), 0);
    cr_assert_eq(vg_pm_blur_h_round(32), 1); /* 0.5 / 256 rounds up */
    cr_assert_eq(vg_pm_blur_h_round(31), 0);
    cr_assert_eq(vg_pm_blur_v_round(65280 * 16384), 255);
    cr_assert_eq(vg_pm_blur_v_round(1 << 21), 1); /* 0.5 rounds up */
    cr_assert_eq(vg_pm_blur_v_round((1 << 21) - 1), 0);
}

Test(pixel_math_header, div255_examples)
{
    cr_assert_eq(vg_pm_div255(0), 0);
    cr_assert_eq(vg_pm_div255(127), 0);
    cr_assert_eq(vg_pm_div255(128), 1);
    cr_assert_eq(vg_pm_div255(255), 1);
    cr_assert_eq(vg_pm_div255(65025), 255);
}

Test(pixel_math_header, solid_and_checker_patterns)
{
    cr_assert_eq(
        vg_pm_pattern(VG_PM_PATTERN_SOLID, 5, 6, 64, 64, 9, 0x12345678u),
        0x12345678u);
    /* 64 / 8 = 8 pixel squares, origin square in the given colour */
    cr_assert_eq(
        vg_pm_pattern(VG_PM_PATTERN_CHECKER, 7, 7, 64, 64, 0, 0x102030c0u),
        0x102030c0u);
    cr_assert_eq(
        vg_pm_pattern(VG_PM_PATTERN_CHECKER, 8, 7, 64, 64, 0, 0x102030c0u),
        0xefdfcfc0u);
    cr_assert_eq(
        vg_pm_pattern(VG_PM_PATTERN_CHECKER, 8, 8, 64, 64, 0, 0x102030c0u),
        0x102030c0u);
    /* the first 75% bar is grey, the last blue, both opaque */
    cr_assert_eq(vg_pm_pattern(VG_PM_PATTERN_BARS, 0, 0, 70, 30, 0, 0),
                 0xbfbfbfffu);
    cr_assert_eq(vg_pm_pattern(VG_PM_PATTERN_BARS, 69, 0, 70, 30, 0, 0),
                 0x0000bfffu);
}

Test(pixel_math_header, colour_rounding)
{
    /* full-range BT.601 white: 4899 + 9617 + 1868 = 16384 */
    cr_assert_eq(vg_pm_rgb_to_y(255, 255, 255, 4899, 9617, 1868, 0), 255);
    cr_assert_eq(vg_pm_rgb_to_y(0, 0, 0, 4899, 9617, 1868, 16), 16);
    /* chroma of a grey block is 128 when a row sums to zero */
    cr_assert_eq(vg_pm_sums_to_chroma(400, 400, 400, -2765, -5427, 8192), 128);
    cr_assert_eq(vg_pm_luma_term(16, 9539, 16), 0);
    cr_assert_eq(vg_pm_yuv_to_channel(0, 0, 128, 13074, 128), 0);
    cr_assert_eq(vg_pm_yuv_to_channel(-9539 * 16, 0, 128, 13074, 0), 0);
    cr_assert_eq(vg_pm_yuv_to_channel(9539 * 219, 0, 128, 0, 128), 255);
}

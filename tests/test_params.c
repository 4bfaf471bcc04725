/*
 * test_params.c - floating-point descriptions to integer kernel parameters
 * (vg/params.h): Gaussian taps, colour coefficients, camera maps and their
 * 16.16 quantisation, crossfade weights and easing.
 */
#include <math.h>

#include <criterion/criterion.h>

#include "vg/params.h"
#include "vg/pixel_math.h"

Test(params, blur_taps_are_symmetric_and_sum_to_one)
{
    static const struct {
        double sigma;
        int32_t radius;
    } cases[] = {{0.1, 1}, {0.3, 1}, {1.0, 3}, {2.5, 8}, {6.2, 19}, {21.0, 63}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vg_blur_params p;
        cr_assert_eq(vg_blur_params_from_sigma(cases[i].sigma, &p), 0);
        int32_t r = p.radius;
        cr_assert_eq(r, cases[i].radius, "sigma %g", cases[i].sigma);
        int32_t sum = 0;
        for (int32_t k = 0; k <= 2 * r; k++) {
            cr_assert_eq(p.taps[k], p.taps[2 * r - k]);
            cr_assert_geq(p.taps[k], 0);
            sum += p.taps[k];
        }
        cr_assert_eq(sum, 16384, "sigma %g sums to %d", cases[i].sigma, sum);
        /* non-increasing away from the centre */
        for (int32_t k = r; k < 2 * r; k++)
            cr_assert_geq(p.taps[k], p.taps[k + 1]);
        for (int32_t k = 2 * r + 1; k <= 2 * VG_BLUR_MAX_RADIUS; k++)
            cr_assert_eq(p.taps[k], 0);
    }
}

Test(params, blur_tap_values)
{
    vg_blur_params p;
    cr_assert_eq(vg_blur_params_from_sigma(1.0, &p), 0);
    /* normalised e^(-k^2/2) in Q14, k = 0..3: 6538.04, 3965.52, 884.83,
     * 72.63; rounded they sum to 16386, so the centre gives up 2 */
    cr_assert_eq(p.taps[3], 6536);
    cr_assert_eq(p.taps[4], 3966);
    cr_assert_eq(p.taps[5], 885);
    cr_assert_eq(p.taps[6], 73);
}

Test(params, blur_rejects_bad_sigma)
{
    vg_blur_params p;
    static const double bad[] = {0.0, -1.0, 21.01, 1e9};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(vg_blur_params_from_sigma(bad[i], &p),
                     VG_ERR_INVALID_ARGUMENT, "sigma %g", bad[i]);
    cr_assert_eq(vg_blur_params_from_sigma(NAN, &p), VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_blur_params_from_sigma(INFINITY, &p),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_blur_params_from_sigma(1.0, NULL), VG_ERR_INVALID_ARGUMENT);
}

static uint8_t y_of(const vg_color_params *p, uint8_t r, uint8_t g, uint8_t b)
{
    return vg_pm_rgb_to_y(r, g, b, p->y_r, p->y_g, p->y_b, p->y_offset);
}

/* U and V of a 2x2 block of one colour */
static uint8_t u_of(const vg_color_params *p, int r, int g, int b)
{
    return vg_pm_sums_to_chroma(4 * r, 4 * g, 4 * b, p->u_r, p->u_g, p->u_b);
}

static uint8_t v_of(const vg_color_params *p, int r, int g, int b)
{
    return vg_pm_sums_to_chroma(4 * r, 4 * g, 4 * b, p->v_r, p->v_g, p->v_b);
}

Test(params, colour_white_black_grey)
{
    static const struct {
        vg_color_matrix matrix;
        vg_color_range range;
        uint8_t black, grey, white, red_y, red_v, blue_u;
    } cases[] = {
        /* grey 128: 16 + 219 * 128/255 = 125.9; red: 16 + 219 Kr,
         * V = 128 + 112 (limited) or 127.5 -> 255 (full, clamped) */
        {VG_MATRIX_BT601, VG_RANGE_LIMITED, 16, 126, 235, 81, 240, 240},
        {VG_MATRIX_BT601, VG_RANGE_FULL, 0, 128, 255, 76, 255, 255},
        {VG_MATRIX_BT709, VG_RANGE_LIMITED, 16, 126, 235, 63, 240, 240},
        {VG_MATRIX_BT709, VG_RANGE_FULL, 0, 128, 255, 54, 255, 255},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vg_color_params p;
        cr_assert_eq(vg_color_params_init(cases[i].matrix, cases[i].range, &p),
                     0);
        cr_assert_eq(p.matrix, (uint32_t)cases[i].matrix);
        cr_assert_eq(p.range, (uint32_t)cases[i].range);
        cr_assert_eq(y_of(&p, 0, 0, 0), cases[i].black, "case %zu", i);
        cr_assert_eq(y_of(&p, 128, 128, 128), cases[i].grey, "case %zu", i);
        cr_assert_eq(y_of(&p, 255, 255, 255), cases[i].white, "case %zu", i);
        cr_assert_eq(y_of(&p, 255, 0, 0), cases[i].red_y, "case %zu", i);
        cr_assert_eq(v_of(&p, 255, 0, 0), cases[i].red_v, "case %zu", i);
        cr_assert_eq(u_of(&p, 0, 0, 255), cases[i].blue_u, "case %zu", i);
        for (int g = 0; g < 256; g += 15) {
            cr_assert_eq(u_of(&p, g, g, g), 128);
            cr_assert_eq(v_of(&p, g, g, g), 128);
        }
        /* and back: the range's white and black are RGB white and black */
        int32_t white = vg_pm_luma_term(cases[i].white, p.y_scale, p.y_offset);
        int32_t black = vg_pm_luma_term(cases[i].black, p.y_scale, p.y_offset);
        cr_assert_eq(vg_pm_yuv_to_channel(white, 0, 128, p.r_v, 128), 255);
        cr_assert_eq(vg_pm_yuv_to_channel(black, p.g_u, 128, p.g_v, 128), 0);
        cr_assert_lt(p.g_u, 0);
        cr_assert_lt(p.g_v, 0);
    }
}

Test(params, colour_rejects_unknown_matrix_or_range)
{
    vg_color_params p;
    cr_assert_eq(vg_color_params_init((vg_color_matrix)7, VG_RANGE_FULL, &p),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_color_params_init(VG_MATRIX_BT709, (vg_color_range)0, &p),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_FULL, NULL),
                 VG_ERR_INVALID_ARGUMENT);
}

static void assert_maps(const vg_affine *m, double x, double y, double u,
                        double v)
{
    double gu = m->m[0] * x + m->m[1] * y + m->m[2];
    double gv = m->m[3] * x + m->m[4] * y + m->m[5];
    cr_assert_float_eq(gu, u, 1e-9, "(%g, %g) -> u %g, want %g", x, y, gu, u);
    cr_assert_float_eq(gv, v, 1e-9, "(%g, %g) -> v %g, want %g", x, y, gv, v);
}

Test(params, camera_identity_and_resize)
{
    vg_affine id = vg_affine_camera(64, 48, 1.0, 0.0, 31.5, 23.5);
    assert_maps(&id, 0, 0, 0, 0);
    assert_maps(&id, 63, 47, 63, 47);

    /* 2x downscale: destination pixel 0 covers source pixels 0 and 1, so
     * its centre is source 0.5 */
    vg_affine down = vg_affine_camera(32, 24, 0.5, 0.0, 31.5, 23.5);
    assert_maps(&down, 0, 0, 0.5, 0.5);
    assert_maps(&down, 31, 23, 62.5, 46.5);

    /* 2x upscale: destination pixel 0 is the left quarter of source 0 */
    vg_affine up = vg_affine_camera(64, 48, 2.0, 0.0, 15.5, 11.5);
    assert_maps(&up, 0, 0, -0.25, -0.25);
    assert_maps(&up, 63, 47, 31.25, 23.25);
}

Test(params, camera_rotates_clockwise)
{
    /* turned 90 degrees clockwise, what lies right of the centre in the
     * source appears below the centre on screen */
    vg_affine m = vg_affine_camera(65, 65, 1.0, 90.0, 20.0, 30.0);
    assert_maps(&m, 32, 32, 20, 30);
    assert_maps(&m, 32, 42, 30, 30);
    assert_maps(&m, 42, 32, 20, 20);
}

Test(params, warp_params_round_to_16_16)
{
    vg_affine down = vg_affine_camera(32, 24, 0.5, 0.0, 31.5, 23.5);
    vg_warp_params p;
    cr_assert_eq(vg_warp_params_from_affine(&down, 32, 24, VG_EDGE_BORDER,
                                            0x01020304u, &p),
                 0);
    cr_assert_eq(p.u0, 32768);
    cr_assert_eq(p.v0, 32768);
    cr_assert_eq(p.du_dx, 131072);
    cr_assert_eq(p.du_dy, 0);
    cr_assert_eq(p.dv_dx, 0);
    cr_assert_eq(p.dv_dy, 131072);
    cr_assert_eq(p.edge, (uint32_t)VG_EDGE_BORDER);
    cr_assert_eq(p.border_rgba, 0x01020304u);

    vg_affine third = {{1.0 / 3.0, 0, -1.0 / 3.0, 0, 1, 0}};
    cr_assert_eq(vg_warp_params_from_affine(&third, 8, 8, VG_EDGE_CLAMP, 0, &p),
                 0);
    cr_assert_eq(p.du_dx, 21845); /* 21845.33 */
    cr_assert_eq(p.u0, -21845);
}

Test(params, warp_params_limit)
{
    vg_warp_params p;
    vg_affine far = {{1, 0, 32767.0, 0, 1, 0}};
    /* the top-left corner fits, the next column does not */
    cr_assert_eq(vg_warp_params_from_affine(&far, 1, 1, VG_EDGE_CLAMP, 0, &p),
                 0);
    cr_assert_eq(vg_warp_params_from_affine(&far, 2, 1, VG_EDGE_CLAMP, 0, &p),
                 VG_ERR_LIMIT);
    vg_affine neg = {{1, 0, 0, 0, 1, -32768.0}};
    cr_assert_eq(vg_warp_params_from_affine(&neg, 4, 4, VG_EDGE_CLAMP, 0, &p),
                 VG_ERR_LIMIT);
    /* a steep zoom-out reaches the limit only at the far corner */
    vg_affine steep = {{1, 0, 0, 0, 3, 0}};
    cr_assert_eq(
        vg_warp_params_from_affine(&steep, 16, 10922, VG_EDGE_CLAMP, 0, &p), 0);
    cr_assert_eq(
        vg_warp_params_from_affine(&steep, 16, 10924, VG_EDGE_CLAMP, 0, &p),
        VG_ERR_LIMIT);
    vg_affine huge = {{1e12, 0, 0, 0, 1, 0}};
    cr_assert_eq(vg_warp_params_from_affine(&huge, 1, 1, VG_EDGE_CLAMP, 0, &p),
                 VG_ERR_LIMIT);
    vg_affine nan = {{NAN, 0, 0, 0, 1, 0}};
    cr_assert_eq(vg_warp_params_from_affine(&nan, 1, 1, VG_EDGE_CLAMP, 0, &p),
                 VG_ERR_LIMIT);
}

Test(params, warp_params_reject_bad_arguments)
{
    vg_affine id = {{1, 0, 0, 0, 1, 0}};
    vg_warp_params p;
    cr_assert_eq(vg_warp_params_from_affine(&id, 0, 4, VG_EDGE_CLAMP, 0, &p),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_warp_params_from_affine(&id, 4, VG_MAX_DIMENSION + 1,
                                            VG_EDGE_CLAMP, 0, &p),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_warp_params_from_affine(&id, 4, 4, (vg_edge_mode)3, 0, &p),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_warp_params_from_affine(NULL, 4, 4, VG_EDGE_CLAMP, 0, &p),
                 VG_ERR_INVALID_ARGUMENT);
}

Test(params, crossfade_weight)
{
    cr_assert_eq(vg_crossfade_weight(0.0), 0);
    cr_assert_eq(vg_crossfade_weight(1.0), 256);
    cr_assert_eq(vg_crossfade_weight(0.5), 128);
    cr_assert_eq(vg_crossfade_weight(0.3), 77); /* 76.8 */
    cr_assert_eq(vg_crossfade_weight(-2.0), 0);
    cr_assert_eq(vg_crossfade_weight(7.0), 256);
    cr_assert_eq(vg_crossfade_weight(NAN), 0);
}

Test(params, easing_curves)
{
    for (vg_easing e = VG_EASE_LINEAR; e <= VG_EASE_IN_OUT; e++) {
        cr_assert_float_eq(vg_ease(e, 0.0), 0.0, 1e-12);
        cr_assert_float_eq(vg_ease(e, 1.0), 1.0, 1e-12);
        cr_assert_float_eq(vg_ease(e, -3.0), 0.0, 1e-12);
        cr_assert_float_eq(vg_ease(e, 3.0), 1.0, 1e-12);
    }
    cr_assert_float_eq(vg_ease(VG_EASE_LINEAR, 0.25), 0.25, 1e-12);
    cr_assert_float_eq(vg_ease(VG_EASE_IN, 0.5), 0.25, 1e-12);
    cr_assert_float_eq(vg_ease(VG_EASE_OUT, 0.5), 0.75, 1e-12);
    cr_assert_float_eq(vg_ease(VG_EASE_IN_OUT, 0.5), 0.5, 1e-12);
    cr_assert_float_eq(vg_ease(VG_EASE_IN_OUT, 0.25), 0.15625, 1e-12);
}

/*
 * test_reference_accuracy.c - the reference kernels against independent
 * double-precision models.
 *
 * The reference is the definition every backend must match byte for byte;
 * these tests show the definition is also *right*: each kernel stays within
 * 1 LSB per channel of the ideal result, computed here in double from first
 * principles (colour from Kr/Kb, not from the integer coefficients; blur
 * from the unquantised Gaussian).  Images are seeded random, at odd sizes,
 * with strides larger than the row; the bytes past each row must survive
 * untouched, and rendering in two row ranges must equal one call.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "test_support.h"
#include "vg/params.h"
#include "vg/pixel_math.h"
#include "vg_reference.h"

#define GUARD 0xa5
#define NSIZES 5
static const int32_t sizes[NSIZES][2] = {
    {1, 1}, {3, 5}, {17, 9}, {33, 31}, {64, 2}};

/* An image whose rows are `pad` bytes longer than needed; the bytes are
 * random (seed != 0) or GUARD (seed == 0). */
static vg_image image_new(vg_pixel_format format, int32_t w, int32_t h,
                          int32_t pad, uint32_t seed)
{
    vg_image im = {.format = format, .width = w, .height = h};
    int planes = format == VG_FORMAT_I420 ? 3 : 1;
    for (int p = 0; p < planes; p++) {
        int32_t pw = p ? (w + 1) / 2 : w, ph = p ? (h + 1) / 2 : h;
        int32_t row = format == VG_FORMAT_RGBA8 ? 4 * pw : pw;
        size_t size = (size_t)(row + pad) * (size_t)ph;
        im.stride[p] = row + pad;
        im.data[p] = malloc(size);
        cr_assert_not_null(im.data[p]);
        if (seed)
            vgt_fill_random(im.data[p], size, seed + (uint32_t)p);
        else
            memset(im.data[p], GUARD, size);
    }
    return im;
}

static void image_free(vg_image *im)
{
    for (int p = 0; p < 3; p++)
        free(im->data[p]);
    memset(im, 0, sizeof(*im));
}

static int32_t plane_w(const vg_image *im, int p)
{
    return p ? (im->width + 1) / 2 : im->width;
}

static int32_t plane_h(const vg_image *im, int p)
{
    return p ? (im->height + 1) / 2 : im->height;
}

static int32_t row_bytes(const vg_image *im, int p)
{
    return im->format == VG_FORMAT_RGBA8 ? 4 * plane_w(im, p) : plane_w(im, p);
}

/* The kernel wrote nothing past the end of any row. */
static void assert_padding_intact(const vg_image *im)
{
    for (int p = 0; p < (im->format == VG_FORMAT_I420 ? 3 : 1); p++)
        for (int32_t y = 0; y < plane_h(im, p); y++)
            for (int32_t x = row_bytes(im, p); x < im->stride[p]; x++)
                cr_assert_eq(
                    im->data[p][(size_t)y * (size_t)im->stride[p] + (size_t)x],
                    GUARD, "write past row %d of plane %d", y, p);
}

static void assert_same_pixels(const vg_image *a, const vg_image *b)
{
    for (int p = 0; p < (a->format == VG_FORMAT_I420 ? 3 : 1); p++)
        for (int32_t y = 0; y < plane_h(a, p); y++)
            cr_assert_arr_eq(a->data[p] + (size_t)y * (size_t)a->stride[p],
                             b->data[p] + (size_t)y * (size_t)b->stride[p],
                             (size_t)row_bytes(a, p),
                             "row %d of plane %d differs", y, p);
}

static uint8_t px(const vg_image *im, int32_t x, int32_t y, int c)
{
    return im->data[0][(size_t)y * (size_t)im->stride[0] + 4 * (size_t)x +
                       (size_t)c];
}

static double clamp255(double v)
{
    return v < 0.0 ? 0.0 : v > 255.0 ? 255.0 : v;
}

/* |got - want| within `bound`, with a message locating the pixel. */
static void assert_close(uint8_t got, double want, double bound,
                         const char *what, int32_t x, int32_t y, int c)
{
    cr_assert_leq(fabs(got - want), bound,
                  "%s at (%d, %d) channel %d: got %u, ideal %.4f", what, x, y,
                  c, got, want);
}

/* ------------------------------------------------------------------------ */

Test(accuracy, div255_exact_everywhere)
{
    for (uint32_t v = 0; v <= 255 * 255; v++) {
        /* v / 255 is never a half (255 is odd), so round = floor(+1/2) */
        uint32_t want = (2 * v + 255) / 510;
        cr_assert_eq(vg_pm_div255(v), want, "div255(%u)", v);
    }
}

/* ------------------------------------------------------------------------ */
/* Warp: exact bilinear at the 1/256-rounded position                        */
/* ------------------------------------------------------------------------ */

static double warp_tap(const vg_image *src, const vg_warp_params *p, int64_t tx,
                       int64_t ty, int c)
{
    if (p->edge == VG_EDGE_BORDER &&
        (tx < 0 || ty < 0 || tx >= src->width || ty >= src->height))
        return (p->border_rgba >> (24 - 8 * c)) & 255;
    tx = tx < 0 ? 0 : tx >= src->width ? src->width - 1 : tx;
    ty = ty < 0 ? 0 : ty >= src->height ? src->height - 1 : ty;
    return px(src, (int32_t)tx, (int32_t)ty, c);
}

static void check_warp(const vg_image *src, int32_t dw, int32_t dh,
                       const vg_warp_params *p)
{
    vg_image dst = image_new(VG_FORMAT_RGBA8, dw, dh, 9, 0);
    vg_image split = image_new(VG_FORMAT_RGBA8, dw, dh, 9, 0);
    vg_ref_warp(&dst, src, p, 0, dh);
    vg_ref_warp(&split, src, p, 0, dh / 2);
    vg_ref_warp(&split, src, p, dh / 2, dh);
    assert_padding_intact(&dst);
    assert_same_pixels(&dst, &split);

    for (int32_t y = 0; y < dh; y++) {
        for (int32_t x = 0; x < dw; x++) {
            int64_t u =
                (int64_t)p->u0 + (int64_t)x * p->du_dx + (int64_t)y * p->du_dy;
            int64_t v =
                (int64_t)p->v0 + (int64_t)x * p->dv_dx + (int64_t)y * p->dv_dy;
            /* position in 1/256 pixel, rounded half up */
            double su = floor(((double)u + 128.0) / 256.0);
            double sv = floor(((double)v + 128.0) / 256.0);
            double iu = floor(su / 256.0), iv = floor(sv / 256.0);
            double fx = su / 256.0 - iu, fy = sv / 256.0 - iv;
            for (int c = 0; c < 4; c++) {
                int64_t tx = (int64_t)iu, ty = (int64_t)iv;
                double want =
                    (1 - fx) * (1 - fy) * warp_tap(src, p, tx, ty, c) +
                    fx * (1 - fy) * warp_tap(src, p, tx + 1, ty, c) +
                    (1 - fx) * fy * warp_tap(src, p, tx, ty + 1, c) +
                    fx * fy * warp_tap(src, p, tx + 1, ty + 1, c);
                /* one rounding only: within half an LSB */
                assert_close(px(&dst, x, y, c), want, 0.5 + 1e-9, "warp", x, y,
                             c);
            }
        }
    }
    image_free(&dst);
    image_free(&split);
}

Test(accuracy, warp_is_exact_bilinear)
{
    /* (u0, v0, du_dx, du_dy, dv_dx, dv_dy): identity, a 2x downscale, an
     * upscale with a sub-pixel offset, a rotation, a pan far outside the
     * source (negative coordinates) and a mirror. */
    static const int32_t maps[][6] = {
        {0, 0, 65536, 0, 0, 65536},
        {32768, 32768, 131072, 0, 0, 131072},
        {-16384 + 77, -16384 - 999, 21845, 0, 0, 21845},
        {300000, -70000, 46341, -46341, 46341, 46341},
        {-9 * 65536 - 12345, -4 * 65536 + 3, 40000, 1234, -777, 50000},
        {40 * 65536, 0, -65536, 0, 0, 65536},
    };
    uint32_t seed = 1;
    for (int s = 0; s < NSIZES; s++) {
        vg_image src =
            image_new(VG_FORMAT_RGBA8, sizes[s][0], sizes[s][1], 13, seed++);
        for (size_t m = 0; m < sizeof(maps) / sizeof(maps[0]); m++) {
            for (uint32_t edge = VG_EDGE_CLAMP; edge <= VG_EDGE_BORDER;
                 edge++) {
                vg_warp_params p = {maps[m][0], maps[m][1], maps[m][2],
                                    maps[m][3], maps[m][4], maps[m][5],
                                    edge,       0x80ff20c0u};
                check_warp(&src, 23, 11, &p);
                check_warp(&src, 1, 1, &p);
            }
        }
        image_free(&src);
    }
}

/* ------------------------------------------------------------------------ */
/* Blend                                                                     */
/* ------------------------------------------------------------------------ */

static void run_blend(vg_image *dst, const vg_image *a, const vg_image *b,
                      const vg_blend_params *p)
{
    vg_image split = image_new(VG_FORMAT_RGBA8, dst->width, dst->height, 7, 0);
    vg_ref_blend(dst, a, b, p, 0, dst->height);
    vg_ref_blend(&split, a, b, p, 0, dst->height / 2);
    vg_ref_blend(&split, a, b, p, dst->height / 2, dst->height);
    assert_padding_intact(dst);
    assert_same_pixels(dst, &split);
    image_free(&split);
}

Test(accuracy, blend_crossfade_and_over)
{
    static const uint32_t weights[] = {0, 1, 77, 128, 255, 256};
    uint32_t seed = 100;
    for (int s = 0; s < NSIZES; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        vg_image a = image_new(VG_FORMAT_RGBA8, w, h, 5, seed++);
        vg_image b = image_new(VG_FORMAT_RGBA8, w, h, 21, seed++);
        vg_image dst = image_new(VG_FORMAT_RGBA8, w, h, 7, 0);

        for (size_t i = 0; i < sizeof(weights) / sizeof(weights[0]); i++) {
            vg_blend_params p = {VG_BLEND_CROSSFADE, weights[i], 0};
            run_blend(&dst, &a, &b, &p);
            double t = weights[i] / 256.0;
            for (int32_t y = 0; y < h; y++)
                for (int32_t x = 0; x < w; x++)
                    for (int c = 0; c < 4; c++)
                        assert_close(px(&dst, x, y, c),
                                     px(&a, x, y, c) * (1 - t) +
                                         px(&b, x, y, c) * t,
                                     0.5, "crossfade", x, y, c);
        }

        vg_blend_params over = {VG_BLEND_ALPHA_OVER, 0, 0};
        run_blend(&dst, &a, &b, &over);
        for (int32_t y = 0; y < h; y++) {
            for (int32_t x = 0; x < w; x++) {
                double al = px(&a, x, y, 3) / 255.0;
                for (int c = 0; c < 3; c++)
                    assert_close(px(&dst, x, y, c),
                                 px(&a, x, y, c) * al +
                                     px(&b, x, y, c) * (1 - al),
                                 0.5, "over", x, y, c);
                assert_close(px(&dst, x, y, 3),
                             255.0 * (al + px(&b, x, y, 3) / 255.0 * (1 - al)),
                             0.5, "over alpha", x, y, 3);
            }
        }
        image_free(&a);
        image_free(&b);
        image_free(&dst);
    }
}

Test(accuracy, blend_wipe_selects_columns)
{
    vg_image a = image_new(VG_FORMAT_RGBA8, 17, 9, 3, 7);
    vg_image b = image_new(VG_FORMAT_RGBA8, 17, 9, 3, 8);
    vg_image dst = image_new(VG_FORMAT_RGBA8, 17, 9, 3, 0);
    static const int32_t positions[] = {0, 1, 8, 16, 17};
    for (size_t i = 0; i < sizeof(positions) / sizeof(positions[0]); i++) {
        vg_blend_params p = {VG_BLEND_WIPE, 0, positions[i]};
        run_blend(&dst, &a, &b, &p);
        for (int32_t y = 0; y < 9; y++)
            for (int32_t x = 0; x < 17; x++)
                for (int c = 0; c < 4; c++)
                    cr_assert_eq(px(&dst, x, y, c),
                                 px(x < positions[i] ? &b : &a, x, y, c));
    }
    image_free(&a);
    image_free(&b);
    image_free(&dst);
}

/* ------------------------------------------------------------------------ */
/* Blur: exact separable convolution with the unquantised Gaussian           */
/* ------------------------------------------------------------------------ */

static void check_blur(const vg_image *src, double sigma)
{
    vg_blur_params p;
    cr_assert_eq(vg_blur_params_from_sigma(sigma, &p), 0);
    int32_t w = src->width, h = src->height, r = p.radius;
    vg_image dst = image_new(VG_FORMAT_RGBA8, w, h, 11, 0);
    vg_image split = image_new(VG_FORMAT_RGBA8, w, h, 11, 0);
    void *scratch =
        aligned_alloc(16, (vg_ref_blur_scratch_size(w, h, r) + 15) / 16 * 16);
    cr_assert_not_null(scratch);
    vg_ref_blur(&dst, src, &p, 0, h, scratch);
    vg_ref_blur(&split, src, &p, 0, h / 3, scratch);
    vg_ref_blur(&split, src, &p, h / 3, h, scratch);
    assert_padding_intact(&dst);
    assert_same_pixels(&dst, &split);
    free(scratch);

    double g[2 * VG_BLUR_MAX_RADIUS + 1], total = 0;
    for (int32_t k = -r; k <= r; k++)
        total += g[k + r] = exp(-(double)(k * k) / (2 * sigma * sigma));
    for (int32_t k = 0; k <= 2 * r; k++)
        g[k] /= total;

    double *tmp = malloc(sizeof(double) * 4 * (size_t)w * (size_t)h);
    cr_assert_not_null(tmp);
    for (int32_t y = 0; y < h; y++)
        for (int32_t x = 0; x < w; x++)
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int32_t k = -r; k <= r; k++)
                    s += g[k + r] * px(src, vg_pm_clamp_index(x + k, w), y, c);
                tmp[((size_t)y * (size_t)w + (size_t)x) * 4 + (size_t)c] = s;
            }
    for (int32_t y = 0; y < h; y++)
        for (int32_t x = 0; x < w; x++)
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int32_t k = -r; k <= r; k++)
                    s += g[k + r] *
                         tmp[((size_t)vg_pm_clamp_index(y + k, h) * (size_t)w +
                              (size_t)x) *
                                 4 +
                             (size_t)c];
                assert_close(px(&dst, x, y, c), s, 1.0, "blur", x, y, c);
            }
    free(tmp);
    image_free(&dst);
    image_free(&split);
}

Test(accuracy, blur_is_gaussian)
{
    static const double sigmas[] = {0.3, 1.0, 2.5, 6.0, 21.0};
    uint32_t seed = 200;
    for (int s = 0; s < NSIZES; s++) {
        vg_image src =
            image_new(VG_FORMAT_RGBA8, sizes[s][0], sizes[s][1], 17, seed++);
        for (size_t i = 0; i < sizeof(sigmas) / sizeof(sigmas[0]); i++)
            check_blur(&src, sigmas[i]);
        image_free(&src);
    }
}

Test(accuracy, blur_keeps_flat_images_flat)
{
    vg_blur_params p;
    cr_assert_eq(vg_blur_params_from_sigma(3.7, &p), 0);
    vg_image src = image_new(VG_FORMAT_RGBA8, 20, 13, 0, 0);
    for (uint32_t v = 0; v < 256; v += 51) {
        memset(src.data[0], (int)v, (size_t)src.stride[0] * 13);
        vg_image dst = image_new(VG_FORMAT_RGBA8, 20, 13, 4, 0);
        void *scratch = aligned_alloc(
            16, (vg_ref_blur_scratch_size(20, 13, p.radius) + 15) / 16 * 16);
        vg_ref_blur(&dst, &src, &p, 0, 13, scratch);
        for (int32_t y = 0; y < 13; y++)
            for (int32_t x = 0; x < 20; x++)
                for (int c = 0; c < 4; c++)
                    cr_assert_eq(px(&dst, x, y, c), v);
        free(scratch);
        image_free(&dst);
    }
    image_free(&src);
}

/* ------------------------------------------------------------------------ */
/* Colour: from the Kr/Kb definitions                                        */
/* ------------------------------------------------------------------------ */

typedef struct colour_model {
    vg_color_matrix matrix;
    vg_color_range range;
    double kr, kb, ys, cs, offset;
} colour_model;

/* One rounding (0.5) plus the coefficients' quantisation: each Q14 or Q13
 * coefficient is within 1.5 units of ideal (the derived one of a row
 * collects the others' rounding), which moves a result by at most
 * 3 * 1.5 * 255 / 16384 < 0.05 (RGB -> YUV) or (0.5 * 255 + 2 * 0.5 * 128)
 * / 8192 < 0.05 (YUV -> RGB).  Tighter than 1 LSB, so a lost rounding
 * constant shows. */
#define COLOUR_BOUND 0.55

static const colour_model models[] = {
    {VG_MATRIX_BT601, VG_RANGE_LIMITED, 0.299, 0.114, 219 / 255.0, 224 / 255.0,
     16},
    {VG_MATRIX_BT601, VG_RANGE_FULL, 0.299, 0.114, 1, 1, 0},
    {VG_MATRIX_BT709, VG_RANGE_LIMITED, 0.2126, 0.0722, 219 / 255.0,
     224 / 255.0, 16},
    {VG_MATRIX_BT709, VG_RANGE_FULL, 0.2126, 0.0722, 1, 1, 0},
};

static uint8_t plane_px(const vg_image *im, int p, int32_t x, int32_t y)
{
    return im->data[p][(size_t)y * (size_t)im->stride[p] + (size_t)x];
}

static void check_rgba_to_i420(const vg_image *src, const colour_model *m)
{
    vg_color_params cp;
    cr_assert_eq(vg_color_params_init(m->matrix, m->range, &cp), 0);
    int32_t w = src->width, h = src->height;
    vg_image dst = image_new(VG_FORMAT_I420, w, h, 5, 0);
    vg_image split = image_new(VG_FORMAT_I420, w, h, 5, 0);
    int32_t mid = h / 2 & ~1; /* split rows must start even */
    vg_ref_rgba_to_i420(&dst, src, &cp, 0, h);
    vg_ref_rgba_to_i420(&split, src, &cp, 0, mid);
    vg_ref_rgba_to_i420(&split, src, &cp, mid, h);
    assert_padding_intact(&dst);
    assert_same_pixels(&dst, &split);

    double kg = 1 - m->kr - m->kb;
    for (int32_t y = 0; y < h; y++)
        for (int32_t x = 0; x < w; x++) {
            double luma = m->kr * px(src, x, y, 0) + kg * px(src, x, y, 1) +
                          m->kb * px(src, x, y, 2);
            assert_close(plane_px(&dst, 0, x, y),
                         clamp255(m->offset + m->ys * luma), COLOUR_BOUND, "Y",
                         x, y, 0);
        }
    for (int32_t cy = 0; cy < (h + 1) / 2; cy++)
        for (int32_t cx = 0; cx < (w + 1) / 2; cx++) {
            /* mean over the 2x2 block, edges replicated */
            double mean[3] = {0, 0, 0};
            for (int c = 0; c < 3; c++)
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++)
                        mean[c] += px(src, vg_pm_clamp_index(2 * cx + dx, w),
                                      vg_pm_clamp_index(2 * cy + dy, h), c) /
                                   4.0;
            double luma = m->kr * mean[0] + kg * mean[1] + m->kb * mean[2];
            double cb = (mean[2] - luma) / (2 * (1 - m->kb));
            double cr = (mean[0] - luma) / (2 * (1 - m->kr));
            assert_close(plane_px(&dst, 1, cx, cy), clamp255(128 + m->cs * cb),
                         COLOUR_BOUND, "U", cx, cy, 1);
            assert_close(plane_px(&dst, 2, cx, cy), clamp255(128 + m->cs * cr),
                         COLOUR_BOUND, "V", cx, cy, 2);
        }
    image_free(&dst);
    image_free(&split);
}

static void check_i420_to_rgba(const vg_image *src, const colour_model *m)
{
    vg_color_params cp;
    cr_assert_eq(vg_color_params_init(m->matrix, m->range, &cp), 0);
    int32_t w = src->width, h = src->height;
    vg_image dst = image_new(VG_FORMAT_RGBA8, w, h, 6, 0);
    vg_image split = image_new(VG_FORMAT_RGBA8, w, h, 6, 0);
    int32_t mid = h / 2 & ~1;
    vg_ref_i420_to_rgba(&dst, src, &cp, 0, h);
    vg_ref_i420_to_rgba(&split, src, &cp, 0, mid);
    vg_ref_i420_to_rgba(&split, src, &cp, mid, h);
    assert_padding_intact(&dst);
    assert_same_pixels(&dst, &split);

    double kg = 1 - m->kr - m->kb;
    for (int32_t y = 0; y < h; y++)
        for (int32_t x = 0; x < w; x++) {
            double luma = (plane_px(src, 0, x, y) - m->offset) / m->ys;
            double cb = (plane_px(src, 1, x / 2, y / 2) - 128.0) / m->cs;
            double cr = (plane_px(src, 2, x / 2, y / 2) - 128.0) / m->cs;
            double r = luma + 2 * (1 - m->kr) * cr;
            double b = luma + 2 * (1 - m->kb) * cb;
            double g = (luma - m->kr * r - m->kb * b) / kg;
            assert_close(px(&dst, x, y, 0), clamp255(r), COLOUR_BOUND, "R", x,
                         y, 0);
            assert_close(px(&dst, x, y, 1), clamp255(g), COLOUR_BOUND, "G", x,
                         y, 1);
            assert_close(px(&dst, x, y, 2), clamp255(b), COLOUR_BOUND, "B", x,
                         y, 2);
            cr_assert_eq(px(&dst, x, y, 3), 255);
        }
    image_free(&dst);
    image_free(&split);
}

Test(accuracy, colour_conversions_follow_the_matrices)
{
    uint32_t seed = 300;
    for (int s = 0; s < NSIZES; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        vg_image rgba = image_new(VG_FORMAT_RGBA8, w, h, 10, seed++);
        vg_image yuv = image_new(VG_FORMAT_I420, w, h, 3, seed++);
        for (size_t m = 0; m < sizeof(models) / sizeof(models[0]); m++) {
            check_rgba_to_i420(&rgba, &models[m]);
            check_i420_to_rgba(&yuv, &models[m]);
        }
        image_free(&rgba);
        image_free(&yuv);
    }
}

Test(accuracy, grey_round_trips)
{
    /* a ramp through every grey level, odd height so the last chroma row
     * replicates */
    vg_image grey = image_new(VG_FORMAT_RGBA8, 256, 3, 8, 0);
    for (int32_t y = 0; y < 3; y++)
        for (int32_t x = 0; x < 256; x++)
            memset(grey.data[0] + (size_t)y * (size_t)grey.stride[0] +
                       4 * (size_t)x,
                   x, 4);
    for (size_t m = 0; m < sizeof(models) / sizeof(models[0]); m++) {
        vg_color_params cp;
        cr_assert_eq(
            vg_color_params_init(models[m].matrix, models[m].range, &cp), 0);
        vg_image yuv = image_new(VG_FORMAT_I420, 256, 3, 0, 0);
        vg_image back = image_new(VG_FORMAT_RGBA8, 256, 3, 0, 0);
        vg_ref_rgba_to_i420(&yuv, &grey, &cp, 0, 3);
        vg_ref_i420_to_rgba(&back, &yuv, &cp, 0, 3);
        for (int32_t y = 0; y < 3; y++)
            for (int32_t x = 0; x < 256; x++) {
                /* grey has no chroma, exactly */
                cr_assert_eq(plane_px(&yuv, 1, x / 2, y / 2), 128);
                cr_assert_eq(plane_px(&yuv, 2, x / 2, y / 2), 128);
                for (int c = 0; c < 3; c++)
                    assert_close(px(&back, x, y, c), x, 1.0, "grey", x, y, c);
            }
        image_free(&yuv);
        image_free(&back);
    }
    image_free(&grey);
}

/* ------------------------------------------------------------------------ */
/* Pattern                                                                   */
/* ------------------------------------------------------------------------ */

static vg_image render_pattern(int32_t w, int32_t h, uint32_t kind,
                               uint32_t frame, uint32_t rgba)
{
    vg_pattern_params p = {kind, frame, rgba};
    vg_image im = image_new(VG_FORMAT_RGBA8, w, h, 5, 0);
    vg_image split = image_new(VG_FORMAT_RGBA8, w, h, 5, 0);
    vg_ref_pattern(&im, &p, 0, h);
    vg_ref_pattern(&split, &p, 0, h / 2);
    vg_ref_pattern(&split, &p, h / 2, h);
    assert_padding_intact(&im);
    assert_same_pixels(&im, &split);
    image_free(&split);
    return im;
}

Test(accuracy, pattern_solid_and_checker)
{
    for (int s = 0; s < NSIZES; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        vg_image solid = render_pattern(w, h, VG_PATTERN_SOLID, 3, 0x11223344u);
        vg_image check =
            render_pattern(w, h, VG_PATTERN_CHECKER, 3, 0x11223344u);
        int32_t square = h / 8 > 0 ? h / 8 : 1;
        for (int32_t y = 0; y < h; y++)
            for (int32_t x = 0; x < w; x++) {
                int odd = (x / square + y / square) & 1;
                static const uint8_t want[2][4] = {{0x11, 0x22, 0x33, 0x44},
                                                   {0xee, 0xdd, 0xcc, 0x44}};
                for (int c = 0; c < 4; c++) {
                    cr_assert_eq(px(&solid, x, y, c), want[0][c]);
                    cr_assert_eq(px(&check, x, y, c), want[odd][c]);
                }
            }
        image_free(&solid);
        image_free(&check);
    }
}

Test(accuracy, testsrc_is_opaque_animated_and_numbered)
{
    static const uint32_t frames[] = {0, 1, 77, 40000, 0xfffffffeu};
    for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
        vg_image a = render_pattern(320, 240, VG_PATTERN_TESTSRC, frames[i], 0);
        vg_image b =
            render_pattern(320, 240, VG_PATTERN_TESTSRC, frames[i] + 1, 0);
        size_t differ = 0;
        for (int32_t y = 0; y < 240; y++)
            for (int32_t x = 0; x < 320; x++) {
                cr_assert_eq(px(&a, x, y, 3), 255);
                differ += memcmp(&a.data[0][(size_t)y * (size_t)a.stride[0] +
                                            4 * (size_t)x],
                                 &b.data[0][(size_t)y * (size_t)b.stride[0] +
                                            4 * (size_t)x],
                                 3) != 0;
            }
        /* every element moves: most of the picture changes per frame */
        cr_assert_gt(differ, 320 * 240 / 2, "only %zu pixels moved", differ);

        /* the bottom-left band spells the frame index's low 16 bits in
         * cells of h/32 = 7 pixels, MSB first */
        uint32_t decoded = 0;
        for (int bit = 0; bit < 16; bit++)
            decoded = decoded << 1 | (px(&a, bit * 7 + 3, 236, 0) == 255);
        cr_assert_eq(decoded, frames[i] & 0xffffu);
        image_free(&a);
        image_free(&b);
    }
}

Test(accuracy, testsrc_layout_scales_with_the_frame)
{
    /* Gradients, checker, grid and sweeping bar are placed in fractions of
     * the frame, so a point and its double in a frame twice as large match
     * exactly (only the zone plate's rings and the bands' fine stripes get
     * denser with size).  h = 128 and 256 keep the scroll step integral. */
    vg_image small = render_pattern(192, 128, VG_PATTERN_TESTSRC, 21, 0);
    vg_image large = render_pattern(384, 256, VG_PATTERN_TESTSRC, 21, 0);
    size_t same = 0, total = 0;
    for (int32_t y = 0; y < 128; y += 3)
        for (int32_t x = 0; x < 192; x += 3) {
            total++;
            same += px(&small, x, y, 0) == px(&large, 2 * x, 2 * y, 0) &&
                    px(&small, x, y, 1) == px(&large, 2 * x, 2 * y, 1) &&
                    px(&small, x, y, 2) == px(&large, 2 * x, 2 * y, 2);
        }
    cr_assert_gt(same, total * 8 / 10, "%zu of %zu points match", same, total);
    image_free(&small);
    image_free(&large);
}

Test(accuracy, bars_are_seventy_five_percent)
{
    vg_image bars = render_pattern(140, 60, VG_PATTERN_BARS, 0, 0);
    static const uint8_t top[7][3] = {
        {191, 191, 191}, {191, 191, 0}, {0, 191, 191}, {0, 191, 0},
        {191, 0, 191},   {191, 0, 0},   {0, 0, 191}};
    for (int bar = 0; bar < 7; bar++)
        for (int c = 0; c < 3; c++)
            cr_assert_eq(px(&bars, bar * 20 + 10, 10, c), top[bar][c]);
    /* reverse strip: blue under white, black under yellow */
    cr_assert_eq(px(&bars, 10, 42, 2), 191);
    cr_assert_eq(px(&bars, 10, 42, 0), 0);
    cr_assert_eq(px(&bars, 30, 42, 2), 0);
    /* bottom band: 100% white in its second section */
    cr_assert_eq(px(&bars, 40, 55, 0), 255);
    image_free(&bars);
}

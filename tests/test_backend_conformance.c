/*
 * test_backend_conformance.c - one suite, every backend.
 *
 * Each kernel runs through the core's validated wrappers on every backend
 * (cpu, faulty, opencl on PoCL, cuda when a GPU is present) on seeded
 * random and worst-case inputs at many sizes, and its bytes are compared
 * with the reference.  A new plugin gets these tests by adding one line at
 * the bottom; a kernel added to the slot table needs its run_<kernel>.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/image.h"
#include "vg/params.h"
#include "vg/select.h"
#include "vg_reference.h"

typedef struct size2 {
    int32_t w, h;
} size2;

/* Odd sizes, sizes that are not multiples of any vector width, single rows
 * and columns, and strips at the largest allowed dimension. */
static const size2 sizes[] = {
    {1, 1},   {2, 2},    {3, 5},     {17, 9},   {64, 1},    {1, 64},
    {33, 31}, {127, 65}, {640, 360}, {16384, 2}, {2, 16384},
};
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

/* Input patterns: random, then the worst cases for rounding and clamping. */
enum fill { FILL_RANDOM, FILL_WHITE, FILL_BLACK, FILL_EXTREMES, FILL_COUNT };

typedef struct harness {
    vg_config *cfg;
    vg_selector *sel;
    vg_backend *b;
} harness;

/* Open `name` alone through the full selection pipeline (self-test
 * included).  Backends that need hardware skip when it is absent; the
 * others must work. */
static void harness_open(harness *h, const char *name, bool required)
{
    char yaml[512], err[2048];
    snprintf(yaml, sizeof yaml,
             "backends: [%s]\n"
             "backend_options:\n"
             "  opencl: {device_types: [all]}\n",
             name);
    cr_assert_eq(vg_config_load_string(yaml, "conformance.yaml", &h->cfg, err,
                                       sizeof err),
                 0, "%s", err);
    vg_job_limits limits = {.max_width = 16384, .max_height = 16384};
    cr_assert_eq(vg_selector_create(h->cfg, &limits, &h->sel), 0);
    int rc = vg_selector_next(h->sel, &h->b, err, sizeof err);
    if (rc != 0) {
        const vg_attempt *a = vg_selector_attempt(h->sel, 0);
        if (required)
            cr_assert_fail("backend %s must be usable here: %s: %s", name,
                           vg_stage_name(a->stage), a->reason);
        cr_skip_test("backend %s not usable here: %s: %s", name,
                     vg_stage_name(a->stage), a->reason);
    }
}

static void harness_close(harness *h)
{
    vg_backend_close(&h->b);
    vg_selector_destroy(&h->sel);
    vg_config_destroy(&h->cfg);
}

static void fill(vg_image *img, enum fill kind, uint32_t seed)
{
    for (int p = 0; p < vg_plane_count(img->format); p++) {
        int32_t w, rows;
        vg_plane_size(img->format, img->width, img->height, p, &w, &rows);
        int32_t bytes = vg_plane_row_bytes(img->format, img->width, p);
        for (int32_t y = 0; y < rows; y++) {
            uint8_t *row = img->data[p] + (size_t)y * img->stride[p];
            if (kind == FILL_RANDOM)
                vgt_fill_random(row, (size_t)bytes, seed + (uint32_t)(y * 7919 + p));
            else
                for (int32_t x = 0; x < bytes; x++)
                    row[x] = kind == FILL_WHITE   ? 255
                             : kind == FILL_BLACK ? 0
                             : ((x / 4 + y) & 1)  ? 255
                                                  : 0;
        }
    }
}

/* A host image plus the same frame on the backend. */
typedef struct pair {
    vg_image host;
    vg_backend_frame *dev;
} pair;

static pair make_pair(harness *h, vg_pixel_format format, int32_t w, int32_t hh)
{
    pair p = {0};
    cr_assert_eq(vg_image_alloc(format, w, hh, &p.host), 0);
    cr_assert_eq(vg_backend_frame_alloc(h->b, format, w, hh, &p.dev), 0, "%s",
                 vg_backend_last_error(h->b));
    return p;
}

static void upload(harness *h, pair *p)
{
    cr_assert_eq(vg_backend_upload(h->b, p->dev, &p->host), 0, "%s",
                 vg_backend_last_error(h->b));
}

static void free_pair(harness *h, pair *p)
{
    vg_backend_frame_free(h->b, &p->dev);
    vg_image_free(&p->host);
}

/* Download `out` and compare it with `expected` byte for byte. */
static void expect_equal(harness *h, const pair *out, const vg_image *expected,
                         const char *what)
{
    vg_image got;
    cr_assert_eq(vg_image_alloc(expected->format, expected->width,
                                expected->height, &got),
                 0);
    cr_assert_eq(vg_backend_download(h->b, out->dev, &got), 0, "%s",
                 vg_backend_last_error(h->b));
    int plane = 0;
    int32_t x = 0, y = 0;
    bool same = vg_image_equal(&got, expected, &plane, &x, &y);
    uint8_t g = got.data[plane][(size_t)y * got.stride[plane] + x];
    uint8_t e = expected->data[plane][(size_t)y * expected->stride[plane] + x];
    vg_image_free(&got);
    cr_assert(same, "%s %dx%d: plane %d row %d byte %d: got %u, expected %u",
              what, expected->width, expected->height, plane, y, x, g, e);
}

static void run_fill_pattern(const char *name, bool required)
{
    harness h = {0};
    harness_open(&h, name, required);
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        pair out = make_pair(&h, VG_FORMAT_RGBA8, sizes[s].w, sizes[s].h);
        vg_image expected;
        vg_image_alloc(VG_FORMAT_RGBA8, sizes[s].w, sizes[s].h, &expected);
        for (uint32_t kind = VG_PATTERN_TESTSRC; kind <= VG_PATTERN_SOLID; kind++) {
            for (uint32_t frame = 0; frame < 2000; frame += 1234) {
                vg_pattern_params p = {.kind = kind, .frame_index = frame,
                                       .rgba = 0x80c040a0u};
                vg_ref_pattern(&expected, &p, 0, expected.height);
                cr_assert_eq(vg_backend_fill_pattern(h.b, out.dev, &p), 0);
                expect_equal(&h, &out, &expected, "pattern");
            }
        }
        vg_image_free(&expected);
        free_pair(&h, &out);
    }
    harness_close(&h);
}

static void run_warp_affine(const char *name, bool required)
{
    harness h = {0};
    harness_open(&h, name, required);
    /* Source sizes relative to the destination: downscale, same, upscale. */
    static const double scales[] = {2.0, 1.0, 0.37};
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s].w, hh = sizes[s].h;
        for (size_t k = 0; k < 3; k++) {
            int32_t sw = (int32_t)(w * scales[k]), sh = (int32_t)(hh * scales[k]);
            sw = sw < 1 ? 1 : sw > 16384 ? 16384 : sw;
            sh = sh < 1 ? 1 : sh > 16384 ? 16384 : sh;
            pair src = make_pair(&h, VG_FORMAT_RGBA8, sw, sh);
            pair out = make_pair(&h, VG_FORMAT_RGBA8, w, hh);
            vg_image expected;
            vg_image_alloc(VG_FORMAT_RGBA8, w, hh, &expected);
            fill(&src.host, (enum fill)(k % FILL_COUNT), 77 + (uint32_t)s);
            upload(&h, &src);
            /* a plain resize, a rotated zoom with a border, and a zoomed-out
             * view whose taps fall far outside the source */
            vg_affine maps[3] = {
                vg_affine_camera(w, hh, (double)w / sw, 0,
                                 (sw - 1) / 2.0, (sh - 1) / 2.0),
                vg_affine_camera(w, hh, 1.7, 33.0, sw / 3.0, sh / 2.0),
                vg_affine_camera(w, hh, 0.25, -12.0, 0, 0),
            };
            for (int m = 0; m < 3; m++) {
                for (int edge = VG_EDGE_CLAMP; edge <= VG_EDGE_BORDER; edge++) {
                    vg_warp_params p;
                    if (vg_warp_params_from_affine(&maps[m], w, hh, edge,
                                                   0x11223344u, &p) != 0)
                        continue; /* outside 16.16: refused by design */
                    vg_ref_warp(&expected, &src.host, &p, 0, hh);
                    cr_assert_eq(vg_backend_warp_affine(h.b, out.dev, src.dev, &p),
                                 0, "%s", vg_backend_last_error(h.b));
                    expect_equal(&h, &out, &expected, "warp");
                }
            }
            vg_image_free(&expected);
            free_pair(&h, &src);
            free_pair(&h, &out);
        }
    }
    harness_close(&h);
}

static void run_blend(const char *name, bool required)
{
    harness h = {0};
    harness_open(&h, name, required);
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s].w, hh = sizes[s].h;
        pair a = make_pair(&h, VG_FORMAT_RGBA8, w, hh);
        pair b = make_pair(&h, VG_FORMAT_RGBA8, w, hh);
        pair out = make_pair(&h, VG_FORMAT_RGBA8, w, hh);
        vg_image expected;
        vg_image_alloc(VG_FORMAT_RGBA8, w, hh, &expected);
        for (int f = 0; f < FILL_COUNT; f++) {
            fill(&a.host, (enum fill)f, 1 + (uint32_t)s);
            fill(&b.host, (enum fill)((f + 1) % FILL_COUNT), 1000 + (uint32_t)s);
            upload(&h, &a);
            upload(&h, &b);
            vg_blend_params cases[] = {
                {.mode = VG_BLEND_CROSSFADE, .weight = 0},
                {.mode = VG_BLEND_CROSSFADE, .weight = 1},
                {.mode = VG_BLEND_CROSSFADE, .weight = 128},
                {.mode = VG_BLEND_CROSSFADE, .weight = 255},
                {.mode = VG_BLEND_CROSSFADE, .weight = 256},
                {.mode = VG_BLEND_ALPHA_OVER},
                {.mode = VG_BLEND_WIPE, .position = 0},
                {.mode = VG_BLEND_WIPE, .position = w / 2},
                {.mode = VG_BLEND_WIPE, .position = w},
            };
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                vg_ref_blend(&expected, &a.host, &b.host, &cases[c], 0, hh);
                cr_assert_eq(vg_backend_blend(h.b, out.dev, a.dev, b.dev, &cases[c]),
                             0, "%s", vg_backend_last_error(h.b));
                expect_equal(&h, &out, &expected, "blend");
            }
        }
        vg_image_free(&expected);
        free_pair(&h, &a);
        free_pair(&h, &b);
        free_pair(&h, &out);
    }
    harness_close(&h);
}

static void run_blur(const char *name, bool required)
{
    harness h = {0};
    harness_open(&h, name, required);
    static const double sigmas[] = {0.5, 1.0, 3.0, VG_BLUR_MAX_SIGMA};
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s].w, hh = sizes[s].h;
        pair src = make_pair(&h, VG_FORMAT_RGBA8, w, hh);
        pair out = make_pair(&h, VG_FORMAT_RGBA8, w, hh);
        vg_image expected;
        vg_image_alloc(VG_FORMAT_RGBA8, w, hh, &expected);
        for (size_t k = 0; k < sizeof sigmas / sizeof sigmas[0]; k++) {
            vg_blur_params p;
            cr_assert_eq(vg_blur_params_from_sigma(sigmas[k], &p), 0);
            fill(&src.host, (enum fill)(k % FILL_COUNT), 5 + (uint32_t)s);
            upload(&h, &src);
            void *scratch = malloc(vg_ref_blur_scratch_size(w, hh, p.radius));
            vg_ref_blur(&expected, &src.host, &p, 0, hh, scratch);
            free(scratch);
            cr_assert_eq(vg_backend_blur(h.b, out.dev, src.dev, &p), 0, "%s",
                         vg_backend_last_error(h.b));
            expect_equal(&h, &out, &expected, "blur");
        }
        vg_image_free(&expected);
        free_pair(&h, &src);
        free_pair(&h, &out);
    }
    harness_close(&h);
}

static void run_rgba_to_i420(const char *name, bool required)
{
    harness h = {0};
    harness_open(&h, name, required);
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s].w, hh = sizes[s].h;
        pair rgba = make_pair(&h, VG_FORMAT_RGBA8, w, hh);
        pair yuv = make_pair(&h, VG_FORMAT_I420, w, hh);
        vg_image expected_yuv;
        vg_image_alloc(VG_FORMAT_I420, w, hh, &expected_yuv);
        for (int m = VG_MATRIX_BT601; m <= VG_MATRIX_BT709; m++) {
            for (int r = VG_RANGE_LIMITED; r <= VG_RANGE_FULL; r++) {
                vg_color_params cp;
                cr_assert_eq(vg_color_params_init(m, r, &cp), 0);
                fill(&rgba.host, (enum fill)((m + r) % FILL_COUNT),
                     9 + (uint32_t)s);
                upload(&h, &rgba);
                vg_ref_rgba_to_i420(&expected_yuv, &rgba.host, &cp, 0, hh);
                cr_assert_eq(
                    vg_backend_rgba_to_i420(h.b, yuv.dev, rgba.dev, &cp), 0,
                    "%s", vg_backend_last_error(h.b));
                expect_equal(&h, &yuv, &expected_yuv, "rgba_to_i420");
            }
        }
        vg_image_free(&expected_yuv);
        free_pair(&h, &rgba);
        free_pair(&h, &yuv);
    }
    harness_close(&h);
}

static void run_i420_to_rgba(const char *name, bool required)
{
    harness h = {0};
    harness_open(&h, name, required);
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s].w, hh = sizes[s].h;
        pair yuv = make_pair(&h, VG_FORMAT_I420, w, hh);
        pair back = make_pair(&h, VG_FORMAT_RGBA8, w, hh);
        vg_image expected_rgba;
        vg_image_alloc(VG_FORMAT_RGBA8, w, hh, &expected_rgba);
        for (int m = VG_MATRIX_BT601; m <= VG_MATRIX_BT709; m++) {
            for (int r = VG_RANGE_LIMITED; r <= VG_RANGE_FULL; r++) {
                vg_color_params cp;
                cr_assert_eq(vg_color_params_init(m, r, &cp), 0);
                /* any Y, U, V, not only those RGB produces */
                fill(&yuv.host, FILL_RANDOM, 31 + (uint32_t)s);
                upload(&h, &yuv);
                vg_ref_i420_to_rgba(&expected_rgba, &yuv.host, &cp, 0, hh);
                cr_assert_eq(
                    vg_backend_i420_to_rgba(h.b, back.dev, yuv.dev, &cp), 0,
                    "%s", vg_backend_last_error(h.b));
                expect_equal(&h, &back, &expected_rgba, "i420_to_rgba");
            }
        }
        vg_image_free(&expected_rgba);
        free_pair(&h, &yuv);
        free_pair(&h, &back);
    }
    harness_close(&h);
}

static void run_upload_download(const char *name, bool required)
{
    harness h = {0};
    harness_open(&h, name, required);
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        for (int f = VG_FORMAT_RGBA8; f <= VG_FORMAT_I420; f++) {
            pair p = make_pair(&h, f, sizes[s].w, sizes[s].h);
            fill(&p.host, FILL_RANDOM, 3 + (uint32_t)s);
            upload(&h, &p);
            expect_equal(&h, &p, &p.host, "upload/download");
            free_pair(&h, &p);
        }
    }
    harness_close(&h);
}

/* One test per kernel row of VG_PLUGIN_SLOTS (vg/plugin.h), each running
 * run_<kernel> above, plus upload/download: a kernel row without its
 * run_<kernel> does not compile. */
#define CONFORMANCE_KERNEL_(backend, name, ...)                                \
    Test(conformance_##backend, name, .timeout = 600)                          \
    {                                                                          \
        run_##name(#backend, conformance_required_##backend);                  \
    }
#define CONFORMANCE_SUITE(backend, required)                                   \
    static const bool conformance_required_##backend = required;               \
    Test(conformance_##backend, upload_download, .timeout = 600)               \
    {                                                                          \
        run_upload_download(#backend, required);                               \
    }                                                                          \
    VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, CONFORMANCE_KERNEL_, backend)

/* cpu and the faulty test backend always work; opencl must work wherever
 * its plugin was built and an OpenCL runtime (PoCL in CI) is installed;
 * cuda needs an NVIDIA GPU and skips with the reason otherwise. */
CONFORMANCE_SUITE(cpu, true)
CONFORMANCE_SUITE(faulty, true)
#ifdef VG_TEST_REQUIRE_OPENCL
CONFORMANCE_SUITE(opencl, true)
#else
CONFORMANCE_SUITE(opencl, false)
#endif
CONFORMANCE_SUITE(cuda, false)

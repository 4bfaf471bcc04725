/*
 * conformance_checks.c - every kernel on a backend against the reference.
 *
 * The inputs: sizes chosen to break vector tails, tiles and chroma blocks;
 * seeded random bytes and the worst cases for rounding and clamping (all
 * white, all black, alternating extremes); every parameter class of every
 * kernel (each pattern, resize/rotate/zoom-out maps with both edge modes,
 * every blend mode at its boundary weights and positions, small to largest
 * blur radius, both matrices and ranges).  The reference kernels define the
 * expected bytes.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"
#include "vg/image.h"
#include "vg/params.h"
#include "vg_reference.h"

typedef struct size2 {
    int32_t w, h;
} size2;

/* Odd sizes, sizes that are not multiples of any vector width, single rows
 * and columns, and strips at the largest allowed dimension. */
static const size2 sizes[] = {
    {1, 1},   {2, 2},    {3, 5},     {17, 9},    {64, 1},    {1, 64},
    {33, 31}, {127, 65}, {640, 360}, {16384, 2}, {2, 16384},
};
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

/* Input patterns: random, then the worst cases for rounding and clamping. */
enum fill { FILL_RANDOM, FILL_WHITE, FILL_BLACK, FILL_EXTREMES, FILL_COUNT };

/* One run of a check: the backend, and the first failure's text. */
typedef struct run {
    vg_backend *b;
    char *msg;
    size_t msg_size;
} run;

static int fail(run *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(run *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, r->msg_size, fmt, ap);
    va_end(ap);
    return code;
}

/* A backend call that failed: name the call, the size and the plugin's
 * own explanation. */
static int call_failed(run *r, int rc, const char *what, int32_t w, int32_t h)
{
    return fail(r, rc, "%s %dx%d: %s (%s)", what, (int)w, (int)h,
                vg_backend_last_error(r->b), vg_error_name(rc));
}

static void fill_random(uint8_t *p, size_t size, uint32_t seed)
{
    /* xorshift32: fast, deterministic, never all-zero for a non-zero seed */
    uint32_t x = seed ? seed : 0x9e3779b9u;
    for (size_t i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 24);
    }
}

static void fill(vg_image *img, enum fill kind, uint32_t seed)
{
    for (int p = 0; p < vg_plane_count(img->format); p++) {
        int32_t w, rows;
        vg_plane_size(img->format, img->width, img->height, p, &w, &rows);
        int32_t bytes = vg_plane_row_bytes(img->format, img->width, p);
        for (int32_t y = 0; y < rows; y++) {
            uint8_t *row = img->data[p] + (size_t)y * (size_t)img->stride[p];
            if (kind == FILL_RANDOM)
                fill_random(row, (size_t)bytes,
                            seed + (uint32_t)(y * 7919 + p));
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

static int make_pair(run *r, vg_pixel_format format, int32_t w, int32_t h,
                     pair *p)
{
    *p = (pair){0};
    if (vg_image_alloc(format, w, h, &p->host) != 0)
        return fail(r, VG_ERR_NO_MEMORY, "host image %dx%d: out of memory",
                    (int)w, (int)h);
    int rc = vg_backend_frame_alloc(r->b, format, w, h, &p->dev);
    return rc == 0 ? 0 : call_failed(r, rc, "frame_alloc", w, h);
}

static void free_pair(run *r, pair *p)
{
    vg_backend_frame_free(r->b, &p->dev);
    vg_image_free(&p->host);
}

static int upload(run *r, pair *p)
{
    int rc = vg_backend_upload(r->b, p->dev, &p->host);
    return rc == 0 ? 0
                   : call_failed(r, rc, "frame_upload", p->host.width,
                                 p->host.height);
}

/* Download `out` and compare it with `expected` byte for byte; `what`
 * names the kernel and case. */
static int expect_equal(run *r, const pair *out, const vg_image *expected,
                        const char *what)
{
    vg_image got;
    int32_t w = expected->width, h = expected->height;
    if (vg_image_alloc(expected->format, w, h, &got) != 0)
        return fail(r, VG_ERR_NO_MEMORY, "%s %dx%d: out of memory", what,
                    (int)w, (int)h);
    int rc = vg_backend_download(r->b, out->dev, &got);
    if (rc != 0) {
        vg_image_free(&got);
        return call_failed(r, rc, "frame_download", w, h);
    }
    int plane = 0;
    int32_t x = 0, y = 0;
    if (!vg_image_equal(&got, expected, &plane, &x, &y)) {
        uint8_t g =
            got.data[plane][(size_t)y * (size_t)got.stride[plane] + (size_t)x];
        uint8_t e =
            expected->data[plane][(size_t)y * (size_t)expected->stride[plane] +
                                  (size_t)x];
        if (expected->format == VG_FORMAT_RGBA8)
            rc = fail(r, VG_ERR_MISMATCH,
                      "%s %dx%d: plane 0 row %d byte %d (pixel x=%d, channel "
                      "%c): got %u, expected %u",
                      what, (int)w, (int)h, (int)y, (int)x, (int)(x / 4),
                      "RGBA"[x % 4], g, e);
        else
            rc = fail(r, VG_ERR_MISMATCH,
                      "%s %dx%d: plane %d (%c) row %d byte %d: got %u, "
                      "expected %u",
                      what, (int)w, (int)h, plane, "YUV"[plane], (int)y, (int)x,
                      g, e);
    }
    vg_image_free(&got);
    return rc;
}

static int check_pattern(run *r)
{
    static const char *const kinds[] = {"", "testsrc", "bars", "checker",
                                        "solid"};
    int rc = 0;
    for (size_t s = 0; s < SIZE_COUNT && rc == 0; s++) {
        int32_t w = sizes[s].w, h = sizes[s].h;
        pair out = {0};
        vg_image expected = {0};
        rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &out);
        if (rc == 0 && vg_image_alloc(VG_FORMAT_RGBA8, w, h, &expected) != 0)
            rc = fail(r, VG_ERR_NO_MEMORY, "pattern %dx%d: out of memory",
                      (int)w, (int)h);
        for (uint32_t kind = VG_PATTERN_TESTSRC;
             kind <= VG_PATTERN_SOLID && rc == 0; kind++) {
            for (uint32_t frame = 0; frame < 2000 && rc == 0; frame += 1234) {
                vg_pattern_params p = {
                    .kind = kind, .frame_index = frame, .rgba = 0x80c040a0u};
                char what[64];
                snprintf(what, sizeof what, "pattern (%s, frame %u)",
                         kinds[kind], frame);
                vg_ref_pattern(&expected, &p, 0, h);
                rc = vg_backend_fill_pattern(r->b, out.dev, &p);
                rc = rc != 0 ? call_failed(r, rc, what, w, h)
                             : expect_equal(r, &out, &expected, what);
            }
        }
        vg_image_free(&expected);
        free_pair(r, &out);
    }
    return rc;
}

static int clamp_dim(double v)
{
    return v < 1 ? 1 : v > VG_MAX_DIMENSION ? VG_MAX_DIMENSION : (int)v;
}

/* One source size against one destination size: three maps, two edges. */
static int warp_case(run *r, int32_t w, int32_t h, int32_t sw, int32_t sh,
                     enum fill kind, uint32_t seed)
{
    static const char *const map_names[] = {"resize", "rotated zoom",
                                            "zoomed out"};
    pair src = {0}, out = {0};
    vg_image expected = {0};
    int rc = make_pair(r, VG_FORMAT_RGBA8, sw, sh, &src);
    if (rc == 0)
        rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &out);
    if (rc == 0 && vg_image_alloc(VG_FORMAT_RGBA8, w, h, &expected) != 0)
        rc = fail(r, VG_ERR_NO_MEMORY, "warp %dx%d: out of memory", (int)w,
                  (int)h);
    if (rc == 0) {
        fill(&src.host, kind, seed);
        rc = upload(r, &src);
    }
    /* a plain resize, a rotated zoom with a border, and a zoomed-out view
     * whose taps fall far outside the source */
    vg_affine maps[3] = {
        vg_affine_camera(w, h, (double)w / sw, 0, (sw - 1) / 2.0,
                         (sh - 1) / 2.0),
        vg_affine_camera(w, h, 1.7, 33.0, sw / 3.0, sh / 2.0),
        vg_affine_camera(w, h, 0.25, -12.0, 0, 0),
    };
    for (int m = 0; m < 3 && rc == 0; m++) {
        for (int edge = VG_EDGE_CLAMP; edge <= VG_EDGE_BORDER && rc == 0;
             edge++) {
            vg_warp_params p;
            if (vg_warp_params_from_affine(&maps[m], w, h, edge, 0x11223344u,
                                           &p) != 0)
                continue; /* outside 16.16: refused by design */
            char what[96];
            snprintf(what, sizeof what, "warp (%s from %dx%d, %s edge)",
                     map_names[m], (int)sw, (int)sh,
                     edge == VG_EDGE_CLAMP ? "clamp" : "border");
            vg_ref_warp(&expected, &src.host, &p, 0, h);
            rc = vg_backend_warp_affine(r->b, out.dev, src.dev, &p);
            rc = rc != 0 ? call_failed(r, rc, what, w, h)
                         : expect_equal(r, &out, &expected, what);
        }
    }
    vg_image_free(&expected);
    free_pair(r, &src);
    free_pair(r, &out);
    return rc;
}

static int check_warp(run *r)
{
    /* Source sizes relative to the destination: downscale, same, upscale. */
    static const double scales[] = {2.0, 1.0, 0.37};
    int rc = 0;
    for (size_t s = 0; s < SIZE_COUNT && rc == 0; s++)
        for (size_t k = 0; k < 3 && rc == 0; k++)
            rc = warp_case(r, sizes[s].w, sizes[s].h,
                           clamp_dim(sizes[s].w * scales[k]),
                           clamp_dim(sizes[s].h * scales[k]),
                           (enum fill)(k % FILL_COUNT), 77 + (uint32_t)s);
    return rc;
}

static int blend_size(run *r, int32_t w, int32_t h, uint32_t seed)
{
    static const char *const modes[] = {"", "crossfade", "alpha over", "wipe"};
    pair a = {0}, b = {0}, out = {0};
    vg_image expected = {0};
    int rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &a);
    if (rc == 0)
        rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &b);
    if (rc == 0)
        rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &out);
    if (rc == 0 && vg_image_alloc(VG_FORMAT_RGBA8, w, h, &expected) != 0)
        rc = fail(r, VG_ERR_NO_MEMORY, "blend %dx%d: out of memory", (int)w,
                  (int)h);
    for (int f = 0; f < FILL_COUNT && rc == 0; f++) {
        fill(&a.host, (enum fill)f, 1 + seed);
        fill(&b.host, (enum fill)((f + 1) % FILL_COUNT), 1000 + seed);
        rc = upload(r, &a);
        if (rc == 0)
            rc = upload(r, &b);
        const vg_blend_params cases[] = {
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
        for (size_t c = 0; c < sizeof cases / sizeof cases[0] && rc == 0; c++) {
            char what[96];
            snprintf(what, sizeof what, "blend (%s, weight %u, position %d)",
                     modes[cases[c].mode], cases[c].weight,
                     (int)cases[c].position);
            vg_ref_blend(&expected, &a.host, &b.host, &cases[c], 0, h);
            rc = vg_backend_blend(r->b, out.dev, a.dev, b.dev, &cases[c]);
            rc = rc != 0 ? call_failed(r, rc, what, w, h)
                         : expect_equal(r, &out, &expected, what);
        }
    }
    vg_image_free(&expected);
    free_pair(r, &a);
    free_pair(r, &b);
    free_pair(r, &out);
    return rc;
}

static int check_blend(run *r)
{
    int rc = 0;
    for (size_t s = 0; s < SIZE_COUNT && rc == 0; s++)
        rc = blend_size(r, sizes[s].w, sizes[s].h, (uint32_t)s);
    return rc;
}

static int blur_size(run *r, int32_t w, int32_t h, uint32_t seed)
{
    static const double sigmas[] = {0.5, 1.0, 3.0, VG_BLUR_MAX_SIGMA};
    pair src = {0}, out = {0};
    vg_image expected = {0};
    int rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &src);
    if (rc == 0)
        rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &out);
    if (rc == 0 && vg_image_alloc(VG_FORMAT_RGBA8, w, h, &expected) != 0)
        rc = fail(r, VG_ERR_NO_MEMORY, "blur %dx%d: out of memory", (int)w,
                  (int)h);
    for (size_t k = 0; k < sizeof sigmas / sizeof sigmas[0] && rc == 0; k++) {
        vg_blur_params p;
        rc = vg_blur_params_from_sigma(sigmas[k], &p);
        if (rc != 0) {
            rc = fail(r, rc, "blur: sigma %g refused", sigmas[k]);
            break;
        }
        fill(&src.host, (enum fill)(k % FILL_COUNT), 5 + seed);
        rc = upload(r, &src);
        void *scratch = malloc(vg_ref_blur_scratch_size(w, h, p.radius));
        if (rc == 0 && !scratch)
            rc = fail(r, VG_ERR_NO_MEMORY, "blur %dx%d: out of memory", (int)w,
                      (int)h);
        if (rc == 0) {
            char what[64];
            snprintf(what, sizeof what, "blur (sigma %g, radius %d)", sigmas[k],
                     (int)p.radius);
            vg_ref_blur(&expected, &src.host, &p, 0, h, scratch);
            rc = vg_backend_blur(r->b, out.dev, src.dev, &p);
            rc = rc != 0 ? call_failed(r, rc, what, w, h)
                         : expect_equal(r, &out, &expected, what);
        }
        free(scratch);
    }
    vg_image_free(&expected);
    free_pair(r, &src);
    free_pair(r, &out);
    return rc;
}

static int check_blur(run *r)
{
    int rc = 0;
    for (size_t s = 0; s < SIZE_COUNT && rc == 0; s++)
        rc = blur_size(r, sizes[s].w, sizes[s].h, (uint32_t)s);
    return rc;
}

static int color_size(run *r, int32_t w, int32_t h, uint32_t seed)
{
    pair rgba = {0}, yuv = {0}, back = {0};
    vg_image expected_yuv = {0}, expected_rgba = {0};
    int rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &rgba);
    if (rc == 0)
        rc = make_pair(r, VG_FORMAT_I420, w, h, &yuv);
    if (rc == 0)
        rc = make_pair(r, VG_FORMAT_RGBA8, w, h, &back);
    if (rc == 0 && (vg_image_alloc(VG_FORMAT_I420, w, h, &expected_yuv) != 0 ||
                    vg_image_alloc(VG_FORMAT_RGBA8, w, h, &expected_rgba) != 0))
        rc = fail(r, VG_ERR_NO_MEMORY, "color %dx%d: out of memory", (int)w,
                  (int)h);
    for (int m = VG_MATRIX_BT601; m <= VG_MATRIX_BT709 && rc == 0; m++) {
        for (int g = VG_RANGE_LIMITED; g <= VG_RANGE_FULL && rc == 0; g++) {
            vg_color_params cp;
            if (vg_color_params_init(m, g, &cp) != 0) {
                rc = fail(r, VG_ERR_INVALID_ARGUMENT, "color: no parameters");
                break;
            }
            char what[64];
            const char *matrix = m == VG_MATRIX_BT601 ? "BT.601" : "BT.709";
            const char *range = g == VG_RANGE_LIMITED ? "limited" : "full";
            fill(&rgba.host, (enum fill)((m + g) % FILL_COUNT), 9 + seed);
            rc = upload(r, &rgba);
            if (rc == 0) {
                snprintf(what, sizeof what, "rgba_to_i420 (%s, %s range)",
                         matrix, range);
                vg_ref_rgba_to_i420(&expected_yuv, &rgba.host, &cp, 0, h);
                rc = vg_backend_rgba_to_i420(r->b, yuv.dev, rgba.dev, &cp);
                rc = rc != 0 ? call_failed(r, rc, what, w, h)
                             : expect_equal(r, &yuv, &expected_yuv, what);
            }
            /* any Y, U, V, not only those RGB produces */
            if (rc == 0) {
                fill(&yuv.host, FILL_RANDOM, 31 + seed);
                rc = upload(r, &yuv);
            }
            if (rc == 0) {
                snprintf(what, sizeof what, "i420_to_rgba (%s, %s range)",
                         matrix, range);
                vg_ref_i420_to_rgba(&expected_rgba, &yuv.host, &cp, 0, h);
                rc = vg_backend_i420_to_rgba(r->b, back.dev, yuv.dev, &cp);
                rc = rc != 0 ? call_failed(r, rc, what, w, h)
                             : expect_equal(r, &back, &expected_rgba, what);
            }
        }
    }
    vg_image_free(&expected_yuv);
    vg_image_free(&expected_rgba);
    free_pair(r, &rgba);
    free_pair(r, &yuv);
    free_pair(r, &back);
    return rc;
}

static int check_color(run *r)
{
    int rc = 0;
    for (size_t s = 0; s < SIZE_COUNT && rc == 0; s++)
        rc = color_size(r, sizes[s].w, sizes[s].h, (uint32_t)s);
    return rc;
}

static int check_upload_download(run *r)
{
    int rc = 0;
    for (size_t s = 0; s < SIZE_COUNT && rc == 0; s++) {
        for (int f = VG_FORMAT_RGBA8; f <= VG_FORMAT_I420 && rc == 0; f++) {
            pair p = {0};
            rc = make_pair(r, (vg_pixel_format)f, sizes[s].w, sizes[s].h, &p);
            if (rc == 0) {
                fill(&p.host, FILL_RANDOM, 3 + (uint32_t)s);
                rc = upload(r, &p);
            }
            if (rc == 0)
                rc = expect_equal(r, &p, &p.host,
                                  f == VG_FORMAT_RGBA8
                                      ? "upload/download (RGBA8)"
                                      : "upload/download (I420)");
            free_pair(r, &p);
        }
    }
    return rc;
}

static const char *const check_names[] = {
#define VGC_CHECK_NAME_(id, name) name,
    VGC_CHECK_TABLE(VGC_CHECK_NAME_)
#undef VGC_CHECK_NAME_
};

const char *vgc_check_name(vgc_check check)
{
    return check < VGC_CHECK_COUNT ? check_names[check] : NULL;
}

vgc_check vgc_check_from_name(const char *name)
{
    for (int c = 0; c < VGC_CHECK_COUNT; c++)
        if (strcmp(check_names[c], name) == 0)
            return (vgc_check)c;
    return VGC_CHECK_COUNT;
}

int vgc_run(vgc_session *session, vgc_check check, char *msg, size_t msg_size)
{
    run r = {
        .b = vgc_session_backend(session), .msg = msg, .msg_size = msg_size};
    if (msg_size)
        msg[0] = '\0';
    switch (check) {
    case VGC_UPLOAD_DOWNLOAD:
        return check_upload_download(&r);
    case VGC_PATTERN:
        return check_pattern(&r);
    case VGC_WARP:
        return check_warp(&r);
    case VGC_BLEND:
        return check_blend(&r);
    case VGC_BLUR:
        return check_blur(&r);
    case VGC_COLOR:
        return check_color(&r);
    default:
        return fail(&r, VG_ERR_INVALID_ARGUMENT, "no check number %d",
                    (int)check);
    }
}

/*
 * conformance_checks.c - every kernel on a backend against the reference.
 *
 * The inputs: sizes chosen to break vector tails, tiles and chroma blocks
 * (and, for a kernel whose sources may have any size, sources twice as
 * large, as large and about a third as large); seeded random bytes and the
 * worst cases for rounding and clamping (all white, all black, alternating
 * extremes), each source in each; and every VG_CASE_CONFORMANCE case of the
 * kernel (core/reference/cases/<kernel>.c: each pattern, resize, rotate and
 * zoom-out maps with both edge modes, every blend mode at its boundary
 * weights and positions, small to largest blur radius, both matrices and
 * ranges).  The reference kernels define the expected bytes.  Nothing here
 * names a kernel: the checks are generated from vg_kernel_specs.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"
#include "vg/image.h"
#include "vg_kernel_cases.h"

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

static int clamp_dim(double v)
{
    return v < 1 ? 1 : v > VG_MAX_DIMENSION ? VG_MAX_DIMENSION : (int)v;
}

/* One destination size and one source size: every fill of the sources,
 * every conformance case. */
static int kernel_size(run *r, const vg_kernel_spec *spec, int32_t w, int32_t h,
                       int32_t sw, int32_t sh, uint32_t seed)
{
    const vg_kernel_cases *cases = spec->cases;
    pair src[2] = {0}, out = {0};
    vg_image expected = {0};
    int rc = make_pair(r, spec->dst_format, w, h, &out);
    for (int s = 0; s < spec->sources && rc == 0; s++)
        rc = make_pair(r, spec->src_format, sw, sh, &src[s]);
    if (rc == 0 && vg_image_alloc(spec->dst_format, w, h, &expected) != 0)
        rc = fail(r, VG_ERR_NO_MEMORY, "%s %dx%d: out of memory", spec->name,
                  (int)w, (int)h);
    const vg_image *hosts[2] = {&src[0].host, &src[1].host};
    vg_backend_frame *const devs[2] = {src[0].dev, src[1].dev};
    /* a kernel without sources has nothing to fill */
    int fills = spec->sources > 0 ? FILL_COUNT : 1;
    for (int f = 0; f < fills && rc == 0; f++) {
        for (int s = 0; s < spec->sources && rc == 0; s++) {
            fill(&src[s].host, (enum fill)((f + s) % FILL_COUNT),
                 seed + 1000u * (uint32_t)s);
            rc = upload(r, &src[s]);
        }
        for (size_t i = 0; i < cases->count && rc == 0; i++) {
            if (!(cases->users(i) & VG_CASE_CONFORMANCE))
                continue;
            vg_case_geometry g = {.width = w,
                                  .height = h,
                                  .src_width = sw,
                                  .src_height = sh,
                                  .seed = seed + (uint32_t)i};
            vg_kernel_case c;
            if (cases->make(i, &g, &c) != 0)
                continue; /* outside what the kernel accepts: by design */
            char what[160];
            snprintf(what, sizeof what, "%s (%s)", spec->name, c.label);
            if (vg_kernel_reference(spec, &expected, hosts, &c.params) != 0) {
                rc = fail(r, VG_ERR_NO_MEMORY, "%s %dx%d: out of memory", what,
                          (int)w, (int)h);
                break;
            }
            rc = spec->run(r->b, out.dev, devs, &c.params);
            rc = rc != 0 ? call_failed(r, rc, what, w, h)
                         : expect_equal(r, &out, &expected, what);
        }
    }
    vg_image_free(&expected);
    for (int s = 0; s < 2; s++)
        free_pair(r, &src[s]);
    free_pair(r, &out);
    return rc;
}

static int check_kernel(run *r, const vg_kernel_spec *spec)
{
    /* Source sizes relative to the destination: downscale, same, upscale. */
    static const double scales[] = {2.0, 1.0, 0.37};
    size_t scale_count = spec->any_size ? 3 : 1;
    int rc = 0;
    for (size_t s = 0; s < SIZE_COUNT && rc == 0; s++) {
        int32_t w = sizes[s].w, h = sizes[s].h;
        for (size_t k = 0; k < scale_count && rc == 0; k++) {
            double scale = spec->any_size ? scales[k] : 1.0;
            rc = kernel_size(r, spec, w, h, clamp_dim(w * scale),
                             clamp_dim(h * scale), 77 + (uint32_t)s);
        }
    }
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

#define VGC_CHECK_NAME_(x, name, ...) #name,
static const char *const check_names[VGC_CHECK_COUNT] = {
    "upload_download", VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VGC_CHECK_NAME_, )};
#undef VGC_CHECK_NAME_

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

/* The kernel checks follow VGC_UPLOAD_DOWNLOAD in table order, as
 * vg_kernel_specs does (tests/test_backend_conformance.c checks it). */
int vgc_run(vgc_session *session, vgc_check check, char *msg, size_t msg_size)
{
    run r = {
        .b = vgc_session_backend(session), .msg = msg, .msg_size = msg_size};
    if (msg_size)
        msg[0] = '\0';
    if (check == VGC_UPLOAD_DOWNLOAD)
        return check_upload_download(&r);
    if (check > VGC_UPLOAD_DOWNLOAD && check < VGC_CHECK_COUNT &&
        (size_t)check - 1 < vg_kernel_spec_count)
        return check_kernel(&r, &vg_kernel_specs[check - 1]);
    return fail(&r, VG_ERR_INVALID_ARGUMENT, "no check number %d", (int)check);
}

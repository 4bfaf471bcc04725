/*
 * selftest.c - prove a backend computes the reference bytes before it is
 * trusted with a job.
 *
 * A driver can accept a kernel and still compute garbage (a miscompiled
 * kernel, a JIT bug, a broken fast path).  Running each kernel once on a
 * small, odd-sized, non-zero input and comparing with the reference catches
 * that before the first frame, at the cost of a few milliseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/selftest.h"
#include "vg/image.h"
#include "vg/params.h"
#include "vg_reference.h"

/* Odd sizes on purpose: they exercise edge columns, the last chroma sample
 * and vector tails. */
#define ST_WIDTH 37
#define ST_HEIGHT 23
#define ST_SRC_WIDTH 29
#define ST_SRC_HEIGHT 17

typedef struct selftest {
    vg_backend *backend;
    vg_image host_a, host_b, host_small, expected, expected_i420, scratch_rgba,
        scratch_i420;
    vg_backend_frame *a, *b, *small, *out, *out_i420;
    char *reason;
    size_t reason_size;
} selftest;

static void fill_seeded(vg_image *image, uint32_t seed)
{
    uint32_t x = seed;
    for (int32_t y = 0; y < image->height; y++) {
        uint8_t *row = image->data[0] + (size_t)y * (size_t)image->stride[0];
        for (int32_t i = 0; i < 4 * image->width; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            row[i] = (uint8_t)(x >> 24);
        }
    }
}

static int kernel_failed(selftest *st)
{
    snprintf(st->reason, st->reason_size, "self-test: %s",
             vg_backend_last_error(st->backend));
    return VG_ERR_KERNEL;
}

/* Download `frame` and compare it with `expected`. */
static int compare(selftest *st, const char *kernel,
                   const vg_backend_frame *frame, const vg_image *expected,
                   vg_image *scratch)
{
    int rc = vg_backend_download(st->backend, frame, scratch);
    if (rc != 0)
        return kernel_failed(st);
    int plane = 0;
    int32_t x = 0, y = 0;
    if (vg_image_equal(scratch, expected, &plane, &x, &y))
        return 0;
    snprintf(st->reason, st->reason_size,
             "self-test: %s output differs from the reference (plane %d, row "
             "%d, byte %d: got %u, expected %u)",
             kernel, plane, y, x,
             scratch->data[plane][(size_t)y * (size_t)scratch->stride[plane] +
                                  (size_t)x],
             expected->data[plane][(size_t)y * (size_t)expected->stride[plane] +
                                   (size_t)x]);
    return VG_ERR_MISMATCH;
}

/*
 * One block per KERNEL row of VG_PLUGIN_SLOTS: a table of cases,
 * <kernel>_cases, and selftest_<kernel>(st, case), which runs the kernel
 * once for the case and compares with the reference.  run_checks calls
 * every kernel's cases in table order, and the number of kernel calls is
 * the sum of the tables' lengths: a kernel row without its block fails to
 * compile.
 */

typedef struct pattern_case {
    vg_pattern_kind kind;
    const char *label;
} pattern_case;
static const pattern_case fill_pattern_cases[] = {
    {VG_PATTERN_TESTSRC, "fill_pattern(testsrc)"},
    {VG_PATTERN_BARS, "fill_pattern(bars)"},
};
static int selftest_fill_pattern(selftest *st, const pattern_case *c)
{
    vg_pattern_params p = {
        .kind = c->kind, .frame_index = 42, .rgba = 0x3366ccffu};
    vg_ref_pattern(&st->expected, &p, 0, ST_HEIGHT);
    if (vg_backend_fill_pattern(st->backend, st->out, &p) != 0)
        return kernel_failed(st);
    return compare(st, c->label, st->out, &st->expected, &st->scratch_rgba);
}

/* Zoom and rotate a smaller source with a border: covers scaling,
 * fractional positions, negative coordinates and both edge rules. */
static const vg_edge_mode warp_affine_cases[] = {VG_EDGE_BORDER, VG_EDGE_CLAMP};
static int selftest_warp_affine(selftest *st, const vg_edge_mode *edge)
{
    vg_affine map =
        vg_affine_camera(ST_WIDTH, ST_HEIGHT, 1.37, 17.0, 13.3, 8.1);
    vg_warp_params p;
    if (vg_warp_params_from_affine(&map, ST_WIDTH, ST_HEIGHT, VG_EDGE_BORDER,
                                   0x20408060u, &p) != 0) {
        snprintf(st->reason, st->reason_size,
                 "self-test: cannot build warp parameters");
        return VG_ERR_INVALID_ARGUMENT;
    }
    p.edge = *edge;
    vg_ref_warp(&st->expected, &st->host_small, &p, 0, ST_HEIGHT);
    if (vg_backend_warp_affine(st->backend, st->out, st->small, &p) != 0)
        return kernel_failed(st);
    return compare(st, "warp_affine", st->out, &st->expected,
                   &st->scratch_rgba);
}

static const vg_blend_params blend_cases[] = {
    {.mode = VG_BLEND_CROSSFADE, .weight = 77},
    {.mode = VG_BLEND_ALPHA_OVER},
    {.mode = VG_BLEND_WIPE, .position = 11},
};
static int selftest_blend(selftest *st, const vg_blend_params *p)
{
    vg_ref_blend(&st->expected, &st->host_a, &st->host_b, p, 0, ST_HEIGHT);
    if (vg_backend_blend(st->backend, st->out, st->a, st->b, p) != 0)
        return kernel_failed(st);
    return compare(st, "blend", st->out, &st->expected, &st->scratch_rgba);
}

static const double blur_cases[] = {1.0}; /* sigma */
static int selftest_blur(selftest *st, const double *sigma)
{
    vg_blur_params p;
    vg_blur_params_from_sigma(*sigma, &p);
    size_t size = vg_ref_blur_scratch_size(ST_WIDTH, ST_HEIGHT, p.radius);
    void *scratch = aligned_alloc(16, (size + 15) / 16 * 16);
    if (!scratch) {
        snprintf(st->reason, st->reason_size, "self-test: out of memory");
        return VG_ERR_NO_MEMORY;
    }
    vg_ref_blur(&st->expected, &st->host_a, &p, 0, ST_HEIGHT, scratch);
    free(scratch);
    if (vg_backend_blur(st->backend, st->out, st->a, &p) != 0)
        return kernel_failed(st);
    return compare(st, "blur", st->out, &st->expected, &st->scratch_rgba);
}

typedef struct color_case {
    vg_color_matrix matrix;
    vg_color_range range;
} color_case;

static const color_case rgba_to_i420_cases[] = {
    {VG_MATRIX_BT709, VG_RANGE_LIMITED}};
static int selftest_rgba_to_i420(selftest *st, const color_case *c)
{
    vg_color_params p;
    vg_color_params_init(c->matrix, c->range, &p);
    vg_ref_rgba_to_i420(&st->expected_i420, &st->host_a, &p, 0, ST_HEIGHT);
    if (vg_backend_rgba_to_i420(st->backend, st->out_i420, st->a, &p) != 0)
        return kernel_failed(st);
    return compare(st, "rgba_to_i420", st->out_i420, &st->expected_i420,
                   &st->scratch_i420);
}

/* Converts back what rgba_to_i420 produced (its reference bytes, which the
 * backend's frame holds once that case passed), with other coefficients. */
static const color_case i420_to_rgba_cases[] = {
    {VG_MATRIX_BT601, VG_RANGE_FULL}};
static int selftest_i420_to_rgba(selftest *st, const color_case *c)
{
    vg_color_params p;
    vg_color_params_init(c->matrix, c->range, &p);
    vg_ref_i420_to_rgba(&st->expected, &st->expected_i420, &p, 0, ST_HEIGHT);
    if (vg_backend_i420_to_rgba(st->backend, st->out, st->out_i420, &p) != 0)
        return kernel_failed(st);
    return compare(st, "i420_to_rgba", st->out, &st->expected,
                   &st->scratch_rgba);
}

#define ST_COUNT(array) (sizeof(array) / sizeof((array)[0]))

int vg_selftest_kernel_calls(void)
{
#define ST_ADD_CALLS_(x, name, ...) +(int)ST_COUNT(name##_cases)
    return 0 VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, ST_ADD_CALLS_, );
#undef ST_ADD_CALLS_
}

static int run_checks(selftest *st)
{
    int rc = compare(st, "frame_upload/frame_download", st->a, &st->host_a,
                     &st->scratch_rgba);
#define ST_RUN_CASES_(x, name, ...)                                            \
    for (size_t i = 0; rc == 0 && i < ST_COUNT(name##_cases); i++)             \
        rc = selftest_##name(st, &name##_cases[i]);
    VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, ST_RUN_CASES_, )
#undef ST_RUN_CASES_
    return rc;
}

static int setup(selftest *st)
{
    vg_image *rgba[] = {&st->host_a, &st->host_b, &st->expected,
                        &st->scratch_rgba};
    for (size_t i = 0; i < sizeof rgba / sizeof rgba[0]; i++)
        if (vg_image_alloc(VG_FORMAT_RGBA8, ST_WIDTH, ST_HEIGHT, rgba[i]) != 0)
            return VG_ERR_NO_MEMORY;
    if (vg_image_alloc(VG_FORMAT_RGBA8, ST_SRC_WIDTH, ST_SRC_HEIGHT,
                       &st->host_small) != 0 ||
        vg_image_alloc(VG_FORMAT_I420, ST_WIDTH, ST_HEIGHT,
                       &st->expected_i420) != 0 ||
        vg_image_alloc(VG_FORMAT_I420, ST_WIDTH, ST_HEIGHT,
                       &st->scratch_i420) != 0)
        return VG_ERR_NO_MEMORY;
    fill_seeded(&st->host_a, 0x1234567u);
    fill_seeded(&st->host_b, 0x89abcdeu);
    fill_seeded(&st->host_small, 0x5eed5u);

    vg_backend *b = st->backend;
    if (vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, ST_WIDTH, ST_HEIGHT,
                               &st->a) ||
        vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, ST_WIDTH, ST_HEIGHT,
                               &st->b) ||
        vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, ST_SRC_WIDTH, ST_SRC_HEIGHT,
                               &st->small) ||
        vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, ST_WIDTH, ST_HEIGHT,
                               &st->out) ||
        vg_backend_frame_alloc(b, VG_FORMAT_I420, ST_WIDTH, ST_HEIGHT,
                               &st->out_i420) ||
        vg_backend_upload(b, st->a, &st->host_a) ||
        vg_backend_upload(b, st->b, &st->host_b) ||
        vg_backend_upload(b, st->small, &st->host_small))
        return kernel_failed(st);
    return 0;
}

static void teardown(selftest *st)
{
    vg_backend_frame **frames[] = {&st->a, &st->b, &st->small, &st->out,
                                   &st->out_i420};
    for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
        vg_backend_frame_free(st->backend, frames[i]);
    vg_image *images[] = {
        &st->host_a,        &st->host_b,       &st->host_small,  &st->expected,
        &st->expected_i420, &st->scratch_rgba, &st->scratch_i420};
    for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
        vg_image_free(images[i]);
}

int vg_selftest_run(vg_backend *backend, char *reason, size_t reason_size)
{
    selftest st = {
        .backend = backend, .reason = reason, .reason_size = reason_size};
    int rc = setup(&st);
    if (rc == VG_ERR_NO_MEMORY)
        snprintf(reason, reason_size, "self-test: out of memory");
    if (rc == 0)
        rc = run_checks(&st);
    teardown(&st);
    return rc;
}

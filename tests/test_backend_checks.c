/*
 * test_backend_checks.c - the core's checked kernel wrappers, generated from
 * the slot table, refuse every malformed call before a plugin sees it.
 *
 * The frame tests are generated from VG_PLUGIN_SLOTS too, so a kernel row
 * added to the table is tested here with no edit: its destination and each
 * of its sources must belong to the backend, have the row's format and
 * (SAME_SIZE) the destination's size, and differ from the destination,
 * and the destination may not have a download in flight.
 * The parameter tests list one invalid parameter set per kernel.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "test_support.h"
#include "vg/backend.h"
#include "vg/config.h"
#include "vg/image.h"
#include "vg/params.h"

#define W 8
#define H 6

typedef struct fixture {
    vg_config *cfg;
    vg_loaded_plugin *lp;
    vg_backend *b;     /* the backend under test */
    vg_backend *other; /* a second context, whose frames are foreign to b */
} fixture;

static void fixture_open(fixture *f)
{
    char err[1024];
    vg_job_limits limits = {.max_width = 64, .max_height = 64};
    cr_assert_eq(vg_config_create_default(&f->cfg), 0);
    cr_assert_eq(vg_plugin_load(VG_TEST_PLUGIN_DIR "/vg_cpu.so", &f->lp, err,
                                sizeof err),
                 0, "%s", err);
    cr_assert_eq(vg_loaded_plugin_configure(f->lp, f->cfg, err, sizeof err), 0,
                 "%s", err);
    cr_assert_eq(vg_backend_open(f->lp, 0, &limits, &f->b, err, sizeof err), 0,
                 "%s", err);
    cr_assert_eq(vg_backend_open(f->lp, 0, &limits, &f->other, err, sizeof err),
                 0, "%s", err);
}

static void fixture_close(fixture *f)
{
    vg_backend_close(&f->b);
    vg_backend_close(&f->other);
    vg_plugin_unload(&f->lp);
    vg_config_destroy(&f->cfg);
}

static vg_backend_frame *frame(vg_backend *b, vg_pixel_format format, int32_t w,
                               int32_t h)
{
    vg_backend_frame *f = NULL;
    cr_assert_eq(vg_backend_frame_alloc(b, format, w, h, &f), 0, "%s",
                 vg_backend_last_error(b));
    return f;
}

static vg_pixel_format other_format(vg_pixel_format format)
{
    return format == VG_FORMAT_RGBA8 ? VG_FORMAT_I420 : VG_FORMAT_RGBA8;
}

static const char *format_name(vg_pixel_format format)
{
    return format == VG_FORMAT_RGBA8 ? "RGBA8" : "I420";
}

static void expect_refused(fixture *f, int rc, int code, const char *text)
{
    const char *msg = vg_backend_last_error(f->b);
    cr_assert_eq(rc, code, "rc %d, expected %d (%s)", rc, code, msg);
    cr_assert(strstr(msg, text) != NULL, "'%s' does not contain '%s'", msg,
              text);
    cr_assert(strncmp(msg, "cpu: ", 5) == 0, "'%s' names no backend", msg);
}

/* One call of a kernel through its wrapper, whatever its shape: `sources`
 * holds as many frames as the shape takes. */
#define CALL_SRC0(name, b, dst, sources, params)                               \
    vg_backend_##name(b, dst, params)
#define CALL_SRC1(name, b, dst, sources, params)                               \
    vg_backend_##name(b, dst, sources[0], params)
#define CALL_SRC2(name, b, dst, sources, params)                               \
    vg_backend_##name(b, dst, sources[0], sources[1], params)
static const char *const source_names[] = {"a", "b"};
#define SOURCE_NAME_SRC0(i) ""
#define SOURCE_NAME_SRC1(i) "src"
#define SOURCE_NAME_SRC2(i) source_names[i]

/* Every frame rule of one kernel row, each broken alone. */
#define FRAME_TESTS_(x, name, presence, since, ptype, shape, dst_fmt, src_fmt, \
                     size_rule)                                                \
    Test(kernel_frames, name)                                                  \
    {                                                                          \
        fixture f = {0};                                                       \
        fixture_open(&f);                                                      \
        enum { N = VG_KERNEL_SOURCES_##shape };                                \
        const vg_pixel_format dfmt = VG_FORMAT_##dst_fmt;                      \
        const vg_pixel_format sfmt = VG_FORMAT_##src_fmt;                      \
        ptype params;                                                          \
        memset(&params, 0, sizeof params);                                     \
        vg_backend_frame *dst = frame(f.b, dfmt, W, H);                        \
        vg_backend_frame *src[2] = {NULL, NULL};                               \
        for (int i = 0; i < N; i++)                                            \
            src[i] = frame(f.b, sfmt, W, H);                                   \
        char want[256];                                                        \
        /* destination: wrong format, then another backend's frame */          \
        vg_backend_frame *wrong = frame(f.b, other_format(dfmt), W, H);        \
        snprintf(want, sizeof want, "%s destination must be %s, not %s",       \
                 #name, format_name(dfmt), format_name(other_format(dfmt)));   \
        expect_refused(&f, CALL_##shape(name, f.b, wrong, src, &params),       \
                       VG_ERR_INVALID_ARGUMENT, want);                         \
        vg_backend_frame_free(f.b, &wrong);                                    \
        vg_backend_frame *foreign = frame(f.other, dfmt, W, H);                \
        snprintf(want, sizeof want,                                            \
                 "%s destination is not a frame of this backend", #name);      \
        expect_refused(&f, CALL_##shape(name, f.b, foreign, src, &params),     \
                       VG_ERR_INVALID_ARGUMENT, want);                         \
        vg_backend_frame_free(f.other, &foreign);                              \
        /* destination with a download in flight (a conversion names it so) */ \
        vg_image out;                                                          \
        cr_assert_eq(vg_image_alloc(dfmt, W, H, &out), 0);                     \
        cr_assert_eq(vg_backend_download_start(f.b, dst, &out), 0, "%s",       \
                     vg_backend_last_error(f.b));                              \
        snprintf(want, sizeof want,                                            \
                 "%s: %sdestination has a download in flight: wait for it "    \
                 "before writing the frame",                                   \
                 #name, dfmt != sfmt ? "conversion " : "");                    \
        expect_refused(&f, CALL_##shape(name, f.b, dst, src, &params),         \
                       VG_ERR_INVALID_ARGUMENT, want);                         \
        cr_assert_eq(vg_backend_download_wait(f.b, dst), 0, "%s",              \
                     vg_backend_last_error(f.b));                              \
        vg_image_free(&out);                                                   \
        for (int i = 0; i < N; i++) {                                          \
            vg_backend_frame *keep = src[i];                                   \
            const char *sname = SOURCE_NAME_##shape(i);                        \
            /* source i: wrong format, foreign, other size, the dst */         \
            src[i] = frame(f.b, other_format(sfmt), W, H);                     \
            snprintf(want, sizeof want, "%s source %s must be %s, not %s",     \
                     #name, sname, format_name(sfmt),                          \
                     format_name(other_format(sfmt)));                         \
            expect_refused(&f, CALL_##shape(name, f.b, dst, src, &params),     \
                           VG_ERR_INVALID_ARGUMENT, want);                     \
            vg_backend_frame_free(f.b, &src[i]);                               \
            src[i] = frame(f.other, sfmt, W, H);                               \
            snprintf(want, sizeof want,                                        \
                     "%s source %s is not a frame of this backend", #name,     \
                     sname);                                                   \
            expect_refused(&f, CALL_##shape(name, f.b, dst, src, &params),     \
                           VG_ERR_INVALID_ARGUMENT, want);                     \
            vg_backend_frame_free(f.other, &src[i]);                           \
            if (VG_BACKEND_##size_rule##_TEST) {                               \
                src[i] = frame(f.b, sfmt, W + 1, H);                           \
                snprintf(want, sizeof want, "%s: sizes differ", #name);        \
                expect_refused(&f, CALL_##shape(name, f.b, dst, src, &params), \
                               VG_ERR_INVALID_ARGUMENT, want);                 \
                vg_backend_frame_free(f.b, &src[i]);                           \
            }                                                                  \
            if (sfmt == dfmt) {                                                \
                src[i] = dst;                                                  \
                snprintf(want, sizeof want,                                    \
                         "%s: destination and source %s are the same frame",   \
                         #name, sname);                                        \
                expect_refused(&f, CALL_##shape(name, f.b, dst, src, &params), \
                               VG_ERR_INVALID_ARGUMENT, want);                 \
            }                                                                  \
            src[i] = keep;                                                     \
        }                                                                      \
        for (int i = 0; i < N; i++)                                            \
            vg_backend_frame_free(f.b, &src[i]);                               \
        vg_backend_frame_free(f.b, &dst);                                      \
        fixture_close(&f);                                                     \
    }
#define VG_BACKEND_SAME_SIZE_TEST 1
#define VG_BACKEND_ANY_SIZE_TEST 0
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, FRAME_TESTS_, )
#undef FRAME_TESTS_

/* Parameters outside what docs/kernels.md defines never reach a plugin. */
Test(kernel_params, each_kernel_refuses_invalid_parameters)
{
    fixture f = {0};
    fixture_open(&f);
    vg_backend_frame *dst = frame(f.b, VG_FORMAT_RGBA8, W, H);
    vg_backend_frame *a = frame(f.b, VG_FORMAT_RGBA8, W, H);
    vg_backend_frame *b = frame(f.b, VG_FORMAT_RGBA8, W, H);
    vg_backend_frame *yuv = frame(f.b, VG_FORMAT_I420, W, H);

    vg_pattern_params pattern = {.kind = 99};
    expect_refused(&f, vg_backend_fill_pattern(f.b, dst, &pattern),
                   VG_ERR_INVALID_ARGUMENT,
                   "fill_pattern: unknown pattern kind 99");

    vg_warp_params warp = {.du_dx = 65536, .dv_dy = 65536, .edge = 7};
    expect_refused(&f, vg_backend_warp_affine(f.b, dst, a, &warp),
                   VG_ERR_INVALID_ARGUMENT, "warp_affine: unknown edge mode 7");
    warp = (vg_warp_params){.du_dx = INT32_MAX, .edge = VG_EDGE_CLAMP};
    expect_refused(&f, vg_backend_warp_affine(f.b, dst, a, &warp), VG_ERR_LIMIT,
                   "warp_affine: warp source coordinates exceed");

    vg_blend_params blend = {.mode = VG_BLEND_CROSSFADE, .weight = 257};
    expect_refused(&f, vg_backend_blend(f.b, dst, a, b, &blend),
                   VG_ERR_INVALID_ARGUMENT,
                   "blend: crossfade weight 257 is above 256");
    blend = (vg_blend_params){.mode = VG_BLEND_WIPE, .position = W + 1};
    expect_refused(&f, vg_backend_blend(f.b, dst, a, b, &blend),
                   VG_ERR_INVALID_ARGUMENT,
                   "blend: wipe position 9 outside 0..8");
    blend = (vg_blend_params){.mode = 42};
    expect_refused(&f, vg_backend_blend(f.b, dst, a, b, &blend),
                   VG_ERR_INVALID_ARGUMENT, "blend: unknown blend mode 42");

    vg_blur_params blur = {.radius = 0};
    expect_refused(&f, vg_backend_blur(f.b, dst, a, &blur), VG_ERR_LIMIT,
                   "blur: blur radius 0 outside 1..64");
    vg_blur_params_from_sigma(1.0, &blur);
    blur.taps[0] += 1; /* no longer symmetric nor summing to 16384 */
    expect_refused(&f, vg_backend_blur(f.b, dst, a, &blur),
                   VG_ERR_INVALID_ARGUMENT, "blur: blur taps must be");

    vg_color_params color = {0};
    expect_refused(&f, vg_backend_rgba_to_i420(f.b, yuv, a, &color),
                   VG_ERR_INVALID_ARGUMENT,
                   "rgba_to_i420: colour parameters name no known matrix");
    expect_refused(&f, vg_backend_i420_to_rgba(f.b, dst, yuv, &color),
                   VG_ERR_INVALID_ARGUMENT,
                   "i420_to_rgba: colour parameters name no known matrix");

    /* and valid parameters pass */
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &color);
    cr_assert_eq(vg_backend_rgba_to_i420(f.b, yuv, a, &color), 0, "%s",
                 vg_backend_last_error(f.b));
    blend = (vg_blend_params){.mode = VG_BLEND_WIPE, .position = W};
    cr_assert_eq(vg_backend_blend(f.b, dst, a, b, &blend), 0, "%s",
                 vg_backend_last_error(f.b));

    vg_backend_frame *frames[] = {dst, a, b, yuv};
    for (size_t i = 0; i < 4; i++)
        vg_backend_frame_free(f.b, &frames[i]);
    fixture_close(&f);
}

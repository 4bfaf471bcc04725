/*
 * test_opencl_frames.c - what is specific to the OpenCL plugin's frames
 * and launches, beyond the shared conformance suite: host strides with
 * guard bytes around every row, a chain of kernels that stays on the
 * device with one download per output, odd sizes (partial work-groups and
 * 2x2 chroma blocks), the blur scratch growing between frame sizes, a blur
 * too wide for one scratch band, and frames left allocated at close.  Every
 * output is compared byte for byte with the reference kernels.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/image.h"
#include "vg/loader.h"
#include "vg/params.h"
#include "vg_reference.h"

#define OPENCL_PLUGIN VG_TEST_PLUGIN_DIR "/vg_opencl.so"
#define GUARD 0xa5
#define GUARD_BYTES 13

/* device_types [cpu], platform "", device "" */
static const vg_option_value cpu_options[] = {
    {1 << 2, "cpu"}, {0, ""}, {0, ""}};

static vg_loaded_plugin *plugin;
static const vg_plugin *desc;
static vg_plugin_ctx *ctx;

static void setup(void)
{
    char reason[1024] = "";
    vg_job_limits limits = {VG_MAX_DIMENSION, 1024};
    cr_assert_eq(vg_plugin_load(OPENCL_PLUGIN, &plugin, reason, sizeof reason),
                 0, "%s", reason);
    desc = vg_loaded_plugin_descriptor(plugin);
    cr_assert_eq(
        desc->open(cpu_options, 0, &limits, &ctx, reason, sizeof reason), 0,
        "%s", reason);
}

static void teardown(void)
{
    if (ctx)
        desc->close(ctx);
    vg_plugin_unload(&plugin);
}

TestSuite(opencl_frames, .init = setup, .fini = teardown);

/* A host image whose rows are followed by GUARD_BYTES guard bytes (so the
 * stride is never the row size) and whose planes are separate blocks. */
static vg_image guarded_image(vg_pixel_format format, int32_t w, int32_t h)
{
    vg_image img = {.format = format, .width = w, .height = h};
    for (int p = 0; p < vg_plane_count(format); p++) {
        int32_t pw, ph;
        vg_plane_size(format, w, h, p, &pw, &ph);
        img.stride[p] = vg_plane_row_bytes(format, w, p) + GUARD_BYTES;
        size_t bytes = (size_t)img.stride[p] * (size_t)ph;
        img.data[p] = malloc(bytes);
        cr_assert_not_null(img.data[p]);
        memset(img.data[p], GUARD, bytes);
    }
    return img;
}

static void free_guarded(vg_image *img)
{
    for (int p = 0; p < vg_plane_count(img->format); p++)
        free(img->data[p]);
}

/* Every guard byte still holds GUARD: nothing was written past a row. */
static void expect_guards(const vg_image *img, const char *what)
{
    for (int p = 0; p < vg_plane_count(img->format); p++) {
        int32_t pw, ph;
        vg_plane_size(img->format, img->width, img->height, p, &pw, &ph);
        int32_t row = vg_plane_row_bytes(img->format, img->width, p);
        for (int32_t y = 0; y < ph; y++)
            for (int32_t i = row; i < img->stride[p]; i++)
                cr_assert_eq(img->data[p][(size_t)y * (size_t)img->stride[p] +
                                          (size_t)i],
                             GUARD, "%s: guard overwritten, plane %d row %d",
                             what, p, y);
    }
}

static void fill_random(const vg_image *img, uint32_t seed)
{
    for (int p = 0; p < vg_plane_count(img->format); p++) {
        int32_t pw, ph;
        vg_plane_size(img->format, img->width, img->height, p, &pw, &ph);
        for (int32_t y = 0; y < ph; y++)
            vgt_fill_random(
                img->data[p] + (size_t)y * (size_t)img->stride[p],
                (size_t)vg_plane_row_bytes(img->format, img->width, p),
                seed + (uint32_t)(p * 100003 + y));
    }
}

static void expect_equal(const vg_image *got, const vg_image *want,
                         const char *what)
{
    int plane = -1;
    int32_t x = -1, y = -1;
    cr_assert(vg_image_equal(got, want, &plane, &x, &y),
              "%s %dx%d: differs from the reference at plane %d byte %d "
              "row %d",
              what, got->width, got->height, plane, x, y);
}

static vg_plugin_frame *alloc_frame(vg_pixel_format format, int32_t w,
                                    int32_t h)
{
    vg_frame_desc d = {format, w, h};
    vg_plugin_frame *f = NULL;
    cr_assert_eq(desc->frame_alloc(ctx, &d, &f), 0, "%s",
                 desc->last_error(ctx));
    return f;
}

static void upload(vg_plugin_frame *f, const vg_image *img)
{
    cr_assert_eq(desc->frame_upload(ctx, f, img), 0, "%s",
                 desc->last_error(ctx));
}

static void download(const vg_plugin_frame *f, const vg_image *img)
{
    cr_assert_eq(desc->frame_download(ctx, f, img), 0, "%s",
                 desc->last_error(ctx));
}

static void expect_ok(int rc, const char *what)
{
    cr_assert_eq(rc, 0, "%s: %s", what, desc->last_error(ctx));
}

Test(opencl_frames, strided_round_trip_keeps_bytes_and_guards)
{
    static const int32_t sizes[][2] = {{1, 1}, {2, 3}, {17, 5}, {33, 31}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        for (int fmt = VG_FORMAT_RGBA8; fmt <= VG_FORMAT_I420; fmt++) {
            vg_image in = guarded_image((vg_pixel_format)fmt, w, h);
            vg_image out = guarded_image((vg_pixel_format)fmt, w, h);
            fill_random(&in, (uint32_t)(s * 7 + (size_t)fmt));
            vg_plugin_frame *f = alloc_frame((vg_pixel_format)fmt, w, h);
            upload(f, &in);
            download(f, &out);
            expect_equal(&out, &in, "round trip");
            expect_guards(&out, "download");
            desc->frame_free(ctx, f);
            free_guarded(&in);
            free_guarded(&out);
        }
    }
}

/* pattern -> warp -> blur -> crossfade with an uploaded frame -> I420 ->
 * RGBA, all on the device, downloaded once at the end (I420 and RGBA),
 * against the same chain through the reference kernels. */
static void chain(int32_t w, int32_t h, int32_t sw, int32_t sh, double sigma)
{
    vg_pattern_params pattern = {VG_PATTERN_TESTSRC, 42, 0};
    vg_affine map =
        vg_affine_camera(w, h, 1.3 * w / sw, 7.0, sw / 2.0, sh / 2.0);
    vg_warp_params warp;
    cr_assert_eq(vg_warp_params_from_affine(&map, w, h, VG_EDGE_BORDER,
                                            0x10203040u, &warp),
                 0);
    vg_blur_params blur;
    cr_assert_eq(vg_blur_params_from_sigma(sigma, &blur), 0);
    vg_blend_params blend = {VG_BLEND_CROSSFADE, 77, 0};
    vg_color_params color;
    cr_assert_eq(
        vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &color), 0);

    /* reference */
    vg_image src, warped, blurred, other, mixed, yuv, rgba;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, sw, sh, &src), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &warped), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &blurred), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &other), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &mixed), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_I420, w, h, &yuv), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &rgba), 0);
    fill_random(&other, 99);
    void *scratch = malloc(vg_ref_blur_scratch_size(w, h, blur.radius));
    cr_assert_not_null(scratch);
    vg_ref_pattern(&src, &pattern, 0, sh);
    vg_ref_warp(&warped, &src, &warp, 0, h);
    vg_ref_blur(&blurred, &warped, &blur, 0, h, scratch);
    vg_ref_blend(&mixed, &blurred, &other, &blend, 0, h);
    vg_ref_rgba_to_i420(&yuv, &mixed, &color, 0, h);
    vg_ref_i420_to_rgba(&rgba, &yuv, &color, 0, h);

    /* device */
    vg_plugin_frame *f_src = alloc_frame(VG_FORMAT_RGBA8, sw, sh);
    vg_plugin_frame *f_warped = alloc_frame(VG_FORMAT_RGBA8, w, h);
    vg_plugin_frame *f_blurred = alloc_frame(VG_FORMAT_RGBA8, w, h);
    vg_plugin_frame *f_other = alloc_frame(VG_FORMAT_RGBA8, w, h);
    vg_plugin_frame *f_mixed = alloc_frame(VG_FORMAT_RGBA8, w, h);
    vg_plugin_frame *f_yuv = alloc_frame(VG_FORMAT_I420, w, h);
    vg_plugin_frame *f_rgba = alloc_frame(VG_FORMAT_RGBA8, w, h);
    upload(f_other, &other);
    expect_ok(desc->fill_pattern(ctx, f_src, &pattern), "pattern");
    expect_ok(desc->warp_affine(ctx, f_warped, f_src, &warp), "warp");
    expect_ok(desc->blur(ctx, f_blurred, f_warped, &blur), "blur");
    expect_ok(desc->blend(ctx, f_mixed, f_blurred, f_other, &blend), "blend");
    expect_ok(desc->rgba_to_i420(ctx, f_yuv, f_mixed, &color), "to I420");
    expect_ok(desc->i420_to_rgba(ctx, f_rgba, f_yuv, &color), "to RGBA");

    vg_image got_yuv = guarded_image(VG_FORMAT_I420, w, h);
    vg_image got_rgba = guarded_image(VG_FORMAT_RGBA8, w, h);
    download(f_yuv, &got_yuv);
    download(f_rgba, &got_rgba);
    expect_ok(desc->sync(ctx), "sync");
    expect_equal(&got_yuv, &yuv, "chain I420");
    expect_equal(&got_rgba, &rgba, "chain RGBA");
    expect_guards(&got_yuv, "chain I420");
    expect_guards(&got_rgba, "chain RGBA");

    vg_plugin_frame *frames[] = {f_src,   f_warped, f_blurred, f_other,
                                 f_mixed, f_yuv,    f_rgba};
    for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
        desc->frame_free(ctx, frames[i]);
    vg_image *images[] = {&src, &warped, &blurred, &other, &mixed, &yuv, &rgba};
    for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
        vg_image_free(images[i]);
    free_guarded(&got_yuv);
    free_guarded(&got_rgba);
    free(scratch);
}

Test(opencl_frames, chain_on_device_matches_the_reference)
{
    chain(64, 48, 80, 60, 1.0);
}

Test(opencl_frames, chain_at_odd_sizes_matches_the_reference)
{
    /* partial work-groups on both axes, odd chroma blocks, a source
     * smaller than the destination */
    chain(37, 23, 19, 29, 2.5);
    chain(1, 1, 3, 2, 0.5);
    chain(3, 2, 1, 1, 1.0);
}

Test(opencl_frames, blur_scratch_grows_between_frame_sizes)
{
    /* small, then large (the scratch is reallocated), then small again */
    chain(16, 8, 16, 8, 1.0);
    chain(200, 150, 100, 75, 3.0);
    chain(9, 7, 9, 7, 4.0);
}

Test(opencl_frames, blur_in_bands_matches_the_reference)
{
    /* 16384 columns: 128 KiB of scratch per row, so the 64 MiB budget
     * holds 512 rows: with radius 3 the frame takes a band of 506 rows and
     * one of 14, the second starting mid-frame with clamping at the bottom.
     */
    const int32_t w = VG_MAX_DIMENSION, h = 520;
    vg_blur_params blur;
    cr_assert_eq(vg_blur_params_from_sigma(1.0, &blur), 0);
    cr_assert_eq(blur.radius, 3);
    vg_image src, want;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &src), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &want), 0);
    fill_random(&src, 5);
    void *scratch = malloc(vg_ref_blur_scratch_size(w, h, blur.radius));
    cr_assert_not_null(scratch);
    vg_ref_blur(&want, &src, &blur, 0, h, scratch);

    vg_plugin_frame *f_src = alloc_frame(VG_FORMAT_RGBA8, w, h);
    vg_plugin_frame *f_dst = alloc_frame(VG_FORMAT_RGBA8, w, h);
    upload(f_src, &src);
    expect_ok(desc->blur(ctx, f_dst, f_src, &blur), "blur");
    vg_image got;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &got), 0);
    download(f_dst, &got);
    expect_equal(&got, &want, "banded blur");

    desc->frame_free(ctx, f_src);
    desc->frame_free(ctx, f_dst);
    vg_image_free(&src);
    vg_image_free(&want);
    vg_image_free(&got);
    free(scratch);
}

/* The taps buffer is written only when the taps change: blurs with other
 * taps of the same radius, another radius, and the first taps again must
 * each use their own. */
Test(opencl_frames, blur_taps_follow_every_change)
{
    const double sigmas[] = {1.0, 0.9, 2.0, 1.0, 1.0};
    const int32_t w = 37, h = 23;
    vg_image src, want, got;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &src), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &want), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, w, h, &got), 0);
    fill_random(&src, 11);
    vg_plugin_frame *f_src = alloc_frame(VG_FORMAT_RGBA8, w, h);
    vg_plugin_frame *f_dst = alloc_frame(VG_FORMAT_RGBA8, w, h);
    upload(f_src, &src);
    for (size_t i = 0; i < sizeof sigmas / sizeof sigmas[0]; i++) {
        vg_blur_params blur;
        cr_assert_eq(vg_blur_params_from_sigma(sigmas[i], &blur), 0);
        void *scratch = malloc(vg_ref_blur_scratch_size(w, h, blur.radius));
        vg_ref_blur(&want, &src, &blur, 0, h, scratch);
        free(scratch);
        expect_ok(desc->blur(ctx, f_dst, f_src, &blur), "blur");
        download(f_dst, &got);
        expect_equal(&got, &want, "blur after a change of taps");
    }
    desc->frame_free(ctx, f_src);
    desc->frame_free(ctx, f_dst);
    vg_image_free(&src);
    vg_image_free(&want);
    vg_image_free(&got);
}

/* The asynchronous download through pinned staging memory: the bytes the
 * frame had at the start land in a strided image at the wait, though a
 * kernel writing another frame was queued in between; nothing is written
 * past a row; a frame freed with a download in flight is waited for. */
Test(opencl_frames, async_download_lands_at_the_wait)
{
    cr_assert(VG_PLUGIN_HAS_SLOT(desc, frame_download_start));
    const int32_t w = 45, h = 29;
    vg_image src = guarded_image(VG_FORMAT_I420, w, h);
    vg_image got = guarded_image(VG_FORMAT_I420, w, h);
    fill_random(&src, 3);
    vg_plugin_frame *f_yuv = alloc_frame(VG_FORMAT_I420, w, h);
    vg_plugin_frame *f_rgba = alloc_frame(VG_FORMAT_RGBA8, w, h);
    upload(f_yuv, &src);
    for (int round = 0; round < 2; round++) {
        expect_ok(desc->frame_download_start(ctx, f_yuv, &got),
                  "download start");
        vg_pattern_params pp = {.kind = VG_PATTERN_TESTSRC,
                                .frame_index = (uint32_t)round};
        expect_ok(desc->fill_pattern(ctx, f_rgba, &pp), "pattern");
        expect_ok(desc->frame_download_wait(ctx, f_yuv), "download wait");
        expect_equal(&got, &src, "async download");
        expect_guards(&got, "async download");
    }
    expect_ok(desc->frame_download_start(ctx, f_yuv, &got), "download start");
    desc->frame_free(ctx, f_yuv);
    desc->frame_free(ctx, f_rgba);
    free_guarded(&src);
    free_guarded(&got);
}

Test(opencl_frames, close_releases_frames_left_allocated)
{
    for (int i = 0; i < 4; i++)
        alloc_frame(i & 1 ? VG_FORMAT_I420 : VG_FORMAT_RGBA8, 32 + i, 16);
    vg_blur_params blur;
    cr_assert_eq(vg_blur_params_from_sigma(1.0, &blur), 0);
    vg_plugin_frame *a = alloc_frame(VG_FORMAT_RGBA8, 32, 16);
    vg_plugin_frame *b = alloc_frame(VG_FORMAT_RGBA8, 32, 16);
    /* queued work still running at close must not trip the release */
    expect_ok(desc->blur(ctx, b, a, &blur), "blur");
    desc->close(ctx);
    ctx = NULL;
}

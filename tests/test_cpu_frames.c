/*
 * test_cpu_frames.c - the cpu backend's frames in flight
 * (plugins/cpu/cpu_frames.c), through the plugin's own slots: with two
 * threads a frame's kernels are recorded and run whole on a frame thread
 * when its download starts.  Whatever the order of calls, every byte must
 * be what running each kernel at once gives: a frame reused by the next
 * frame waits for the one in flight, blocking calls see what was recorded,
 * and frames freed or a context closed with work in flight finish cleanly.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/image.h"
#include "vg/loader.h"
#include "vg/params.h"
#include "vg_reference.h"

#define CPU_PLUGIN VG_TEST_PLUGIN_DIR "/vg_cpu.so"
#define W 320
#define H 180

static vg_loaded_plugin *plugin;
static const vg_plugin *desc;
static vg_option_value *options;
static vg_plugin_ctx *ctx;
static vg_color_params color;
/* Every frame a test allocates, freed by teardown (the plugin's close
 * expects its frames freed first, as the core does). */
static vg_plugin_frame *frames[16];
static int frame_count;

static void setup(void)
{
    char reason[1024] = "";
    cr_assert_eq(vg_plugin_load(CPU_PLUGIN, &plugin, reason, sizeof reason), 0,
                 "%s", reason);
    desc = vg_loaded_plugin_descriptor(plugin);
    options = vgt_plugin_options(desc, "    threads: 2\n");
    vg_job_limits limits = {W, H};
    cr_assert_eq(desc->open(options, 0, &limits, &ctx, reason, sizeof reason),
                 0, "%s", reason);
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &color);
}

static void teardown(void)
{
    for (int i = 0; i < frame_count; i++)
        desc->frame_free(ctx, frames[i]);
    if (ctx)
        desc->close(ctx);
    vg_option_values_destroy(&options, desc->option_count);
    vg_plugin_unload(&plugin);
}

TestSuite(cpu_frames, .init = setup, .fini = teardown);

static vg_plugin_frame *alloc_frame(vg_pixel_format format)
{
    vg_frame_desc d = {format, W, H};
    vg_plugin_frame *f = NULL;
    cr_assert_eq(desc->frame_alloc(ctx, &d, &f), 0, "%s",
                 desc->last_error(ctx));
    cr_assert_lt(frame_count, 16);
    frames[frame_count++] = f;
    return f;
}

static vg_image host(vg_pixel_format format)
{
    vg_image img;
    cr_assert_eq(vg_image_alloc(format, W, H, &img), 0);
    return img;
}

/* testsrc at `index` converted to I420, on the reference path. */
static void expect_testsrc(const vg_image *got, uint32_t index)
{
    vg_image rgba = host(VG_FORMAT_RGBA8), want = host(VG_FORMAT_I420);
    vg_pattern_params pp = {.kind = VG_PATTERN_TESTSRC, .frame_index = index};
    vg_ref_pattern(&rgba, &pp, 0, H);
    vg_ref_rgba_to_i420(&want, &rgba, &color, 0, H);
    int plane = -1;
    int32_t x = -1, y = -1;
    cr_assert(vg_image_equal(got, &want, &plane, &x, &y),
              "frame %u differs at plane %d (%d, %d)", index, plane, x, y);
    vg_image_free(&rgba);
    vg_image_free(&want);
}

static void testsrc_to_i420(vg_plugin_frame *rgba, vg_plugin_frame *yuv,
                            uint32_t index)
{
    vg_pattern_params pp = {.kind = VG_PATTERN_TESTSRC, .frame_index = index};
    cr_assert_eq(desc->fill_pattern(ctx, rgba, &pp), 0);
    cr_assert_eq(desc->rgba_to_i420(ctx, yuv, rgba, &color), 0);
}

Test(cpu_frames, two_threads_put_frames_in_flight)
{
    cr_assert(VG_PLUGIN_HAS_SLOT(desc, frame_download_start));
    vg_plugin_frame *rgba[2] = {alloc_frame(VG_FORMAT_RGBA8),
                                alloc_frame(VG_FORMAT_RGBA8)};
    vg_plugin_frame *yuv[2] = {alloc_frame(VG_FORMAT_I420),
                               alloc_frame(VG_FORMAT_I420)};
    vg_image out[2] = {host(VG_FORMAT_I420), host(VG_FORMAT_I420)};
    /* As the core does: frame i uses set i % 2, frame i + 1 is submitted
     * before frame i is collected. */
    for (uint32_t i = 0; i < 8; i++) {
        testsrc_to_i420(rgba[i % 2], yuv[i % 2], i);
        cr_assert_eq(desc->frame_download_start(ctx, yuv[i % 2], &out[i % 2]),
                     0);
        if (i > 0) {
            cr_assert_eq(desc->frame_download_wait(ctx, yuv[(i - 1) % 2]), 0);
            expect_testsrc(&out[(i - 1) % 2], i - 1);
        }
    }
    cr_assert_eq(desc->frame_download_wait(ctx, yuv[1]), 0);
    expect_testsrc(&out[1], 7);
    vg_image_free(&out[0]);
    vg_image_free(&out[1]);
}

/* Both frames in flight go through the same RGBA frame: the second must
 * not overwrite it while the first still converts it. */
Test(cpu_frames, a_frame_reused_by_the_next_frame_waits_for_it)
{
    vg_plugin_frame *rgba = alloc_frame(VG_FORMAT_RGBA8);
    vg_plugin_frame *yuv[2] = {alloc_frame(VG_FORMAT_I420),
                               alloc_frame(VG_FORMAT_I420)};
    vg_image out[2] = {host(VG_FORMAT_I420), host(VG_FORMAT_I420)};
    for (uint32_t round = 0; round < 10; round++) {
        for (int k = 0; k < 2; k++) {
            testsrc_to_i420(rgba, yuv[k], 2 * round + (uint32_t)k);
            cr_assert_eq(desc->frame_download_start(ctx, yuv[k], &out[k]), 0);
        }
        for (int k = 0; k < 2; k++) {
            cr_assert_eq(desc->frame_download_wait(ctx, yuv[k]), 0);
            expect_testsrc(&out[k], 2 * round + (uint32_t)k);
        }
    }
    vg_image_free(&out[0]);
    vg_image_free(&out[1]);
}

/* A blocking download and sync run what was recorded; an upload into a
 * frame a frame in flight reads waits for it; more downloads started than
 * there are task slots are copied at once. */
Test(cpu_frames, blocking_calls_see_recorded_and_in_flight_work)
{
    vg_plugin_frame *rgba = alloc_frame(VG_FORMAT_RGBA8);
    vg_plugin_frame *yuv[6];
    vg_image out[6];
    for (int k = 0; k < 6; k++) {
        yuv[k] = alloc_frame(VG_FORMAT_I420);
        out[k] = host(VG_FORMAT_I420);
    }
    testsrc_to_i420(rgba, yuv[0], 3);
    cr_assert_eq(desc->frame_download(ctx, yuv[0], &out[0]), 0);
    expect_testsrc(&out[0], 3);

    testsrc_to_i420(rgba, yuv[0], 4);
    cr_assert_eq(desc->frame_download_start(ctx, yuv[0], &out[0]), 0);
    vg_image blank = host(VG_FORMAT_RGBA8);
    cr_assert_eq(desc->frame_upload(ctx, rgba, &blank), 0);
    cr_assert_eq(desc->frame_download_wait(ctx, yuv[0]), 0);
    expect_testsrc(&out[0], 4);

    for (int k = 0; k < 6; k++) {
        testsrc_to_i420(rgba, yuv[k], 10 + (uint32_t)k);
        cr_assert_eq(desc->frame_download_start(ctx, yuv[k], &out[k]), 0);
    }
    cr_assert_eq(desc->sync(ctx), 0);
    for (int k = 0; k < 6; k++) {
        cr_assert_eq(desc->frame_download_wait(ctx, yuv[k]), 0);
        expect_testsrc(&out[k], 10 + (uint32_t)k);
        vg_image_free(&out[k]);
    }
    vg_image_free(&blank);
}

/* Work in flight or recorded when a frame it uses is freed finishes
 * first: nothing is read after it is freed (the sanitizer build checks).
 * Teardown frees the last frames with work still recorded on them. */
Test(cpu_frames, freeing_with_work_in_flight_is_safe)
{
    vg_plugin_frame *rgba = alloc_frame(VG_FORMAT_RGBA8);
    vg_frame_desc d = {VG_FORMAT_I420, W, H};
    vg_plugin_frame *yuv = NULL, *rgba2 = NULL;
    cr_assert_eq(desc->frame_alloc(ctx, &d, &yuv), 0);
    d.format = VG_FORMAT_RGBA8;
    cr_assert_eq(desc->frame_alloc(ctx, &d, &rgba2), 0);
    vg_plugin_frame *yuv2 = alloc_frame(VG_FORMAT_I420);
    vg_image out = host(VG_FORMAT_I420);
    testsrc_to_i420(rgba, yuv, 1);
    cr_assert_eq(desc->frame_download_start(ctx, yuv, &out), 0);
    desc->frame_free(ctx, yuv);
    expect_testsrc(&out, 1);
    testsrc_to_i420(rgba2, yuv2, 2);
    desc->frame_free(ctx, rgba2);
    cr_assert_eq(desc->frame_download(ctx, yuv2, &out), 0);
    expect_testsrc(&out, 2);
    testsrc_to_i420(alloc_frame(VG_FORMAT_RGBA8), yuv2, 5);
    vg_image_free(&out);
}

/*
 * test_frames_in_flight.c - the asynchronous download and the frames in
 * flight built on it, without a GPU.
 *
 * The faulty plugin's async_download mode (tests/plugins/faulty/
 * faulty_async.c) copies a frame only when the download is waited for, as
 * late as a real GPU may, and fails any write to a frame whose copy is
 * still pending.  Against it, and against the CPU backend (which copies at
 * start, with no download slots of ABI v3), the core must: refuse to write
 * a frame whose download is in flight, pair every start with one wait,
 * collect frames in the order submitted, and bound the frames in flight.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/image.h"
#include "vg/job.h"
#include "vg/params.h"
#include "vg/select.h"
#include "vg_reference.h"

#define W 48
#define H 32

typedef struct harness {
    vg_config *cfg;
    vg_selector *sel;
    vg_backend *b;
} harness;

/* Open backend `name` through selection, with VG_FAULTY = `faults` and the
 * cpu backend's `threads`. */
static void harness_open_threads(harness *h, const char *name,
                                 const char *faults, int threads)
{
    char yaml[512], err[2048];
    setenv("VG_FAULTY", faults, 1);
    /* This build's plugins, not an installed vg's (searched before the
     * build tree). */
    setenv("VG_PLUGIN_PATH", VG_TEST_PLUGIN_DIR, 1);
    unsetenv("VG_CONFIG");
    unsetenv("VG_BACKENDS");
    snprintf(yaml, sizeof yaml,
             "backends: [%s]\n"
             "backend_options:\n"
             "  opencl: {device_types: [all]}\n"
             "  cpu: {threads: %d}\n",
             name, threads);
    cr_assert_eq(
        vg_config_load_string(yaml, "flight.yaml", &h->cfg, err, sizeof err), 0,
        "%s", err);
    vg_job_limits limits = {.max_width = W, .max_height = H};
    cr_assert_eq(vg_selector_create(h->cfg, &limits, &h->sel), 0);
    cr_assert_eq(vg_selector_next(h->sel, &h->b, err, sizeof err), 0, "%s",
                 err);
}

static void harness_open(harness *h, const char *name, const char *faults)
{
    harness_open_threads(h, name, faults, 2);
}

static void harness_close(harness *h)
{
    vg_backend_close(&h->b);
    vg_selector_destroy(&h->sel);
    vg_config_destroy(&h->cfg);
}

/* A testsrc frame converted to I420 on the backend, and the same on the
 * reference path. */
static void convert_pattern(harness *h, vg_backend_frame *rgba,
                            vg_backend_frame *yuv, uint32_t index,
                            vg_image *expected)
{
    vg_pattern_params pp = {.kind = VG_PATTERN_TESTSRC, .frame_index = index};
    vg_color_params cp;
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &cp);
    cr_assert_eq(vg_backend_fill_pattern(h->b, rgba, &pp), 0, "%s",
                 vg_backend_last_error(h->b));
    cr_assert_eq(vg_backend_rgba_to_i420(h->b, yuv, rgba, &cp), 0, "%s",
                 vg_backend_last_error(h->b));
    vg_image host;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, W, H, &host), 0);
    vg_ref_pattern(&host, &pp, 0, H);
    vg_ref_rgba_to_i420(expected, &host, &cp, 0, H);
    vg_image_free(&host);
}

static bool same_i420(const vg_image *a, const vg_image *b)
{
    for (int p = 0; p < 3; p++) {
        int32_t pw, ph;
        vg_plane_size(VG_FORMAT_I420, W, H, p, &pw, &ph);
        for (int32_t y = 0; y < ph; y++)
            if (memcmp(a->data[p] + (size_t)y * a->stride[p],
                       b->data[p] + (size_t)y * b->stride[p], (size_t)pw))
                return false;
    }
    return true;
}

static void expect_error(harness *h, int rc, const char *text)
{
    cr_assert_eq(rc, VG_ERR_INVALID_ARGUMENT, "rc %d: %s", rc,
                 vg_backend_last_error(h->b));
    cr_assert(strstr(vg_backend_last_error(h->b), text), "expected '%s' in %s",
              text, vg_backend_last_error(h->b));
}

/* The core's guard, for a backend with and one without the async slots. */
static void guard_writes(const char *name, const char *faults, bool async)
{
    harness h = {0};
    harness_open(&h, name, faults);
    cr_assert_eq(vg_backend_has_async_download(h.b), async);
    vg_backend_frame *rgba = NULL, *yuv = NULL;
    cr_assert_eq(vg_backend_frame_alloc(h.b, VG_FORMAT_RGBA8, W, H, &rgba), 0);
    cr_assert_eq(vg_backend_frame_alloc(h.b, VG_FORMAT_I420, W, H, &yuv), 0);
    vg_image expected, out, other;
    vg_image_alloc(VG_FORMAT_I420, W, H, &expected);
    vg_image_alloc(VG_FORMAT_I420, W, H, &out);
    vg_image_alloc(VG_FORMAT_I420, W, H, &other);
    convert_pattern(&h, rgba, yuv, 7, &expected);

    cr_assert_eq(vg_backend_download_start(h.b, yuv, &out), 0, "%s",
                 vg_backend_last_error(h.b));
    vg_color_params cp;
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &cp);
    expect_error(&h, vg_backend_rgba_to_i420(h.b, yuv, rgba, &cp),
                 ": conversion destination has a download in flight: wait "
                 "for it before writing the frame");
    expect_error(&h, vg_backend_upload(h.b, yuv, &other),
                 "upload destination has a download in flight");
    expect_error(&h, vg_backend_download_start(h.b, yuv, &other),
                 "download source already has a download in flight");
    /* Reading the frame, and writing others, stays allowed meanwhile. */
    vg_pattern_params pp = {.kind = VG_PATTERN_BARS, .frame_index = 1};
    cr_assert_eq(vg_backend_fill_pattern(h.b, rgba, &pp), 0, "%s",
                 vg_backend_last_error(h.b));

    cr_assert_eq(vg_backend_download_wait(h.b, yuv), 0, "%s",
                 vg_backend_last_error(h.b));
    cr_assert(same_i420(&out, &expected),
              "the download delivered other bytes than the frame had at "
              "its start");
    expect_error(&h, vg_backend_download_wait(h.b, yuv),
                 "no download of this frame is in flight");
    cr_assert_eq(vg_backend_rgba_to_i420(h.b, yuv, rgba, &cp), 0,
                 "writable again after the wait: %s",
                 vg_backend_last_error(h.b));

    vg_image_free(&expected);
    vg_image_free(&out);
    vg_image_free(&other);
    harness_close(&h);
}

/* faulty without async_download has no ABI v3 download slots. */
Test(frames_in_flight, no_write_to_a_frame_whose_download_is_in_flight_sync)
{
    guard_writes("faulty", "", false);
}

/* The cpu backend with two threads renders frames in flight on its frame
 * threads (plugins/cpu/cpu_frames.c). */
Test(frames_in_flight, no_write_to_a_frame_whose_download_is_in_flight_cpu)
{
    guard_writes("cpu", "", true);
}

Test(frames_in_flight, no_write_to_a_frame_whose_download_is_in_flight_async)
{
    guard_writes("faulty", "async_download", true);
}

/* OpenCL's own asynchronous download (PoCL here), through the core. */
Test(frames_in_flight, no_write_to_a_frame_whose_download_is_in_flight_opencl)
{
#ifndef VG_TEST_REQUIRE_OPENCL
    cr_skip_test("the opencl plugin is not built");
#endif
    guard_writes("opencl", "", true);
}

/* A version 1 descriptor ends before the download slots: the core must not
 * read past its struct_size, even where the memory beyond holds slots. */
Test(frames_in_flight, version_1_plugin_downloads_synchronously)
{
    guard_writes("faulty", "async_download,v1_descriptor", false);
}

/* The simulator really defers the copy: until the wait, the host image
 * holds what it held before; a frame freed (or a backend closed) with its
 * download in flight is waited for, not leaked or crashed on. */
Test(frames_in_flight, simulated_download_completes_only_at_wait)
{
    harness h = {0};
    harness_open(&h, "faulty", "async_download");
    vg_backend_frame *rgba = NULL, *yuv = NULL, *yuv2 = NULL;
    vg_backend_frame_alloc(h.b, VG_FORMAT_RGBA8, W, H, &rgba);
    vg_backend_frame_alloc(h.b, VG_FORMAT_I420, W, H, &yuv);
    vg_backend_frame_alloc(h.b, VG_FORMAT_I420, W, H, &yuv2);
    vg_image expected, out, zero;
    vg_image_alloc(VG_FORMAT_I420, W, H, &expected);
    vg_image_alloc(VG_FORMAT_I420, W, H, &out);
    vg_image_alloc(VG_FORMAT_I420, W, H, &zero);
    convert_pattern(&h, rgba, yuv, 3, &expected);
    cr_assert_eq(vg_backend_download_start(h.b, yuv, &out), 0);
    cr_assert(same_i420(&out, &zero), "copied before the wait");
    cr_assert_eq(vg_backend_download_wait(h.b, yuv), 0);
    cr_assert(same_i420(&out, &expected));

    cr_assert_eq(vg_backend_download_start(h.b, yuv, &out), 0);
    vg_backend_frame_free(h.b, &yuv);
    cr_assert_null(yuv);
    cr_assert_eq(vg_backend_download_start(h.b, yuv2, &out), 0);
    /* Closing waits for yuv2's copy, which still writes `out`: the host
     * image outlives the close. */
    harness_close(&h);
    vg_image_free(&expected);
    vg_image_free(&out);
    vg_image_free(&zero);
}

static const char tiny_job[] = "width: 48\n"
                               "height: 32\n"
                               "fps: 10\n"
                               "clips:\n"
                               "  - pattern: testsrc\n"
                               "    frames: 6\n"
                               "    blur: 1\n";

/* vg_render_submit/collect: in order, at most VG_RENDER_DEPTH in flight,
 * each frame's bytes those of vg_render_frame alone. */
Test(frames_in_flight, render_collects_in_submission_order)
{
    harness h = {0};
    harness_open(&h, "faulty", "async_download");
    vg_job *job = NULL;
    char err[1024];
    cr_assert_eq(
        vg_job_load_string(tiny_job, "tiny.yaml", NULL, &job, err, sizeof err),
        0, "%s", err);
    vg_render *r = NULL;
    cr_assert_eq(vg_render_create(job, h.b, &r, err, sizeof err), 0, "%s", err);
    vg_image out[VG_RENDER_DEPTH + 1], alone;
    for (int i = 0; i <= VG_RENDER_DEPTH; i++)
        vg_image_alloc(VG_FORMAT_I420, W, H, &out[i]);
    vg_image_alloc(VG_FORMAT_I420, W, H, &alone);

    uint32_t index = 99;
    cr_assert_eq(vg_render_collect(r, &index), VG_ERR_INVALID_ARGUMENT);
    cr_assert_str_eq(vg_render_last_error(r), "no frame is in flight");
    for (uint32_t i = 0; i < VG_RENDER_DEPTH; i++)
        cr_assert_eq(vg_render_submit(r, 1 + i, &out[i]), 0, "%s",
                     vg_render_last_error(r));
    cr_assert_eq(vg_render_in_flight(r), VG_RENDER_DEPTH);
    cr_assert_eq(vg_render_submit(r, 5, &out[VG_RENDER_DEPTH]),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(vg_render_last_error(r), "already in flight"), "%s",
              vg_render_last_error(r));
    cr_assert_eq(vg_render_frame(r, 5, &alone), VG_ERR_INVALID_ARGUMENT);
    for (uint32_t i = 0; i < VG_RENDER_DEPTH; i++) {
        cr_assert_eq(vg_render_collect(r, &index), 0, "%s",
                     vg_render_last_error(r));
        cr_assert_eq(index, 1 + i, "collected out of order");
    }
    cr_assert_eq(vg_render_in_flight(r), 0);
    for (uint32_t i = 0; i < VG_RENDER_DEPTH; i++) {
        cr_assert_eq(vg_render_frame(r, 1 + i, &alone), 0, "%s",
                     vg_render_last_error(r));
        cr_assert(same_i420(&alone, &out[i]), "frame %u differs", 1 + i);
    }
    /* Destroyed with a frame in flight: waited for, nothing leaks. */
    cr_assert_eq(vg_render_submit(r, 0, &out[0]), 0);
    vg_render_destroy(&r);
    for (int i = 0; i <= VG_RENDER_DEPTH; i++)
        vg_image_free(&out[i]);
    vg_image_free(&alone);
    vg_job_destroy(&job);
    harness_close(&h);
}

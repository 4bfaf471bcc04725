/*
 * test_job_render.c - YAML jobs rendered by vgrun, end to end: every frame
 * of a small job (a picture with a Ken Burns move, a crossfade, a pattern, a
 * wipe, a blur) against an independent computation with the reference
 * kernels; a Y4M video as input; failover at several points equal to a
 * CPU-only run; frame ranges joined into the whole; --json-report and
 * --snapshot; no file left behind by an interrupted or refused run.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/selftest.h"
#include "test_support.h"
#include "vg/image.h"
#include "vg/image_io.h"
#include "vg/params.h"
#include "vg_reference.h"

#define W 64
#define H 48
#define FRAMES 12
#define FRAME_BYTES ((size_t)W * H * 3 / 2)
#define HEADER                                                                 \
    "YUV4MPEG2 W64 H48 F12:1 Ip A1:1 C420jpeg XYSCSS=420JPEG "                 \
    "XCOLORRANGE=LIMITED\n"

/* Timeline: picture 0..4, crossfade into testsrc at 3..4, testsrc 3..7,
 * wipe into the checker at 6..7, checker 6..11. */
static const char job_yaml[] =
    "width: 64\n"
    "height: 48\n"
    "fps: 12\n"
    "clips:\n"
    "  - image: pic.png\n"
    "    frames: 5\n"
    "    camera: {from: {zoom: 1.0}, to: {zoom: 1.5, x: 0.6, y: 0.4, "
    "rotate: 10}, easing: in_out}\n"
    "  - pattern: testsrc\n"
    "    frames: 5\n"
    "    transition: {type: crossfade, frames: 2}\n"
    "  - pattern: checker\n"
    "    color: \"#ff8000\"\n"
    "    frames: 6\n"
    "    blur: 1.5\n"
    "    transition: {type: wipe, frames: 2}\n";

/* The 40x30 picture of the first clip: smooth ramps plus noise. */
static vg_image make_picture(void)
{
    vg_image pic;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, 40, 30, &pic), 0);
    for (int32_t y = 0; y < 30; y++) {
        uint8_t *row = pic.data[0] + y * pic.stride[0];
        vgt_fill_random(row, 160, 100 + (uint32_t)y);
        for (int32_t x = 0; x < 40; x++) {
            row[4 * x] = (uint8_t)(x * 6);
            row[4 * x + 3] = 255;
        }
    }
    return pic;
}

/* A directory holding job.yaml and pic.png. */
static char *make_job_dir(const char *tag)
{
    char *dir = vgt_make_temp_dir(tag);
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/job.yaml", dir);
    vgt_write_file(path, job_yaml, strlen(job_yaml));
    snprintf(path, sizeof path, "%s/pic.png", dir);
    vg_image pic = make_picture();
    cr_assert_eq(vg_image_write_png(path, &pic, err, sizeof err), 0, "%s", err);
    vg_image_free(&pic);
    return dir;
}

static vg_image rgba_frame(void)
{
    vg_image img;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, W, H, &img), 0);
    return img;
}

/* The picture clip at its frame `local`, computed from the documented
 * camera: "cover" scale max(64/40, 48/30) = 1.6, (x, y) shares of the
 * picture's extent, in-out easing over frames 0..4. */
static void picture_clip(const vg_image *pic, uint32_t local, vg_image *out)
{
    double t = local / 4.0;
    double e = t * t * (3 - 2 * t);
    double zoom = 1.0 + 0.5 * e, x = 0.5 + 0.1 * e, y = 0.5 - 0.1 * e;
    vg_affine map = vg_affine_camera(W, H, zoom * 1.6, 10.0 * e, x * 40 - 0.5,
                                     y * 30 - 0.5);
    vg_warp_params wp;
    cr_assert_eq(vg_warp_params_from_affine(&map, W, H, VG_EDGE_CLAMP, 0, &wp),
                 0);
    vg_ref_warp(out, pic, &wp, 0, H);
}

static void pattern_clip(uint32_t kind, uint32_t rgba, uint32_t local,
                         vg_image *out)
{
    vg_pattern_params p = {.kind = kind, .frame_index = local, .rgba = rgba};
    vg_ref_pattern(out, &p, 0, H);
}

static void checker_clip(uint32_t local, vg_image *out)
{
    vg_image raw = rgba_frame();
    pattern_clip(VG_PATTERN_CHECKER, 0xff8000ffu, local, &raw);
    vg_blur_params bp;
    cr_assert_eq(vg_blur_params_from_sigma(1.5, &bp), 0);
    void *scratch = malloc(vg_ref_blur_scratch_size(W, H, bp.radius));
    vg_ref_blur(out, &raw, &bp, 0, H, scratch);
    free(scratch);
    vg_image_free(&raw);
}

/* Frame n of the job, packed I420, computed without vg's renderer. */
static void reference_frame(const vg_image *pic, uint32_t n, uint8_t *packed)
{
    vg_image a = rgba_frame(), b = rgba_frame(), mixed = rgba_frame(), yuv;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_I420, W, H, &yuv), 0);
    const vg_image *shown = &a;
    if (n <= 4)
        picture_clip(pic, n, &a);
    else if (n <= 7)
        pattern_clip(VG_PATTERN_TESTSRC, 0, n - 3, &a);
    else
        checker_clip(n - 6, &a);
    if (n == 3 || n == 4) { /* crossfade, progress (n - 3 + 1) / 2 */
        pattern_clip(VG_PATTERN_TESTSRC, 0, n - 3, &b);
        vg_blend_params p = {.mode = VG_BLEND_CROSSFADE,
                             .weight = vg_crossfade_weight((n - 2) / 2.0)};
        vg_ref_blend(&mixed, &a, &b, &p, 0, H);
        shown = &mixed;
    }
    if (n == 6 || n == 7) { /* wipe from the left */
        checker_clip(n - 6, &b);
        vg_blend_params p = {.mode = VG_BLEND_WIPE,
                             .position = (int32_t)lround((n - 5) / 2.0 * W)};
        vg_ref_blend(&mixed, &a, &b, &p, 0, H);
        shown = &mixed;
    }
    vg_color_params cp;
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &cp);
    vg_ref_rgba_to_i420(&yuv, shown, &cp, 0, H);
    for (int p = 0; p < 3; p++) {
        int32_t pw, ph;
        vg_plane_size(VG_FORMAT_I420, W, H, p, &pw, &ph);
        for (int32_t y = 0; y < ph; y++, packed += pw)
            memcpy(packed, yuv.data[p] + (size_t)y * yuv.stride[p], (size_t)pw);
    }
    vg_image *all[] = {&a, &b, &mixed, &yuv};
    for (size_t i = 0; i < 4; i++)
        vg_image_free(all[i]);
}

static void expect_job_frames(const char *data, size_t size, uint32_t first,
                              uint32_t count)
{
    size_t header = strlen(HEADER);
    cr_assert_eq(size, header + count * (6 + FRAME_BYTES), "size %zu", size);
    cr_assert_eq(memcmp(data, HEADER, header), 0, "header: %.80s", data);
    vg_image pic = make_picture();
    uint8_t *expected = malloc(FRAME_BYTES);
    for (uint32_t i = 0; i < count; i++) {
        const char *frame = data + header + i * (6 + FRAME_BYTES);
        cr_assert_eq(memcmp(frame, "FRAME\n", 6), 0);
        reference_frame(&pic, first + i, expected);
        cr_assert_eq(memcmp(frame + 6, expected, FRAME_BYTES), 0,
                     "frame %u differs from the reference", first + i);
    }
    free(expected);
    vg_image_free(&pic);
}

static const char *const cpu_env[] = {"VG_CONFIG", "VG_BACKENDS", "VG_FAULTY",
                                      NULL};

static vgt_run_result vgrun(const char *const *args, const char *const *env)
{
    const char *argv[32] = {VG_TEST_VGRUN};
    size_t n = 1;
    for (size_t i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return vgt_run(argv, env);
}

static char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert_geq(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

Test(job_render, every_frame_equals_the_reference)
{
    char *dir = make_job_dir("render");
    char *job = path_in(dir, "job.yaml");
    const char *args[] = {job, "--backend", "cpu", "-o", "-", NULL};
    vgt_run_result r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert_str_eq(r.err, "", "nothing but errors off a terminal");
    expect_job_frames(r.out, r.out_size, 0, FRAMES);
    vgt_run_result_free(&r);
    free(job);
    free(dir);
}

/* Kernel call N fails, for N landing in different frames and steps (warp of
 * the picture, the crossfade, the pattern, the blur, the wipe): the output
 * is the CPU's, frame for frame. */
Test(job_render, failover_at_several_points_changes_no_byte)
{
    char *dir = make_job_dir("failover");
    char *job = path_in(dir, "job.yaml");
    char *report = path_in(dir, "report.json");
    static const int calls[] = {1, 4, 9, 15, 22};
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        char fault[64];
        snprintf(fault, sizeof fault, "VG_FAULTY=kernel_fail_at=%d",
                 VG_SELFTEST_KERNEL_CALLS + calls[i]);
        const char *env[] = {"VG_CONFIG", "VG_BACKENDS", fault, NULL};
        const char *args[] = {job,    "--backend", "faulty,cpu",
                              "-o",   "-",         "--json-report",
                              report, "-y",        NULL};
        vgt_run_result r = vgrun(args, env);
        cr_assert_eq(r.exit_code, 0, "%s: %s", fault, r.err);
        expect_job_frames(r.out, r.out_size, 0, FRAMES);
        char *json = vgt_read_file(report, NULL);
        cr_assert_not_null(json);
        cr_assert(strstr(json, "\"failovers\": [\n    {\"frame\": "), "%s",
                  json);
        cr_assert(strstr(json, "\"from\": \"faulty\", \"to\": \"cpu\", "
                               "\"code\": -6, \"code_name\": "
                               "\"VG_ERR_KERNEL\""),
                  "%s", json);
        cr_assert(strstr(json, "\"fallbacks\": 1}"), "%s", json);
        cr_assert(strstr(json, "\"status\": \"ok\""), "%s", json);
        free(json);
        vgt_run_result_free(&r);
    }
    free(report);
    free(job);
    free(dir);
}

/* Frames in flight on a backend whose downloads complete only when waited
 * for (the faulty plugin's async_download, standing in for a GPU): every
 * frame equals the reference, each frame after the first had kernels run
 * while the previous frame's download was in flight, and no kernel ever
 * wrote a frame being downloaded (that fails the frame with "download
 * hazard", which would show as a failover). */
Test(job_render, frames_in_flight_overlap_downloads_without_a_hazard)
{
    char *dir = make_job_dir("inflight");
    char *job = path_in(dir, "job.yaml");
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS", "VG_FAULTY=async_download",
                         NULL};
    const char *args[] = {job, "--backend", "faulty", "-o", "-", "-v", NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    expect_job_frames(r.out, r.out_size, 0, FRAMES);
    cr_assert(strstr(r.err, "on faulty, 0 fallbacks"), "%s", r.err);
    const char *stats = strstr(r.err, "faulty: ");
    unsigned long long downloads = 0, overlapped = 0;
    cr_assert(stats && sscanf(stats,
                              "faulty: %llu downloads, %llu kernel calls "
                              "overlapped a download in flight",
                              &downloads, &overlapped) == 2,
              "%s", r.err);
    cr_assert_eq(downloads, FRAMES, "%s", r.err);
    cr_assert_geq(overlapped, FRAMES - 1, "downloads did not overlap: %s",
                  r.err);
    vgt_run_result_free(&r);
    free(job);
    free(dir);
}

/* Failover with frames in flight: a kernel failing while the frame before
 * is still downloading, and a download failing at its wait while the frame
 * after it is already rendered, both hand over at the failed frame; the
 * output is the CPU's, no frame lost or repeated. */
Test(job_render, failover_with_frames_in_flight_changes_no_byte)
{
    char *dir = make_job_dir("inflight-failover");
    char *job = path_in(dir, "job.yaml");
    char *report = path_in(dir, "report.json");
    /* Kernel call 3 is frame 1's warp (frame 0 downloading); download 4 is
     * frame 3's (frame 4 already submitted behind it). */
    char kernel_fault[96], download_fault[96];
    snprintf(kernel_fault, sizeof kernel_fault,
             "VG_FAULTY=async_download,kernel_fail_at=%d",
             VG_SELFTEST_KERNEL_CALLS + 3);
    snprintf(download_fault, sizeof download_fault,
             "VG_FAULTY=async_download,download_fail_at=4");
    const struct {
        const char *fault;
        const char *frame;
        const char *message;
    } cases[] = {
        {kernel_fault, "\"frame\": 1,", "injected failure of kernel call"},
        {download_fault, "\"frame\": 3,",
         "frame_download_wait failed: injected failure of download 4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *env[] = {"VG_CONFIG", "VG_BACKENDS", cases[i].fault, NULL};
        const char *args[] = {job,    "--backend", "faulty,cpu",
                              "-o",   "-",         "--json-report",
                              report, "-y",        NULL};
        vgt_run_result r = vgrun(args, env);
        cr_assert_eq(r.exit_code, 0, "%s: %s", cases[i].fault, r.err);
        expect_job_frames(r.out, r.out_size, 0, FRAMES);
        char *json = vgt_read_file(report, NULL);
        cr_assert_not_null(json);
        cr_assert(strstr(json, cases[i].frame), "%s", json);
        cr_assert(strstr(json, cases[i].message), "%s", json);
        cr_assert(strstr(json, "\"fallbacks\": 1}"), "%s", json);
        cr_assert(strstr(json, "\"totals\": {\"frames\": 12, "), "%s", json);
        free(json);
        vgt_run_result_free(&r);
    }
    free(report);
    free(job);
    free(dir);
}

Test(job_render, json_report_records_backends_and_segments)
{
    char *dir = make_job_dir("report");
    char *job = path_in(dir, "job.yaml");
    char *report = path_in(dir, "report.json");
    char fault[64];
    /* Call 3 is frame 1's warp: frame 0 is the faulty backend's. */
    snprintf(fault, sizeof fault, "VG_FAULTY=kernel_fail_at=%d",
             VG_SELFTEST_KERNEL_CALLS + 3);
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS", fault, NULL};
    const char *args[] = {job,    "--backend", "nosuch,faulty,cpu",
                          "-o",   "-",         "--json-report",
                          report, NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *json = vgt_read_file(report, NULL);
    cr_assert_not_null(json);
    cr_assert(strstr(json, "{\"backend\": \"nosuch\", \"file\": \"\", "
                           "\"stage\": \"find\", \"selected\": false, "
                           "\"code\": -12, \"code_name\": "
                           "\"VG_ERR_NOT_FOUND\", \"reason\": \"plugin file "
                           "vg_nosuch.so not found in"),
              "%s", json);
    cr_assert(strstr(json, "\"stage\": \"run\", \"selected\": false, "
                           "\"code\": -6, \"code_name\": \"VG_ERR_KERNEL\""),
              "%s", json);
    cr_assert(strstr(json, "\"segments\": [\n"
                           "    {\"backend\": \"faulty\", \"first\": 0, "
                           "\"end\": 1},\n"
                           "    {\"backend\": \"cpu\", \"first\": 1, "
                           "\"end\": 12}\n  ]"),
              "%s", json);
    cr_assert(strstr(json, "\"failovers\": [\n    {\"frame\": 1, \"from\": "
                           "\"faulty\", \"to\": \"cpu\""),
              "%s", json);
    cr_assert(strstr(json, "\"job\": {\"width\": 64, \"height\": 48, "
                           "\"fps_num\": 12, \"fps_den\": 1, "
                           "\"frame_count\": 12}"),
              "%s", json);
    cr_assert(strstr(json, "\"totals\": {\"frames\": 12, "), "%s", json);
    free(json);
    vgt_run_result_free(&r);
    free(report);
    free(job);
    free(dir);
}

/* Ranges rendered separately and joined by vgjoin are the whole job, byte
 * for byte. */
Test(job_render, frame_ranges_join_into_the_whole_job)
{
    char *dir = make_job_dir("ranges");
    char *job = path_in(dir, "job.yaml");
    const char *ranges[] = {"0:5", "5:6", "6:12"};
    char *pieces[3];
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "part%d.y4m", i);
        pieces[i] = path_in(dir, name);
        const char *args[] = {job,       "--backend", "cpu",     "--frames",
                              ranges[i], "-o",        pieces[i], NULL};
        vgt_run_result r = vgrun(args, cpu_env);
        cr_assert_eq(r.exit_code, 0, "%s", r.err);
        vgt_run_result_free(&r);
    }
    char *joined = path_in(dir, "joined.y4m");
    const char *join[] = {VG_TEST_VGJOIN, joined,    pieces[0],
                          pieces[1],      pieces[2], NULL};
    vgt_run_result r = vgt_run(join, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);
    size_t size = 0;
    char *data = vgt_read_file(joined, &size);
    expect_job_frames(data, size, 0, FRAMES);
    free(data);
    for (int i = 0; i < 3; i++)
        free(pieces[i]);
    free(joined);
    free(job);
    free(dir);
}

/* The I420 frame as a player shows it: chroma upsampled bilinearly from
 * the centre of each 2x2 block (sample j at 2j + 0.5), edges repeated,
 * then the reference BT.709 conversion.  Computed independently of vgrun:
 * chroma in double, and the conversion by the reference kernel on a frame
 * twice the size whose luma repeats each pixel 2x2 and whose chroma planes
 * are the upsampled ones. */
static void upsample_as_a_player(const vg_image *yuv, vg_image *rgba)
{
    int32_t cw = (yuv->width + 1) / 2, ch = (yuv->height + 1) / 2;
    vg_image big, big_rgba;
    cr_assert_eq(
        vg_image_alloc(VG_FORMAT_I420, 2 * yuv->width, 2 * yuv->height, &big),
        0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, 2 * yuv->width,
                                2 * yuv->height, &big_rgba),
                 0);
    for (int32_t y = 0; y < yuv->height; y++)
        for (int32_t x = 0; x < yuv->width; x++) {
            uint8_t luma = yuv->data[0][(size_t)y * yuv->stride[0] + x];
            for (int dy = 0; dy < 2; dy++)
                for (int dx = 0; dx < 2; dx++)
                    big.data[0][(size_t)(2 * y + dy) * big.stride[0] + 2 * x +
                                dx] = luma;
            double cx = x / 2.0 - 0.25, cy = y / 2.0 - 0.25;
            int32_t x0 = (int32_t)floor(cx), y0 = (int32_t)floor(cy);
            double fx = cx - x0, fy = cy - y0;
            for (int p = 1; p < 3; p++) {
                double v = 0;
                for (int j = 0; j < 2; j++)
                    for (int i = 0; i < 2; i++) {
                        int32_t sx = x0 + i < 0     ? 0
                                     : x0 + i >= cw ? cw - 1
                                                    : x0 + i;
                        int32_t sy = y0 + j < 0     ? 0
                                     : y0 + j >= ch ? ch - 1
                                                    : y0 + j;
                        double w = (i ? fx : 1 - fx) * (j ? fy : 1 - fy);
                        v += w * yuv->data[p][(size_t)sy * yuv->stride[p] + sx];
                    }
                big.data[p][(size_t)y * big.stride[p] + x] =
                    (uint8_t)floor(v + 0.5);
            }
        }
    vg_color_params cp;
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &cp);
    vg_ref_i420_to_rgba(&big_rgba, &big, &cp, 0, big.height);
    for (int32_t y = 0; y < yuv->height; y++)
        for (int32_t x = 0; x < yuv->width; x++)
            memcpy(rgba->data[0] + (size_t)y * rgba->stride[0] + 4 * x,
                   big_rgba.data[0] + (size_t)(2 * y) * big_rgba.stride[0] +
                       8 * x,
                   4);
    vg_image_free(&big);
    vg_image_free(&big_rgba);
}

Test(job_render, snapshot_is_the_video_frame_as_rgba)
{
    char *dir = make_job_dir("snapshot");
    char *job = path_in(dir, "job.yaml");
    char *png = path_in(dir, "frame.png");
    const char *args[] = {job, "--backend", "cpu", "--snapshot", "3:", NULL};
    char arg[1100];
    snprintf(arg, sizeof arg, "3:%s", png);
    args[4] = arg;
    vgt_run_result r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);

    vg_image pic = make_picture(), yuv, expected = rgba_frame(), got;
    uint8_t *packed = malloc(FRAME_BYTES);
    reference_frame(&pic, 3, packed);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_I420, W, H, &yuv), 0);
    const uint8_t *src = packed;
    for (int p = 0; p < 3; p++) {
        int32_t pw, ph;
        vg_plane_size(VG_FORMAT_I420, W, H, p, &pw, &ph);
        for (int32_t y = 0; y < ph; y++, src += pw)
            memcpy(yuv.data[p] + (size_t)y * yuv.stride[p], src, (size_t)pw);
    }
    upsample_as_a_player(&yuv, &expected);
    char err[512];
    cr_assert_eq(vg_image_read(png, &got, err, sizeof err), 0, "%s", err);
    cr_assert(vg_image_equal(&expected, &got, NULL, NULL, NULL));
    vg_image *all[] = {&pic, &yuv, &expected, &got};
    for (size_t i = 0; i < 4; i++)
        vg_image_free(all[i]);
    free(packed);
    free(png);
    free(job);
    free(dir);
}

/* examples/default.yaml renders the built-in job's bytes. */
Test(job_render, default_example_renders_the_built_in_job)
{
    const char *a[] = {"--backend", "cpu", "--frames", "178:181",
                       "-o",        "-",   NULL};
    const char *b[] = {VG_TEST_SOURCE_DIR "/examples/default.yaml",
                       "--backend",
                       "cpu",
                       "--frames",
                       "178:181",
                       "-o",
                       "-",
                       NULL};
    vgt_run_result ra = vgrun(a, cpu_env), rb = vgrun(b, cpu_env);
    cr_assert_eq(ra.exit_code, 0, "%s", ra.err);
    cr_assert_eq(rb.exit_code, 0, "%s", rb.err);
    cr_assert_eq(ra.out_size, rb.out_size);
    cr_assert_eq(memcmp(ra.out, rb.out, ra.out_size), 0);
    vgt_run_result_free(&ra);
    vgt_run_result_free(&rb);
}

/* A Y4M file as a clip: frame k of the clip is frame k of the file (the
 * last one held after its end), through i420_to_rgba. */
Test(job_render, video_input_frames_by_index)
{
    char *dir = vgt_make_temp_dir("video");
    char *src_job = path_in(dir, "src.yaml"), *clip = path_in(dir, "in.y4m");
    char *job = path_in(dir, "job.yaml");
    const char *src_yaml = "width: 64\nheight: 48\nrange: full\n"
                           "clips: [{pattern: testsrc, frames: 3}]\n";
    vgt_write_file(src_job, src_yaml, strlen(src_yaml));
    const char *make[] = {src_job, "--backend", "cpu", "-o", clip, NULL};
    vgt_run_result r = vgrun(make, cpu_env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);
    const char *yaml = "width: 64\nheight: 48\nfps: 12\n"
                       "clips: [{video: in.y4m, frames: 5}]\n";
    vgt_write_file(job, yaml, strlen(yaml));
    const char *args[] = {job, "--backend", "cpu", "-o", "-", NULL};
    r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);

    size_t in_size = 0;
    char *in = vgt_read_file(clip, &in_size);
    const char *in_frames = strchr(in, '\n') + 1;
    vg_image yuv, rgba = rgba_frame(), out;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_I420, W, H, &yuv), 0);
    cr_assert_eq(vg_image_alloc(VG_FORMAT_I420, W, H, &out), 0);
    vg_color_params full, limited;
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_FULL, &full);
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &limited);
    const char *frame = r.out + strlen(HEADER);
    cr_assert_eq(r.out_size, strlen(HEADER) + 5 * (6 + FRAME_BYTES));
    for (uint32_t k = 0; k < 5; k++, frame += 6 + FRAME_BYTES) {
        const char *src = in_frames + (k < 3 ? k : 2) * (6 + FRAME_BYTES) + 6;
        for (int p = 0; p < 3; p++) {
            int32_t pw, ph;
            vg_plane_size(VG_FORMAT_I420, W, H, p, &pw, &ph);
            for (int32_t y = 0; y < ph; y++, src += pw)
                memcpy(yuv.data[p] + y * yuv.stride[p], src, (size_t)pw);
        }
        vg_ref_i420_to_rgba(&rgba, &yuv, &full, 0, H);
        vg_ref_rgba_to_i420(&out, &rgba, &limited, 0, H);
        const char *got = frame + 6;
        for (int p = 0; p < 3; p++) {
            int32_t pw, ph;
            vg_plane_size(VG_FORMAT_I420, W, H, p, &pw, &ph);
            for (int32_t y = 0; y < ph; y++, got += pw)
                cr_assert_eq(
                    memcmp(got, out.data[p] + y * out.stride[p], (size_t)pw), 0,
                    "frame %u plane %d row %d", k, p, y);
        }
    }
    vg_image_free(&yuv);
    vg_image_free(&rgba);
    vg_image_free(&out);
    free(in);
    vgt_run_result_free(&r);
    free(src_job);
    free(clip);
    free(job);
    free(dir);
}

/* The files a test writes itself, beside the outputs it counts. */
static const char *const job_inputs[] = {"job.yaml", "pic.png", "config.yaml",
                                         NULL};

/* SIGINT while a long job renders to a file: exit 130, no file under the
 * final name, no partial file left. */
Test(job_render, interrupted_run_leaves_no_file)
{
    char *dir = vgt_make_temp_dir("interrupt");
    char *job = path_in(dir, "job.yaml"), *out = path_in(dir, "out.y4m");
    const char *yaml = "width: 320\nheight: 240\n"
                       "clips: [{pattern: testsrc, frames: 1000000}]\n";
    vgt_write_file(job, yaml, strlen(yaml));
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        unsetenv("VG_CONFIG");
        execl(VG_TEST_VGRUN, VG_TEST_VGRUN, job, "--backend", "cpu", "-o", out,
              (char *)NULL);
        _exit(127);
    }
    /* Wait until frames are being written (the file has no name yet
     * where the filesystem allows), then interrupt. */
    for (int i = 0; i < 1000 && !vgt_process_writes_in(pid, dir); i++)
        nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    cr_assert(vgt_process_writes_in(pid, dir), "vgrun never started writing");
    nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
    kill(pid, SIGINT);
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d",
              status);
    cr_assert_eq(vgt_count_entries(dir, job_inputs), 0,
                 "no output and no partial file");
    free(job);
    free(out);
    free(dir);
}

/* auto_cpu_fallback: false and the GPU backend fails mid-job: exit 3 with
 * the reason, and neither the output nor a partial file remains. */
Test(job_render, refused_fallback_leaves_no_file)
{
    char *dir = make_job_dir("refused");
    char *job = path_in(dir, "job.yaml"), *out = path_in(dir, "out.y4m");
    char *config = path_in(dir, "config.yaml"), *report = path_in(dir, "r.j");
    const char *yaml = "video_generation:\n  auto_cpu_fallback: false\n";
    vgt_write_file(config, yaml, strlen(yaml));
    char fault[64];
    snprintf(fault, sizeof fault, "VG_FAULTY=kernel_fail_at=%d",
             VG_SELFTEST_KERNEL_CALLS + 5);
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS", fault, NULL};
    const char *args[] = {job,          "--config", config, "--backend",
                          "faulty,cpu", "-o",       out,    "--json-report",
                          report,       NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 3, "%s", r.err);
    cr_assert(strstr(r.err, "vgrun: skipped faulty (run): frame "), "%s",
              r.err);
    cr_assert(strstr(r.err, "vgrun: error: video_generation.auto_cpu_fallback "
                            "is false and GPU backend 'faulty' failed"),
              "%s", r.err);
    char *json = vgt_read_file(report, NULL);
    cr_assert(strstr(json, "\"status\": \"failed\", \"exit_code\": 3, "
                           "\"error\": \"error: video_generation."
                           "auto_cpu_fallback is false"),
              "%s", json);
    cr_assert(strstr(json, "\"to\": null"), "%s", json);
    free(json);
    cr_assert_eq(access(out, F_OK), -1, "no file under the final name");
    cr_assert_eq(vgt_count_entries(dir, job_inputs), 1,
                 "only the report remains");
    vgt_run_result_free(&r);
    free(job);
    free(out);
    free(config);
    free(report);
    free(dir);
}

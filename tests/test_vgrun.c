/*
 * test_vgrun.c - vgrun end to end: output bytes against the reference path,
 * failover mid-job, exit codes, --list-backends.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/selftest.h"
#include "test_support.h"
#include "vg/image.h"
#include "vg/params.h"
#include "vg/piece.h"
#include "vg/plugin.h"
#include "vg_reference.h"

#define W 1920
#define H 1080
#define HEADER                                                                 \
    "YUV4MPEG2 W1920 H1080 F30:1 Ip A1:1 C420jpeg XYSCSS=420JPEG "             \
    "XCOLORRANGE=LIMITED\n"
#define FRAME_BYTES ((size_t)W * H * 3 / 2)

/* Frame `index` of the default job computed directly with the reference
 * kernels: testsrc, crossfade to bars over frames 120..179, zoom 1.0 -> 1.5
 * towards the centre over 300 frames, blur sigma 1, BT.709 limited. */
static void reference_frame(uint32_t index, uint8_t *packed)
{
    vg_image a, b, mixed, zoomed, blurred, yuv;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, W, H, &a), 0);
    vg_image_alloc(VG_FORMAT_RGBA8, W, H, &b);
    vg_image_alloc(VG_FORMAT_RGBA8, W, H, &mixed);
    vg_image_alloc(VG_FORMAT_RGBA8, W, H, &zoomed);
    vg_image_alloc(VG_FORMAT_RGBA8, W, H, &blurred);
    vg_image_alloc(VG_FORMAT_I420, W, H, &yuv);

    vg_pattern_params pa = {.kind = VG_PATTERN_TESTSRC, .frame_index = index};
    vg_pattern_params pb = {.kind = VG_PATTERN_BARS, .frame_index = index};
    vg_ref_pattern(&a, &pa, 0, H);
    vg_ref_pattern(&b, &pb, 0, H);
    const vg_image *source = index < 120 ? &a : &b;
    if (index >= 120 && index < 180) {
        vg_blend_params p = {.mode = VG_BLEND_CROSSFADE,
                             .weight =
                                 vg_crossfade_weight((index - 119) / 60.0)};
        vg_ref_blend(&mixed, &a, &b, &p, 0, H);
        source = &mixed;
    }
    double zoom = 1.0 + 0.5 * index / 299.0;
    const vg_image *current = source;
    if (index > 0) {
        vg_affine map =
            vg_affine_camera(W, H, zoom, 0, (W - 1) / 2.0, (H - 1) / 2.0);
        vg_warp_params wp;
        cr_assert_eq(
            vg_warp_params_from_affine(&map, W, H, VG_EDGE_CLAMP, 0, &wp), 0);
        vg_ref_warp(&zoomed, source, &wp, 0, H);
        current = &zoomed;
    }
    vg_blur_params bp;
    vg_blur_params_from_sigma(1.0, &bp);
    void *scratch = malloc(vg_ref_blur_scratch_size(W, H, bp.radius));
    vg_ref_blur(&blurred, current, &bp, 0, H, scratch);
    free(scratch);
    vg_color_params cp;
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &cp);
    vg_ref_rgba_to_i420(&yuv, &blurred, &cp, 0, H);

    for (int p = 0; p < 3; p++) {
        int32_t pw, ph;
        vg_plane_size(VG_FORMAT_I420, W, H, p, &pw, &ph);
        for (int32_t y = 0; y < ph; y++, packed += pw)
            memcpy(packed, yuv.data[p] + (size_t)y * yuv.stride[p], (size_t)pw);
    }
    vg_image *all[] = {&a, &b, &mixed, &zoomed, &blurred, &yuv};
    for (size_t i = 0; i < 6; i++)
        vg_image_free(all[i]);
}

static vgt_run_result vgrun(const char *const *args, const char *const *env)
{
    return vgt_run_program(VG_TEST_VGRUN, args, env);
}

/* Check a Y4M file holds `count` frames starting at `first`, each equal to
 * the reference. */
/* The header of frames [first, first + count) of the default job: these
 * runs use --frames, so the output is a piece and says so (vg/piece.h). */
static void piece_header(uint32_t first, uint32_t count, char *buf, size_t size)
{
    vg_job *job = NULL;
    char err[256];
    vg_piece piece = {.first = first, .end = first + count, .total = 300};
    cr_assert_eq(vg_job_create_default(&job), 0);
    cr_assert_eq(vg_job_fingerprint(job, &piece.fingerprint, err, sizeof err),
                 0, "%s", err);
    vg_job_destroy(&job);
    size_t n = strlen(HEADER) - 1; /* without its newline */
    memcpy(buf, HEADER, n);
    n += vg_piece_format_tags(&piece, buf + n, size - n - 2);
    memcpy(buf + n, "\n", 2);
}

static void expect_reference_frames(const char *data, size_t size,
                                    uint32_t first, uint32_t count)
{
    char head[256];
    piece_header(first, count, head, sizeof head);
    size_t header = strlen(head);
    cr_assert_eq(size, header + count * (6 + FRAME_BYTES), "size %zu", size);
    cr_assert_eq(memcmp(data, head, header), 0, "header: %.*s", 160, data);
    uint8_t *expected = malloc(FRAME_BYTES);
    for (uint32_t i = 0; i < count; i++) {
        const char *frame = data + header + i * (6 + FRAME_BYTES);
        cr_assert_eq(memcmp(frame, "FRAME\n", 6), 0);
        reference_frame(first + i, expected);
        cr_assert_eq(memcmp(frame + 6, expected, FRAME_BYTES), 0,
                     "frame %u differs from the reference", first + i);
    }
    free(expected);
}

static const char *const cpu_env[] = {"VG_CONFIG", "VG_BACKENDS", "VG_FAULTY",
                                      NULL};

Test(vgrun, renders_reference_bytes_across_the_crossfade)
{
    char *dir = vgt_make_temp_dir("vgrun");
    char out[1024];
    snprintf(out, sizeof out, "%s/out.y4m", dir);
    const char *args[] = {"--backend", "cpu", "--frames", "118:122",
                          "-o",        out,   "-v",       NULL};
    vgt_run_result r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "vgrun: using cpu ("), "%s", r.err);
    cr_assert(strstr(r.err, "vgrun: 4 frames in "), "%s", r.err);
    size_t size = 0;
    char *data = vgt_read_file(out, &size);
    cr_assert_not_null(data);
    expect_reference_frames(data, size, 118, 4);
    free(data);
    vgt_run_result_free(&r);
    free(dir);
}

Test(vgrun, writes_to_stdout)
{
    const char *args[] = {"--backend", "cpu", "--frames", "0:1",
                          "-o",        "-",   "-q",       NULL};
    vgt_run_result r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.err, "", "-q prints nothing: %s", r.err);
    expect_reference_frames(r.out, r.out_size, 0, 1);
    vgt_run_result_free(&r);
}

/* stderr is not a terminal here: without -v only errors may appear. */
Test(vgrun, prints_nothing_but_errors_when_not_on_a_terminal)
{
    const char *args[] = {"--backend", "nosuch,cpu", "--frames", "0:1",
                          "-o",        "-",          NULL};
    vgt_run_result r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.err, "", "no report without -v: %s", r.err);
    expect_reference_frames(r.out, r.out_size, 0, 1);
    vgt_run_result_free(&r);
}

Test(vgrun, says_why_other_backends_were_skipped)
{
    const char *args[] = {"--backend", "nosuch,cpu", "--frames", "0:1",
                          "-o",        "-",          "-v",       NULL};
    vgt_run_result r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "vgrun: skipped nosuch (find): plugin file "
                            "vg_nosuch.so not found in"),
              "%s", r.err);
    vgt_run_result_free(&r);
}

/* A kernel failure mid-job moves to the next backend, renders the failed
 * frame again, and the bytes equal a run on that backend alone. */
Test(vgrun, fails_over_mid_job_without_losing_a_frame)
{
    char *dir = vgt_make_temp_dir("failover");
    char out[1024], fault[64];
    snprintf(out, sizeof out, "%s/out.y4m", dir);
    /* Frame 0 makes 3 kernel calls (pattern, blur, conversion: zoom 1.0
     * needs no warp), frame 1 four: call SELFTEST + 6 is frame 1's blur. */
    snprintf(fault, sizeof fault, "VG_FAULTY=kernel_fail_at=%d",
             VG_SELFTEST_KERNEL_CALLS + 6);
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS", fault, NULL};
    const char *args[] = {"--backend", "faulty,cpu", "--frames",  "0:3",
                          "-o",        out,          "--verbose", NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "vgrun: using faulty ("), "%s", r.err);
    cr_assert(strstr(r.err, "vgrun: faulty failed at frame 1: faulty: "
                            "blur failed: injected failure of kernel call"),
              "%s", r.err);
    cr_assert(strstr(r.err, "vgrun: using cpu ("), "%s", r.err);
    cr_assert(strstr(r.err, "on cpu, 1 fallback,"), "%s", r.err);
    size_t size = 0;
    char *data = vgt_read_file(out, &size);
    cr_assert_not_null(data);
    expect_reference_frames(data, size, 0, 3);
    free(data);
    vgt_run_result_free(&r);
    free(dir);
}

Test(vgrun, refused_fallback_leaves_no_output)
{
    char *dir = vgt_make_temp_dir("refused");
    char out[1024], config[1024], fault[64];
    snprintf(out, sizeof out, "%s/out.y4m", dir);
    snprintf(config, sizeof config, "%s/config.yaml", dir);
    const char *yaml = "video_generation:\n  auto_cpu_fallback: false\n";
    vgt_write_file(config, yaml, strlen(yaml));
    snprintf(fault, sizeof fault, "VG_FAULTY=kernel_fail_at=%d",
             VG_SELFTEST_KERNEL_CALLS + 6);
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS", fault, NULL};
    const char *args[] = {"--config",   config,     "--backend",
                          "faulty,cpu", "--frames", "0:3",
                          "-o",         out,        NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 3, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "vgrun: error: video_generation.auto_cpu_fallback "
                            "is false and GPU backend 'faulty' failed"),
              "%s", r.err);
    cr_assert_eq(vgt_count_entries(dir, NULL), 1,
                 "only config.yaml may remain");
    vgt_run_result_free(&r);
    free(dir);
}

Test(vgrun, exit_codes)
{
    const char *bad_option[] = {"--frobnicate", NULL};
    vgt_run_result r = vgrun(bad_option, cpu_env);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "vgrun: unknown option '--frobnicate'"), "%s",
              r.err);
    vgt_run_result_free(&r);

    const char *bad_range[] = {"--frames", "5:2", NULL};
    r = vgrun(bad_range, cpu_env);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "--frames expects A:B with A < B, got '5:2'"), "%s",
              r.err);
    vgt_run_result_free(&r);

    const char *bad_backend[] = {"--backend", "Cuda", NULL};
    r = vgrun(bad_backend, cpu_env);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "--backend"), "%s", r.err);
    vgt_run_result_free(&r);

    const char *none[] = {"--backend", "nosuch", "-o", "-", NULL};
    r = vgrun(none, cpu_env);
    cr_assert_eq(r.exit_code, 3);
    cr_assert(strstr(r.err, "vgrun: skipped nosuch (find)"), "%s", r.err);
    cr_assert(strstr(r.err, "vgrun: error: no usable backend"), "%s", r.err);
    cr_assert_eq(r.out_size, 0, "nothing written to stdout");
    vgt_run_result_free(&r);

    const char *help[] = {"--help", NULL};
    r = vgrun(help, cpu_env);
    cr_assert_eq(r.exit_code, 0);
    cr_assert(strstr(r.out, "Exit status: 0 success; 1 rendering"), "%s",
              r.out);
    vgt_run_result_free(&r);

    const char *version[] = {"--version", NULL};
    r = vgrun(version, cpu_env);
    cr_assert_eq(r.exit_code, 0);
    char abi[32];
    snprintf(abi, sizeof abi, "(plugin ABI %u)", VG_PLUGIN_ABI_VERSION);
    cr_assert(strstr(r.out, abi), "%s", r.out);
    vgt_run_result_free(&r);
}

Test(vgrun, config_error_names_file_line_and_column)
{
    char *dir = vgt_make_temp_dir("badconfig");
    char config[1024];
    snprintf(config, sizeof config, "%s/config.yaml", dir);
    const char *yaml = "video_generation:\n  use_gpu: maybe\n";
    vgt_write_file(config, yaml, strlen(yaml));
    const char *args[] = {"--config", config, NULL};
    vgt_run_result r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 2);
    char expected[1200];
    snprintf(expected, sizeof expected,
             "vgrun: %s:2:12: video_generation.use_gpu:", config);
    cr_assert(strstr(r.err, expected), "%s", r.err);
    vgt_run_result_free(&r);
    free(dir);
}

Test(vgrun, list_backends_shows_cpu_usable)
{
    const char *args[] = {"--list-backends", NULL};
    vgt_run_result r = vgrun(args, cpu_env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "Configured order: cuda, opencl, cpu"), "%s",
              r.out);
    cr_assert(
        strstr(r.out, "  cpu      cpu     " VG_TEST_PLUGIN_DIR "/vg_cpu.so"),
        "%s", r.out);
    cr_assert(strstr(r.out, "status: usable"), "%s", r.out);
    vgt_run_result_free(&r);
}

Test(vgrun, list_backends_json)
{
    setenv("VG_FAULTY", "caps_reject", 1);
    const char *args[] = {"--list-backends", "--json", "--backend",
                          "faulty,cpu", NULL};
    vgt_run_result r = vgrun(args, (const char *const[]){"VG_CONFIG", NULL});
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.out,
                     "{\"name\": \"faulty\", \"file\": \"" VG_TEST_PLUGIN_DIR
                     "/vg_faulty.so\", \"order\": 0, \"kind\": \"gpu\""),
              "%s", r.out);
    cr_assert(strstr(r.out, "\"status\": \"skipped\", \"stage\": \"capability "
                            "check\", \"reason\": \"Faulty Test GPU: injected "
                            "capability rejection"),
              "%s", r.out);
    cr_assert(strstr(r.out,
                     "{\"name\": \"cpu\", \"file\": \"" VG_TEST_PLUGIN_DIR
                     "/vg_cpu.so\", \"order\": 1, \"kind\": \"cpu\""),
              "%s", r.out);
    cr_assert(strstr(r.out, "\"status\": \"usable\""), "%s", r.out);
    vgt_run_result_free(&r);
}

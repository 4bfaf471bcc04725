/*
 * test_cpu_isa.c - forcing the CPU backend's ISA level through the plugin.
 *
 * Every level this CPU has, forced with VG_CPU_ISA or with the isa option
 * (backend_options.cpu.isa), renders the same bytes as the scalar level
 * through the public backend API, with one thread and with several (bands
 * split across the pool); a level the CPU lacks, or an unknown name, is a
 * clear error; vgrun --list-backends shows the level in use.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_dsp.h"
#include "test_support.h"
#include "vg/backend.h"
#include "vg/config.h"
#include "vg/image.h"
#include "vg/loader.h"
#include "vg/params.h"

typedef struct cpu_backend {
    vg_config *cfg;
    vg_search_path *sp;
    vg_loaded_plugin *lp;
    vg_backend *b;
} cpu_backend;

/* Open the cpu plugin with `threads` and `isa` options; returns the open
 * status, with the reason in `reason`. */
static int cpu_open(cpu_backend *cb, int threads, const char *isa, char *reason,
                    size_t reason_size)
{
    memset(cb, 0, sizeof *cb);
    char yaml[256];
    snprintf(yaml, sizeof yaml,
             "plugin_dirs: [\"%s\"]\nbackend_options:\n  cpu:\n"
             "    threads: %d\n    isa: %s\n",
             VG_TEST_PLUGIN_DIR, threads, isa);
    cr_assert_eq(
        vg_config_load_string(yaml, "<test>", &cb->cfg, reason, reason_size), 0,
        "%s", reason);
    cr_assert_eq(vg_search_path_create(cb->cfg, &cb->sp), 0);
    char *path = NULL;
    cr_assert_eq(vg_search_path_find(cb->sp, "cpu", &path, reason, reason_size),
                 0, "%s", reason);
    int rc = vg_plugin_load(path, &cb->lp, reason, reason_size);
    free(path);
    cr_assert_eq(rc, 0, "%s", reason);
    cr_assert_eq(
        vg_loaded_plugin_configure(cb->lp, cb->cfg, reason, reason_size), 0,
        "%s", reason);
    vg_job_limits limits = {.max_width = 1920, .max_height = 1080};
    return vg_backend_open(cb->lp, 0, &limits, &cb->b, reason, reason_size);
}

static void cpu_close(cpu_backend *cb)
{
    vg_backend_close(&cb->b);
    vg_plugin_unload(&cb->lp);
    vg_search_path_destroy(&cb->sp);
    vg_config_destroy(&cb->cfg);
}

/* Append frame f's bytes to out (a growing buffer). */
static void append_frame(vg_backend *b, vg_backend_frame *f, uint8_t **out,
                         size_t *size)
{
    vg_frame_desc d = vg_backend_frame_desc(f);
    vg_image img;
    cr_assert_eq(vg_image_alloc(d.format, d.width, d.height, &img), 0);
    cr_assert_eq(vg_backend_download(b, f, &img), 0, "%s",
                 vg_backend_last_error(b));
    size_t add = vg_image_packed_size(d.format, d.width, d.height);
    *out = realloc(*out, *size + add);
    cr_assert(*out);
    for (int p = 0; p < vg_plane_count(d.format); p++) {
        int32_t pw, ph;
        vg_plane_size(d.format, d.width, d.height, p, &pw, &ph);
        size_t row = (size_t)vg_plane_row_bytes(d.format, d.width, p);
        for (int32_t y = 0; y < ph; y++, *size += row)
            memcpy(*out + *size,
                   img.data[p] + (size_t)y * (size_t)img.stride[p], row);
    }
    vg_image_free(&img);
}

#define CHECK(b, call) cr_assert_eq((call), 0, "%s", vg_backend_last_error(b))

/* Every kernel once on a w x h frame; all outputs, concatenated. */
static uint8_t *render_all(vg_backend *b, int32_t w, int32_t h, size_t *size)
{
    vg_backend_frame *a, *bars, *mixed, *over, *warped, *blurred, *yuv, *back;
    CHECK(b, vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, w, h, &a));
    CHECK(b, vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, w, h, &bars));
    CHECK(b, vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, w, h, &mixed));
    CHECK(b, vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, w, h, &over));
    CHECK(b, vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, w + 7, h + 3, &warped));
    CHECK(b, vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, w, h, &blurred));
    CHECK(b, vg_backend_frame_alloc(b, VG_FORMAT_I420, w, h, &yuv));
    CHECK(b, vg_backend_frame_alloc(b, VG_FORMAT_RGBA8, w, h, &back));

    vg_pattern_params testsrc = {.kind = VG_PATTERN_TESTSRC, .frame_index = 33};
    vg_pattern_params smpte = {.kind = VG_PATTERN_BARS};
    CHECK(b, vg_backend_fill_pattern(b, a, &testsrc));
    CHECK(b, vg_backend_fill_pattern(b, bars, &smpte));
    vg_blend_params fade = {.mode = VG_BLEND_CROSSFADE, .weight = 77};
    CHECK(b, vg_backend_blend(b, mixed, a, bars, &fade));
    vg_blend_params alpha = {.mode = VG_BLEND_ALPHA_OVER};
    CHECK(b, vg_backend_blend(b, over, mixed, a, &alpha));
    vg_affine m = vg_affine_camera(w + 7, h + 3, 1.3, 0, w * 0.4, h * 0.6);
    vg_warp_params warp;
    cr_assert_eq(vg_warp_params_from_affine(&m, w + 7, h + 3, VG_EDGE_BORDER,
                                            0x20406080u, &warp),
                 0);
    CHECK(b, vg_backend_warp_affine(b, warped, mixed, &warp));
    vg_blur_params blur;
    cr_assert_eq(vg_blur_params_from_sigma(2.0, &blur), 0);
    CHECK(b, vg_backend_blur(b, blurred, over, &blur));
    vg_color_params color;
    cr_assert_eq(
        vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &color), 0);
    CHECK(b, vg_backend_rgba_to_i420(b, yuv, blurred, &color));
    CHECK(b, vg_backend_i420_to_rgba(b, back, yuv, &color));

    uint8_t *out = NULL;
    *size = 0;
    vg_backend_frame *all[] = {a,      bars,    mixed, over,
                               warped, blurred, yuv,   back};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        append_frame(b, all[i], &out, size);
        vg_backend_frame_free(b, &all[i]);
    }
    return out;
}

static const int32_t sizes[][2] = {{333, 207}, {1, 1}, {64, 64}, {1920, 17}};

/* Bytes of every size rendered on the cpu backend at threads / isa. */
static uint8_t *render_sizes(int threads, const char *isa, size_t *size)
{
    cpu_backend cb;
    char reason[VG_TEXT_MAX];
    cr_assert_eq(cpu_open(&cb, threads, isa, reason, sizeof reason), 0,
                 "isa %s: %s", isa, reason);
    uint8_t *all = NULL;
    *size = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n;
        uint8_t *one = render_all(cb.b, sizes[i][0], sizes[i][1], &n);
        all = realloc(all, *size + n);
        cr_assert(all);
        memcpy(all + *size, one, n);
        *size += n;
        free(one);
    }
    cpu_close(&cb);
    return all;
}

static void expect_same(const uint8_t *want, size_t want_size,
                        const uint8_t *got, size_t got_size, const char *what)
{
    cr_assert_eq(want_size, got_size);
    if (memcmp(want, got, want_size) == 0)
        return;
    size_t i = 0;
    while (want[i] == got[i])
        i++;
    cr_assert_fail("%s: byte %zu differs from the scalar level (%u, got %u)",
                   what, i, want[i], got[i]);
}

Test(cpu_isa, every_forced_level_renders_the_scalar_bytes)
{
    size_t want_size;
    uint8_t *want = render_sizes(1, "scalar", &want_size);
    int levels = 0;
    for (cpu_isa isa = CPU_ISA_SSE41; isa < CPU_ISA_AUTO; isa++) {
        if (!cpu_isa_available(isa))
            continue;
        cr_assert_eq(setenv("VG_CPU_ISA", cpu_isa_names[isa], 1), 0);
        for (int threads = 1; threads <= 3; threads += 2) {
            size_t got_size;
            uint8_t *got = render_sizes(threads, "auto", &got_size);
            char what[64];
            snprintf(what, sizeof what, "VG_CPU_ISA=%s, %d threads",
                     cpu_isa_names[isa], threads);
            expect_same(want, want_size, got, got_size, what);
            free(got);
        }
        levels++;
    }
    free(want);
    unsetenv("VG_CPU_ISA");
    if (levels == 0)
        cr_skip_test("this CPU has no SIMD level to compare with scalar");
}

Test(cpu_isa, the_isa_option_forces_a_level_too)
{
    if (!cpu_isa_available(CPU_ISA_SSE41))
        cr_skip_test("this CPU lacks sse41");
    unsetenv("VG_CPU_ISA");
    size_t want_size, got_size;
    uint8_t *want = render_sizes(2, "scalar", &want_size);
    uint8_t *got = render_sizes(2, "sse41", &got_size);
    expect_same(want, want_size, got, got_size, "isa: sse41");
    free(want);
    free(got);
}

/* The first level on this CPU's ladder that it lacks. */
static const char *missing_level(void)
{
    for (cpu_isa isa = CPU_ISA_SSE41; isa <= CPU_ISA_NEON; isa++)
        if (!cpu_isa_available(isa))
            return cpu_isa_names[isa];
    return NULL;
}

Test(cpu_isa, a_level_the_cpu_lacks_is_a_clear_error)
{
    const char *missing = missing_level();
    cr_assert(missing, "every machine lacks at least neon or avx512");
    cr_assert_eq(setenv("VG_CPU_ISA", missing, 1), 0);
    cpu_backend cb;
    char reason[VG_TEXT_MAX] = "";
    int rc = cpu_open(&cb, 1, "auto", reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_UNSUPPORTED, "open gave %d (%s)", rc, reason);
    char want[128];
    snprintf(want, sizeof want,
             "VG_CPU_ISA asks for %s but this CPU supports "
             "at most %s",
             missing, cpu_isa_names[cpu_detect_isa()]);
    cr_assert(strstr(reason, want), "reason: %s", reason);
    cpu_close(&cb);

    unsetenv("VG_CPU_ISA");
    rc = cpu_open(&cb, 1, missing, reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_UNSUPPORTED);
    cr_assert(strstr(reason, "backend_options.cpu.isa asks for"), "reason: %s",
              reason);
    cpu_close(&cb);
}

Test(cpu_isa, an_unknown_level_name_is_a_config_error)
{
    cr_assert_eq(setenv("VG_CPU_ISA", "avx3", 1), 0);
    cpu_backend cb;
    char reason[VG_TEXT_MAX] = "";
    int rc = cpu_open(&cb, 1, "auto", reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_CONFIG);
    cr_assert(strstr(reason, "VG_CPU_ISA=avx3 is not one of scalar, sse41, "
                             "avx2, avx512, neon, auto"),
              "reason: %s", reason);
    cpu_close(&cb);
}

Test(cpu_isa, list_backends_shows_the_level_in_use)
{
    const char *argv[] = {VG_TEST_VGRUN, "--list-backends", "--backend", "cpu",
                          NULL};
    const char *env[] = {"VG_CPU_ISA=scalar", "VG_CONFIG", NULL};
    vgt_run_result r = vgt_run(argv, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "isa scalar (best "), "%s", r.out);
    vgt_run_result_free(&r);
}

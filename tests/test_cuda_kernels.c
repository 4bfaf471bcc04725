/*
 * test_cuda_kernels.c - every CUDA kernel against the reference, byte for
 * byte, through the core's checked wrappers.  On a machine with a GPU it
 * runs there (scripts/gpu-check.sh); without one, as on CI, it runs the
 * same plugin code on the CUDA simulator (tests/cudasim): the plugin's own
 * objects and fatbinary, the kernel bodies of cuda_kernels.cuh compiled
 * for the host and run over the plugin's own grid, on a simulated GPU the
 * build has SASS for.
 *
 * Sizes include 1x1 and odd sizes (I420 edge replication), host strides are
 * wider than a row and their padding is checked untouched after download,
 * and a chained job downloads frame N while frame N + 1's kernels are
 * queued (the copy-stream overlap) and still matches.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/backend.h"
#include "vg/config.h"
#include "vg/loader.h"
#include "vg/params.h"
#include "vg_reference.h"

#define CUDA_PLUGIN VG_TEST_PLUGIN_DIR "/vg_cuda.so"
#define GUARD 0xa5
#define PAD 24 /* bytes of guard after every host row */

static vg_config *cfg;
static vg_loaded_plugin *plugin;
static vg_backend *backend;

#define CUDASIM_PLUGIN VG_TEST_CUDASIM_DIR "/shipped/vg_cuda.so"

static const vg_plugin *load(const char *path, vg_probe_result *probe)
{
    char reason[1024] = "";
    cr_assert_eq(vg_plugin_load(path, &plugin, reason, sizeof reason), 0, "%s",
                 reason);
    cr_assert_eq(vg_loaded_plugin_configure(plugin, cfg, reason, sizeof reason),
                 0, "%s", reason);
    const vg_plugin *desc = vg_loaded_plugin_descriptor(plugin);
    desc->probe(vg_loaded_plugin_options(plugin), probe);
    return desc;
}

/* A simulated GPU of the first architecture the build has SASS for (the
 * probe's detail lists them: "built for sm_75 sm_80 ... compute_75"). */
static void simulate_a_gpu_of_this_build(const char *detail)
{
    const char *sm = strstr(detail, "sm_");
    cr_assert_not_null(sm, "no SASS in '%s'", detail);
    int arch = atoi(sm + 3);
    char spec[256];
    snprintf(spec, sizeof spec,
             "driver=13.0;device=Simulated sm_%d,cc=%d.%d,memory=16GiB", arch,
             arch / 10, arch % 10);
    setenv("VG_CUDASIM", spec, 1);
}

static void open_cuda(void)
{
    char reason[1024] = "";
    if (access(CUDA_PLUGIN, F_OK) != 0)
        cr_skip_test("the CUDA plugin was not built");
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    vg_probe_result probe;
    const vg_plugin *desc = load(CUDA_PLUGIN, &probe);
    if (probe.device_count == 0) {
        /* No GPU here: the same code on the simulator. */
        cr_log_info("no CUDA device (%s): running on the simulator",
                    probe.reason);
        vg_plugin_unload(&plugin);
        simulate_a_gpu_of_this_build(probe.detail);
        desc = load(CUDASIM_PLUGIN, &probe);
        cr_assert_eq(probe.device_count, 1, "simulator: %s", probe.reason);
    }
    const vg_option_value *options = vg_loaded_plugin_options(plugin);

    /* A GPU is here: from now on every failure is a real one. */
    const vg_job_limits limits = {.max_width = 1920, .max_height = 1080};
    int rc = desc->check_device(options, 0, &limits, reason, sizeof reason);
    cr_assert_eq(rc, 0, "capability check: %s", reason);
    cr_log_info("cuda device 0: %s: %s", probe.devices[0].name, reason);
    rc = vg_backend_open(plugin, 0, &limits, &backend, reason, sizeof reason);
    cr_assert_eq(rc, 0, "open: %s", reason);
}

static void close_cuda(void)
{
    vg_backend_close(&backend);
    vg_plugin_unload(&plugin);
    vg_config_destroy(&cfg);
}

TestSuite(cuda_kernels, .init = open_cuda, .fini = close_cuda, .timeout = 300);

/* A host image with PAD guard bytes after every row of every plane. */
static vg_image host_image(vg_pixel_format format, int32_t w, int32_t h,
                           uint32_t seed)
{
    vg_image img = {.format = format, .width = w, .height = h};
    int planes = format == VG_FORMAT_RGBA8 ? 1 : 3;
    for (int p = 0; p < planes; p++) {
        int32_t pw = format == VG_FORMAT_RGBA8 ? 4 * w
                     : p == 0                  ? w
                                               : (w + 1) / 2;
        int32_t ph = p == 0 ? h : (h + 1) / 2;
        img.stride[p] = pw + PAD;
        size_t size = (size_t)img.stride[p] * (size_t)ph;
        img.data[p] = malloc(size);
        cr_assert_not_null(img.data[p]);
        memset(img.data[p], GUARD, size);
        if (seed)
            for (int32_t y = 0; y < ph; y++)
                vgt_fill_random(img.data[p] + (size_t)y * img.stride[p],
                                (size_t)pw, seed + (uint32_t)(p * 7919 + y));
    }
    return img;
}

static void free_image(vg_image *img)
{
    for (int p = 0; p < 3; p++)
        free(img->data[p]);
    memset(img, 0, sizeof *img);
}

/* The image's pixels equal the reference's, and its guards are intact. */
static void expect_same(const char *what, const vg_image *got,
                        const vg_image *want)
{
    int planes = got->format == VG_FORMAT_RGBA8 ? 1 : 3;
    for (int p = 0; p < planes; p++) {
        int32_t ph = p == 0 ? got->height : (got->height + 1) / 2;
        size_t row = (size_t)got->stride[p] - PAD;
        for (int32_t y = 0; y < ph; y++) {
            const uint8_t *g = got->data[p] + (size_t)y * got->stride[p];
            const uint8_t *w = want->data[p] + (size_t)y * want->stride[p];
            cr_assert(memcmp(g, w, row) == 0,
                      "%s %dx%d: plane %d row %d differs from the reference",
                      what, got->width, got->height, p, y);
            for (size_t i = row; i < row + PAD; i++)
                cr_assert_eq(g[i], GUARD, "%s: plane %d row %d: guard hit",
                             what, p, y);
        }
    }
}

static vg_backend_frame *frame(vg_pixel_format format, int32_t w, int32_t h)
{
    vg_backend_frame *f = NULL;
    cr_assert_eq(vg_backend_frame_alloc(backend, format, w, h, &f), 0, "%s",
                 vg_backend_last_error(backend));
    return f;
}

static void upload(vg_backend_frame *f, const vg_image *img)
{
    cr_assert_eq(vg_backend_upload(backend, f, img), 0, "%s",
                 vg_backend_last_error(backend));
}

static void download(const vg_backend_frame *f, const vg_image *img)
{
    cr_assert_eq(vg_backend_download(backend, f, img), 0, "%s",
                 vg_backend_last_error(backend));
}

static const int32_t sizes[][2] = {{1, 1},   {2, 2},    {3, 5},      {17, 9},
                                   {64, 48}, {129, 67}, {1920, 1080}};
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

Test(cuda_kernels, pattern)
{
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        for (uint32_t kind = VG_PATTERN_TESTSRC; kind <= VG_PATTERN_SOLID;
             kind++) {
            vg_pattern_params p = {kind, 1000 + kind, 0x3366ccffu};
            vg_backend_frame *dst = frame(VG_FORMAT_RGBA8, w, h);
            vg_image got = host_image(VG_FORMAT_RGBA8, w, h, 0);
            vg_image want = host_image(VG_FORMAT_RGBA8, w, h, 0);
            cr_assert_eq(vg_backend_fill_pattern(backend, dst, &p), 0, "%s",
                         vg_backend_last_error(backend));
            download(dst, &got);
            vg_ref_pattern(&want, &p, 0, h);
            expect_same("pattern", &got, &want);
            free_image(&got);
            free_image(&want);
            vg_backend_frame_free(backend, &dst);
        }
    }
}

Test(cuda_kernels, warp)
{
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        int32_t sw = w / 2 + 3, sh = h / 3 + 2; /* any source size */
        for (uint32_t edge = VG_EDGE_CLAMP; edge <= VG_EDGE_BORDER; edge++) {
            vg_affine map =
                vg_affine_camera(w, h, 1.7, 23.0, sw / 3.0, sh / 2.0);
            vg_warp_params p;
            cr_assert_eq(
                vg_warp_params_from_affine(&map, w, h, edge, 0x10203040u, &p),
                0);
            vg_image src = host_image(VG_FORMAT_RGBA8, sw, sh, 11);
            vg_image got = host_image(VG_FORMAT_RGBA8, w, h, 0);
            vg_image want = host_image(VG_FORMAT_RGBA8, w, h, 0);
            vg_backend_frame *fs = frame(VG_FORMAT_RGBA8, sw, sh);
            vg_backend_frame *fd = frame(VG_FORMAT_RGBA8, w, h);
            upload(fs, &src);
            cr_assert_eq(vg_backend_warp_affine(backend, fd, fs, &p), 0, "%s",
                         vg_backend_last_error(backend));
            download(fd, &got);
            vg_ref_warp(&want, &src, &p, 0, h);
            expect_same("warp", &got, &want);
            free_image(&src);
            free_image(&got);
            free_image(&want);
            vg_backend_frame_free(backend, &fs);
            vg_backend_frame_free(backend, &fd);
        }
    }
}

Test(cuda_kernels, blend)
{
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        const vg_blend_params modes[] = {
            {VG_BLEND_CROSSFADE, 0, 0},   {VG_BLEND_CROSSFADE, 77, 0},
            {VG_BLEND_CROSSFADE, 256, 0}, {VG_BLEND_ALPHA_OVER, 0, 0},
            {VG_BLEND_WIPE, 0, w / 2},
        };
        vg_image a = host_image(VG_FORMAT_RGBA8, w, h, 21);
        vg_image b = host_image(VG_FORMAT_RGBA8, w, h, 22);
        vg_backend_frame *fa = frame(VG_FORMAT_RGBA8, w, h);
        vg_backend_frame *fb = frame(VG_FORMAT_RGBA8, w, h);
        vg_backend_frame *fd = frame(VG_FORMAT_RGBA8, w, h);
        upload(fa, &a);
        upload(fb, &b);
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            vg_image got = host_image(VG_FORMAT_RGBA8, w, h, 0);
            vg_image want = host_image(VG_FORMAT_RGBA8, w, h, 0);
            cr_assert_eq(vg_backend_blend(backend, fd, fa, fb, &modes[m]), 0,
                         "%s", vg_backend_last_error(backend));
            download(fd, &got);
            vg_ref_blend(&want, &a, &b, &modes[m], 0, h);
            expect_same("blend", &got, &want);
            free_image(&got);
            free_image(&want);
        }
        free_image(&a);
        free_image(&b);
        vg_backend_frame_free(backend, &fa);
        vg_backend_frame_free(backend, &fb);
        vg_backend_frame_free(backend, &fd);
    }
}

Test(cuda_kernels, blur)
{
    const double sigmas[] = {0.4, 1.5, 6.0, VG_BLUR_MAX_SIGMA};
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        vg_image src = host_image(VG_FORMAT_RGBA8, w, h, 31);
        vg_backend_frame *fs = frame(VG_FORMAT_RGBA8, w, h);
        vg_backend_frame *fd = frame(VG_FORMAT_RGBA8, w, h);
        upload(fs, &src);
        for (size_t i = 0; i < sizeof sigmas / sizeof sigmas[0]; i++) {
            vg_blur_params p;
            cr_assert_eq(vg_blur_params_from_sigma(sigmas[i], &p), 0);
            vg_image got = host_image(VG_FORMAT_RGBA8, w, h, 0);
            vg_image want = host_image(VG_FORMAT_RGBA8, w, h, 0);
            void *scratch = aligned_alloc(
                16, (vg_ref_blur_scratch_size(w, h, p.radius) + 15) & ~15u);
            cr_assert_eq(vg_backend_blur(backend, fd, fs, &p), 0, "%s",
                         vg_backend_last_error(backend));
            download(fd, &got);
            vg_ref_blur(&want, &src, &p, 0, h, scratch);
            expect_same("blur", &got, &want);
            free(scratch);
            free_image(&got);
            free_image(&want);
        }
        free_image(&src);
        vg_backend_frame_free(backend, &fs);
        vg_backend_frame_free(backend, &fd);
    }
}

Test(cuda_kernels, color_conversions)
{
    for (size_t s = 0; s < SIZE_COUNT; s++) {
        int32_t w = sizes[s][0], h = sizes[s][1];
        for (int m = VG_MATRIX_BT601; m <= VG_MATRIX_BT709; m++) {
            for (int r = VG_RANGE_LIMITED; r <= VG_RANGE_FULL; r++) {
                vg_color_params cp;
                cr_assert_eq(vg_color_params_init(m, r, &cp), 0);
                vg_image rgba = host_image(VG_FORMAT_RGBA8, w, h, 41);
                vg_image yuv = host_image(VG_FORMAT_I420, w, h, 0);
                vg_image yuv_want = host_image(VG_FORMAT_I420, w, h, 0);
                vg_image back = host_image(VG_FORMAT_RGBA8, w, h, 0);
                vg_image back_want = host_image(VG_FORMAT_RGBA8, w, h, 0);
                vg_backend_frame *fr = frame(VG_FORMAT_RGBA8, w, h);
                vg_backend_frame *fy = frame(VG_FORMAT_I420, w, h);
                vg_backend_frame *fb = frame(VG_FORMAT_RGBA8, w, h);
                upload(fr, &rgba);
                cr_assert_eq(vg_backend_rgba_to_i420(backend, fy, fr, &cp), 0,
                             "%s", vg_backend_last_error(backend));
                cr_assert_eq(vg_backend_i420_to_rgba(backend, fb, fy, &cp), 0,
                             "%s", vg_backend_last_error(backend));
                download(fy, &yuv);
                download(fb, &back);
                vg_ref_rgba_to_i420(&yuv_want, &rgba, &cp, 0, h);
                vg_ref_i420_to_rgba(&back_want, &yuv_want, &cp, 0, h);
                expect_same("rgba_to_i420", &yuv, &yuv_want);
                expect_same("i420_to_rgba", &back, &back_want);
                free_image(&rgba);
                free_image(&yuv);
                free_image(&yuv_want);
                free_image(&back);
                free_image(&back_want);
                vg_backend_frame_free(backend, &fr);
                vg_backend_frame_free(backend, &fy);
                vg_backend_frame_free(backend, &fb);
            }
        }
    }
}

/* Frame f of a small chain: pattern -> blur -> I420, all on the device. */
static void queue_chain(vg_backend_frame *pat, vg_backend_frame *blurred,
                        vg_backend_frame *out, uint32_t f,
                        const vg_blur_params *bp, const vg_color_params *cp)
{
    vg_pattern_params pp = {VG_PATTERN_TESTSRC, f, 0};
    cr_assert_eq(vg_backend_fill_pattern(backend, pat, &pp), 0);
    cr_assert_eq(vg_backend_blur(backend, blurred, pat, bp), 0);
    cr_assert_eq(vg_backend_rgba_to_i420(backend, out, blurred, cp), 0);
}

static void reference_chain(vg_image *want, int32_t w, int32_t h, uint32_t f,
                            const vg_blur_params *bp, const vg_color_params *cp)
{
    vg_pattern_params pp = {VG_PATTERN_TESTSRC, f, 0};
    vg_image pat = host_image(VG_FORMAT_RGBA8, w, h, 0);
    vg_image blurred = host_image(VG_FORMAT_RGBA8, w, h, 0);
    void *scratch = aligned_alloc(
        16, (vg_ref_blur_scratch_size(w, h, bp->radius) + 15) & ~15u);
    vg_ref_pattern(&pat, &pp, 0, h);
    vg_ref_blur(&blurred, &pat, bp, 0, h, scratch);
    vg_ref_rgba_to_i420(want, &blurred, cp, 0, h);
    free(scratch);
    free_image(&pat);
    free_image(&blurred);
}

Test(cuda_kernels, chained_frames_download_while_the_next_is_queued)
{
    const int32_t w = 1280, h = 721;
    vg_blur_params bp;
    vg_color_params cp;
    cr_assert_eq(vg_blur_params_from_sigma(2.0, &bp), 0);
    cr_assert_eq(vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &cp),
                 0);
    vg_backend_frame *pat = frame(VG_FORMAT_RGBA8, w, h);
    vg_backend_frame *blurred = frame(VG_FORMAT_RGBA8, w, h);
    vg_backend_frame *out[2] = {frame(VG_FORMAT_I420, w, h),
                                frame(VG_FORMAT_I420, w, h)};

    queue_chain(pat, blurred, out[0], 0, &bp, &cp);
    for (uint32_t f = 0; f < 6; f++) {
        /* Queue frame f + 1 into the other output, then download frame f:
         * the copy overlaps f + 1's kernels and must still see frame f. */
        queue_chain(pat, blurred, out[(f + 1) % 2], f + 1, &bp, &cp);
        vg_image got = host_image(VG_FORMAT_I420, w, h, 0);
        vg_image want = host_image(VG_FORMAT_I420, w, h, 0);
        download(out[f % 2], &got);
        reference_chain(&want, w, h, f, &bp, &cp);
        expect_same("chain", &got, &want);
        free_image(&got);
        free_image(&want);
    }
    cr_assert_eq(vg_backend_sync(backend), 0);
    vg_backend_frame_free(backend, &pat);
    vg_backend_frame_free(backend, &blurred);
    vg_backend_frame_free(backend, &out[0]);
    vg_backend_frame_free(backend, &out[1]);
}

/*
 * test_cpu_vnni.c - the two AVX-512 blurs, byte for byte against the
 * reference, and the rule that picks between them.
 *
 * The AVX-512 level installs cpu_blur_avx512vnni (vpdpwssd) where the CPU
 * has AVX512-VNNI and cpu_blur_avx512 elsewhere, so the checkasm suite
 * reaches only one of them on a given machine.  This suite calls both
 * directly (each where the CPU can run it), so neither goes untested on a
 * machine that has the other: sizes that are no multiple of any vector
 * width, radius 1 to the largest, the sigmas the core produces and random
 * or extreme symmetric taps, on random, stripes and all-255 images, whole
 * and in row bands, with canary bytes after every row.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_dsp.h"
#include "test_support.h"
#include "vg/params.h"
#include "vg_kernel_cases.h"

#if defined(__x86_64__) || defined(__i386__)
#include "x86/cpu_x86.h"
#define HAVE_X86 1
#else
#define HAVE_X86 0
#endif

#define CANARY 0x5a
#define ROW_SLACK 12 /* canary bytes after each row */

typedef enum fill_kind { FILL_RANDOM, FILL_STRIPES, FILL_MAX } fill_kind;

/* An RGBA8 frame with ROW_SLACK canary bytes after every row. */
static vg_image frame_new(int32_t w, int32_t h)
{
    vg_image img;
    memset(&img, 0, sizeof img);
    img.format = VG_FORMAT_RGBA8;
    img.width = w;
    img.height = h;
    img.stride[0] = 4 * w + ROW_SLACK;
    img.data[0] = malloc((size_t)img.stride[0] * (size_t)h);
    cr_assert(img.data[0]);
    memset(img.data[0], CANARY, (size_t)img.stride[0] * (size_t)h);
    return img;
}

static void frame_fill(vg_image *img, fill_kind kind, uint32_t seed)
{
    uint32_t s = seed | 1u;
    for (int32_t y = 0; y < img->height; y++) {
        uint8_t *row = img->data[0] + (size_t)y * (size_t)img->stride[0];
        for (int32_t i = 0; i < 4 * img->width; i++)
            row[i] = kind == FILL_RANDOM    ? (uint8_t)vgt_rng_next(&s)
                     : kind == FILL_STRIPES ? (((i / 4 + y) & 1) ? 255 : 0)
                                            : 255;
    }
}

/* blur's output for `p` equals the reference's, in 1 and in 3 bands, and
 * no canary byte after a row changed. */
static void check_case(vg_blur_fn blur, const char *name, int32_t w, int32_t h,
                       fill_kind fill, const vg_blur_params *p, uint32_t seed)
{
    vg_image src = frame_new(w, h), want = frame_new(w, h);
    frame_fill(&src, fill, seed);
    size_t scratch_size =
        (cpu_blur_scratch_size(w, h, p->radius) + 63) / 64 * 64;
    void *scratch = aligned_alloc(64, scratch_size);
    cr_assert(scratch);
    vg_ref_blur(&want, &src, p, 0, h, scratch);
    for (int bands = 1; bands <= 3; bands += 2) {
        vg_image got = frame_new(w, h);
        for (int b = 0; b < bands; b++) {
            int32_t y0 = (int32_t)((int64_t)h * b / bands);
            int32_t y1 = (int32_t)((int64_t)h * (b + 1) / bands);
            blur(&got, &src, p, y0, y1, scratch);
        }
        for (int32_t y = 0; y < h; y++) {
            const uint8_t *g = got.data[0] + (size_t)y * (size_t)got.stride[0];
            const uint8_t *r =
                want.data[0] + (size_t)y * (size_t)want.stride[0];
            for (int32_t i = 0; i < 4 * w; i++)
                cr_assert_eq(g[i], r[i],
                             "%s radius %d, %dx%d, fill %d, %d bands: row %d "
                             "byte %d is %d, the reference %d",
                             name, p->radius, w, h, (int)fill, bands, y, i,
                             g[i], r[i]);
            for (int32_t i = 4 * w; i < got.stride[0]; i++)
                cr_assert_eq(g[i], CANARY,
                             "%s radius %d, %dx%d: wrote past row %d", name,
                             p->radius, w, h, y);
        }
        free(got.data[0]);
    }
    free(scratch);
    free(src.data[0]);
    free(want.data[0]);
}

static void check_blur(vg_blur_fn blur, const char *name)
{
    static const int32_t sizes[][2] = {{1, 1},  {3, 5},   {17, 9},  {33, 31},
                                       {64, 2}, {97, 70}, {129, 6}, {1920, 8}};
    static const double sigmas[] = {0.3, 1.0, 3.0, 10.5, 21.0};
    uint32_t seed = 7;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int32_t w = sizes[i][0], h = sizes[i][1];
        for (size_t k = 0; k < sizeof sigmas / sizeof sigmas[0]; k++) {
            vg_blur_params p;
            cr_assert(vg_blur_params_from_sigma(sigmas[k], &p) == 0);
            check_case(blur, name, w, h, (fill_kind)((i + k) % 3), &p,
                       vgt_rng_next(&seed));
        }
        vg_blur_params p;
        vg_kc_random_blur_taps(
            &p, 1 + (int32_t)(vgt_rng_next(&seed) % VG_BLUR_MAX_RADIUS), &seed,
            0);
        check_case(blur, name, w, h, FILL_RANDOM, &p, vgt_rng_next(&seed));
        vg_kc_random_blur_taps(&p, VG_BLUR_MAX_RADIUS, &seed, 1);
        check_case(blur, name, w, h, FILL_MAX, &p, vgt_rng_next(&seed));
        vg_kc_random_blur_taps(&p, 1, &seed, 1);
        check_case(blur, name, w, h, FILL_STRIPES, &p, vgt_rng_next(&seed));
    }
}

Test(cpu_vnni, plain_avx512_blur_matches_the_reference)
{
#if HAVE_X86
    if (!cpu_isa_available(CPU_ISA_AVX512))
        cr_skip_test("this CPU lacks avx512");
    check_blur(cpu_blur_avx512, "avx512");
#else
    cr_skip_test("x86 only");
#endif
}

Test(cpu_vnni, vnni_blur_matches_the_reference)
{
#if HAVE_X86
    if (!cpu_isa_available(CPU_ISA_AVX512) || !cpu_x86_has_avx512vnni())
        cr_skip_test("this CPU lacks avx512 with vnni");
    check_blur(cpu_blur_avx512vnni, "avx512vnni");
#else
    cr_skip_test("x86 only");
#endif
}

/* The AVX-512 level's blur is the VNNI one exactly where the CPU has VNNI,
 * and the levels below never take it. */
Test(cpu_vnni, the_avx512_level_picks_the_blur_by_the_cpu)
{
#if HAVE_X86
    if (!cpu_isa_available(CPU_ISA_AVX512))
        cr_skip_test("this CPU lacks avx512");
    cpu_dsp dsp;
    cpu_dsp_init(&dsp, CPU_ISA_AVX512);
    if (cpu_x86_has_avx512vnni())
        cr_assert(dsp.blur == cpu_blur_avx512vnni,
                  "this CPU has vnni: the avx512 level must use its blur");
    else
        cr_assert(dsp.blur == cpu_blur_avx512,
                  "this CPU lacks vnni: the avx512 level must keep the "
                  "plain blur");
    cpu_dsp_init(&dsp, CPU_ISA_AVX2);
    cr_assert(dsp.blur == cpu_blur_avx2);
#else
    cr_skip_test("x86 only");
#endif
}

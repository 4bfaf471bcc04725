/*
 * test_color_exhaustive.c - the SIMD colour conversions on every input
 * byte combination, byte for byte against the reference.
 *
 * The x86 I420 -> RGBA kernels split each 32-bit sum of vg/pixel_math.h
 * into a quotient and a remainder word and add them in 16-bit lanes
 * (x86/color_tmpl.c).  That is exact by construction; this suite checks it
 * on all 2^24 (Y, U, V) triples rather than on samples: 16 frames of
 * 4096 x 256 in which every 2x2 block carries one (U, V) pair and four
 * consecutive Y values, so each triple occurs exactly once, for each
 * matrix and range and for random coefficient sets (|c| < 2^15, any
 * offset: what the header allows).  RGBA -> I420 is run on all 2^24
 * (R, G, B) triples the same way (its luma is exhaustive; its chroma sees
 * 4M distinct blocks).  Every level this CPU has is checked; checkasm
 * covers the sizes, strides, bands and guard bytes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_dsp.h"
#include "test_support.h"
#include "vg/params.h"

#define FRAME_W 4096
#define FRAME_H 256
#define FRAMES 16 /* FRAMES * FRAME_W * FRAME_H == 2^24 */

static vg_image image_new(vg_pixel_format format)
{
    vg_image img;
    memset(&img, 0, sizeof img);
    img.format = format;
    img.width = FRAME_W;
    img.height = FRAME_H;
    if (format == VG_FORMAT_RGBA8) {
        img.stride[0] = 4 * FRAME_W;
        img.data[0] = malloc((size_t)img.stride[0] * FRAME_H);
        cr_assert(img.data[0]);
        return img;
    }
    img.stride[0] = FRAME_W;
    img.stride[1] = img.stride[2] = FRAME_W / 2;
    img.data[0] = malloc((size_t)FRAME_W * FRAME_H);
    img.data[1] = malloc((size_t)FRAME_W / 2 * FRAME_H / 2);
    img.data[2] = malloc((size_t)FRAME_W / 2 * FRAME_H / 2);
    cr_assert(img.data[0] && img.data[1] && img.data[2]);
    return img;
}

static void image_delete(vg_image *img)
{
    for (int p = 0; p < 3; p++)
        free(img->data[p]);
    memset(img, 0, sizeof *img);
}

static size_t plane_bytes(const vg_image *img, int p)
{
    int32_t rows = p == 0 ? img->height : img->height / 2;
    return (size_t)img->stride[p] * (size_t)rows;
}

/* Frame f of the I420 set: block i = f * blocks + cy * (W / 2) + cx has
 * U = i & 255, V = (i >> 8) & 255 and luma 4 (i >> 16) + 0..3. */
static void fill_yuv(vg_image *img, uint32_t f)
{
    const uint32_t cw = FRAME_W / 2, ch = FRAME_H / 2;
    for (uint32_t cy = 0; cy < ch; cy++) {
        uint8_t *y0 = img->data[0] + (size_t)(2 * cy) * FRAME_W;
        uint8_t *y1 = y0 + FRAME_W;
        for (uint32_t cx = 0; cx < cw; cx++) {
            uint32_t i = f * cw * ch + cy * cw + cx;
            uint8_t luma = (uint8_t)(4 * (i >> 16));
            img->data[1][cy * cw + cx] = (uint8_t)(i & 255);
            img->data[2][cy * cw + cx] = (uint8_t)((i >> 8) & 255);
            y0[2 * cx] = luma;
            y0[2 * cx + 1] = (uint8_t)(luma + 1);
            y1[2 * cx] = (uint8_t)(luma + 2);
            y1[2 * cx + 1] = (uint8_t)(luma + 3);
        }
    }
}

/* Frame f of the RGBA set: pixel i = f * W * H + y * W + x has R = i & 255,
 * G = (i >> 8) & 255, B = i >> 16 and alpha from i (ignored by the kernel). */
static void fill_rgba(vg_image *img, uint32_t f)
{
    for (uint32_t y = 0; y < FRAME_H; y++)
        for (uint32_t x = 0; x < FRAME_W; x++) {
            uint32_t i = f * FRAME_W * FRAME_H + y * FRAME_W + x;
            uint8_t *px = img->data[0] + 4 * ((size_t)y * FRAME_W + x);
            px[0] = (uint8_t)(i & 255);
            px[1] = (uint8_t)((i >> 8) & 255);
            px[2] = (uint8_t)(i >> 16);
            px[3] = (uint8_t)(i * 2654435761u >> 24);
        }
}

/* The coefficient sets: both matrices in both ranges, then random ones. */
#define STANDARD_SETS 4
#define RANDOM_SETS 3

static void coefficient_set(int n, vg_color_params *p, char *label,
                            size_t label_size)
{
    if (n < STANDARD_SETS) {
        vg_color_matrix m = n < 2 ? VG_MATRIX_BT601 : VG_MATRIX_BT709;
        vg_color_range r = n % 2 ? VG_RANGE_FULL : VG_RANGE_LIMITED;
        cr_assert_eq(vg_color_params_init(m, r, p), 0);
        snprintf(label, label_size, "%s %s range",
                 m == VG_MATRIX_BT601 ? "BT.601" : "BT.709",
                 r == VG_RANGE_FULL ? "full" : "limited");
        return;
    }
    /* the first random set takes the extremes, where sums are largest */
    uint32_t s = 0x9e3779b9u * (uint32_t)n;
    int32_t *c[] = {&p->y_r, &p->y_g, &p->y_b, &p->u_r, &p->u_g,
                    &p->u_b, &p->v_r, &p->v_g, &p->v_b, &p->y_scale,
                    &p->r_v, &p->g_u, &p->g_v, &p->b_u};
    memset(p, 0, sizeof *p);
    p->matrix = VG_MATRIX_BT601;
    p->range = VG_RANGE_FULL;
    int extreme = n == STANDARD_SETS;
    p->y_offset = extreme ? 255 : (int32_t)(vgt_rng_next(&s) % 256);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        *c[i] = extreme ? (i % 2 ? -32767 : 32767)
                        : (int32_t)(vgt_rng_next(&s) % 65535) - 32767;
    snprintf(label, label_size, "random set %d (y_offset %d, y_scale %d)", n,
             p->y_offset, p->y_scale);
}

/* Whether the planes match; if not, the first differing byte k of plane p
 * in *at and "plane p byte k: ..." in msg. */
static int same_planes(const vg_image *a, const vg_image *b, int planes,
                       size_t *at, char *msg, size_t msg_size)
{
    for (int p = 0; p < planes; p++) {
        size_t n = plane_bytes(a, p);
        if (memcmp(a->data[p], b->data[p], n) == 0)
            continue;
        size_t k = 0;
        while (a->data[p][k] == b->data[p][k])
            k++;
        *at = k;
        snprintf(msg, msg_size, "plane %d byte %zu: want %u, got %u", p, k,
                 a->data[p][k], b->data[p][k]);
        return 0;
    }
    return 1;
}

/* The SIMD levels this CPU has, each with its own kernels. */
static int simd_levels(cpu_isa out[3], cpu_dsp dsp[3])
{
    static const cpu_isa levels[] = {CPU_ISA_SSE41, CPU_ISA_AVX2,
                                     CPU_ISA_AVX512};
    int n = 0;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        if (!cpu_isa_available(levels[i]))
            continue;
        out[n] = levels[i];
        cpu_dsp_init(&dsp[n], levels[i]);
        cr_assert(dsp[n].i420_to_rgba != vg_ref_i420_to_rgba &&
                      dsp[n].rgba_to_i420 != vg_ref_rgba_to_i420,
                  "%s has its own conversions", cpu_isa_names[levels[i]]);
        n++;
    }
    if (n == 0)
        cr_skip_test("no x86 SIMD level on this CPU");
    return n;
}

/* Each set's reference output is computed once and every level compared
 * with it. */
Test(color_exhaustive, i420_to_rgba_every_yuv_triple, .timeout = 300)
{
    cpu_isa isa[3];
    cpu_dsp dsp[3];
    int levels = simd_levels(isa, dsp);
    vg_image yuv = image_new(VG_FORMAT_I420);
    vg_image want = image_new(VG_FORMAT_RGBA8);
    vg_image got = image_new(VG_FORMAT_RGBA8);
    for (uint32_t f = 0; f < FRAMES; f++) {
        fill_yuv(&yuv, f);
        for (int n = 0; n < STANDARD_SETS + RANDOM_SETS; n++) {
            vg_color_params p;
            char label[96], msg[128];
            coefficient_set(n, &p, label, sizeof label);
            vg_ref_i420_to_rgba(&want, &yuv, &p, 0, FRAME_H);
            for (int l = 0; l < levels; l++) {
                memset(got.data[0], 0xa5, plane_bytes(&got, 0));
                dsp[l].i420_to_rgba(&got, &yuv, &p, 0, FRAME_H);
                size_t px = 0;
                if (same_planes(&want, &got, 1, &px, msg, sizeof msg))
                    continue;
                px /= 4;
                size_t x = px % FRAME_W, y = px / FRAME_W;
                size_t c = y / 2 * (FRAME_W / 2) + x / 2;
                cr_assert_fail("I420 -> RGBA %s, %s: Y %u U %u V %u: %s",
                               cpu_isa_names[isa[l]], label,
                               yuv.data[0][y * FRAME_W + x], yuv.data[1][c],
                               yuv.data[2][c], msg);
            }
        }
    }
    image_delete(&yuv);
    image_delete(&want);
    image_delete(&got);
}

Test(color_exhaustive, rgba_to_i420_every_rgb_triple, .timeout = 300)
{
    cpu_isa isa[3];
    cpu_dsp dsp[3];
    int levels = simd_levels(isa, dsp);
    vg_image rgba = image_new(VG_FORMAT_RGBA8);
    vg_image want = image_new(VG_FORMAT_I420);
    vg_image got = image_new(VG_FORMAT_I420);
    for (uint32_t f = 0; f < FRAMES; f++) {
        fill_rgba(&rgba, f);
        for (int n = 0; n < STANDARD_SETS + RANDOM_SETS; n++) {
            vg_color_params p;
            char label[96], msg[128];
            coefficient_set(n, &p, label, sizeof label);
            vg_ref_rgba_to_i420(&want, &rgba, &p, 0, FRAME_H);
            for (int l = 0; l < levels; l++) {
                for (int pl = 0; pl < 3; pl++)
                    memset(got.data[pl], 0xa5, plane_bytes(&got, pl));
                dsp[l].rgba_to_i420(&got, &rgba, &p, 0, FRAME_H);
                size_t at = 0;
                int same = same_planes(&want, &got, 3, &at, msg, sizeof msg);
                cr_assert(same, "RGBA -> I420 %s, %s, frame %u: %s",
                          cpu_isa_names[isa[l]], label, f, msg);
            }
        }
    }
    image_delete(&rgba);
    image_delete(&want);
    image_delete(&got);
}

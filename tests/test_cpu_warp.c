/*
 * test_cpu_warp.c - the axis-aligned warp's large-frame paths, byte for byte
 * against the reference at every x86 level.
 *
 * The checkasm suite covers every map at many sizes, but its frames end at
 * a guard page, so their rows are rarely aligned to a vector.  The
 * axis-aligned warp writes destinations of 4 MiB and more with streaming
 * stores where a row is aligned for them, a plain store where it is not,
 * and finishes each row's last partial vector through a bounce buffer.
 * This suite runs those paths on purpose: large frames whose rows are
 * 64-byte aligned and frames whose rows are not, widths that are no
 * multiple of any vector width, maps that run off the source on both sides
 * (clamped columns are part of the vector loop), upscales (source rows
 * shared between destination rows) and downscales (not shared), whole and
 * in row bands, with canary bytes after every row.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_dsp.h"
#include "test_support.h"

#if defined(__x86_64__) || defined(__i386__)
#include "x86/cpu_x86.h"
#define HAVE_X86 1
#else
#define HAVE_X86 0
#endif

#define CANARY 0x5a

/* An RGBA8 frame whose rows start `misalign` bytes past a 64-byte boundary
 * and are followed by at least 64 canary bytes; `alloc` is what to free. */
typedef struct frame {
    vg_image img;
    void *alloc;
} frame;

static frame frame_new(int32_t w, int32_t h, int32_t misalign)
{
    frame f;
    memset(&f, 0, sizeof f);
    f.img.format = VG_FORMAT_RGBA8;
    f.img.width = w;
    f.img.height = h;
    f.img.stride[0] = (4 * w + 63) / 64 * 64 + 64;
    size_t size = (size_t)f.img.stride[0] * (size_t)h + 64;
    f.alloc = aligned_alloc(64, size);
    cr_assert(f.alloc, "aligned_alloc of %zu bytes failed", size);
    memset(f.alloc, CANARY, size);
    f.img.data[0] = (uint8_t *)f.alloc + misalign;
    return f;
}

static void frame_fill(frame *f, uint32_t seed)
{
    uint32_t s = seed | 1u;
    for (int32_t y = 0; y < f->img.height; y++) {
        uint8_t *row = f->img.data[0] + (size_t)y * (size_t)f->img.stride[0];
        for (int32_t i = 0; i < 4 * f->img.width; i++)
            row[i] = (uint8_t)vgt_rng_next(&s);
    }
}

typedef struct warp_case {
    const char *what;
    int32_t src_w, src_h, dst_w, dst_h;
    double step_x, step_y;   /* source pixels per destination pixel */
    double start_x, start_y; /* source position of destination (0, 0) */
    uint32_t edge;
} warp_case;

/* The destinations are at least 4 MiB (1100 x 1000 RGBA with its padding):
 * large enough to stream. */
static const warp_case cases[] = {
    {"upscale, off both sides", 733, 411, 1100, 1000, 733.0 / 1100,
     411.0 / 1000, -2.3, -1.6, VG_EDGE_CLAMP},
    {"upscale, border", 733, 411, 1100, 1000, 733.0 / 1100, 411.0 / 1000, -2.3,
     -1.6, VG_EDGE_BORDER},
    {"downscale (rows not shared)", 1990, 2100, 1100, 1000, 1.8, 2.05, -0.4,
     0.6, VG_EDGE_CLAMP},
    {"pan far off the source", 500, 300, 1100, 1000, 1.0, 0.5, -300.25, -20.5,
     VG_EDGE_CLAMP},
    {"flip", 900, 700, 1100, 1000, -0.75, 0.7, 899.6, 0.2, VG_EDGE_CLAMP},
};

static int32_t fixed(double v)
{
    return (int32_t)(v * 65536.0 + (v < 0 ? -0.5 : 0.5));
}

/* warp's output for case `c` equals the reference's, whole and in 3
 * bands, and no canary byte after a row changed. */
static void check_case(vg_warp_fn warp, const char *level, const warp_case *c,
                       int32_t misalign)
{
    vg_warp_params p;
    memset(&p, 0, sizeof p);
    p.u0 = fixed(c->start_x);
    p.v0 = fixed(c->start_y);
    p.du_dx = fixed(c->step_x);
    p.dv_dy = fixed(c->step_y);
    p.edge = c->edge;
    p.border_rgba = 0x20408060u;

    frame src = frame_new(c->src_w, c->src_h, 0);
    frame want = frame_new(c->dst_w, c->dst_h, 0);
    frame_fill(&src, (uint32_t)c->src_w * 31u + (uint32_t)c->dst_h);
    vg_ref_warp(&want.img, &src.img, &p, 0, c->dst_h);
    for (int bands = 1; bands <= 3; bands += 2) {
        frame got = frame_new(c->dst_w, c->dst_h, misalign);
        for (int b = 0; b < bands; b++) {
            int32_t y0 = (int32_t)((int64_t)c->dst_h * b / bands);
            int32_t y1 = (int32_t)((int64_t)c->dst_h * (b + 1) / bands);
            warp(&got.img, &src.img, &p, y0, y1);
        }
        for (int32_t y = 0; y < c->dst_h; y++) {
            const uint8_t *g =
                got.img.data[0] + (size_t)y * (size_t)got.img.stride[0];
            const uint8_t *r =
                want.img.data[0] + (size_t)y * (size_t)want.img.stride[0];
            for (int32_t i = 0; i < 4 * c->dst_w; i++)
                cr_assert_eq(g[i], r[i],
                             "%s, %s, rows %d bytes off a 64-byte boundary, %d "
                             "bands: row %d byte %d is %d, the reference %d",
                             level, c->what, misalign, bands, y, i, g[i], r[i]);
            for (int32_t i = 4 * c->dst_w; i < got.img.stride[0] - misalign;
                 i++)
                cr_assert_eq(g[i], CANARY,
                             "%s, %s, %d bands: wrote byte %d past row %d",
                             level, c->what, bands, i - 4 * c->dst_w, y);
        }
        free(got.alloc);
    }
    free(src.alloc);
    free(want.alloc);
}

static void check_level(vg_warp_fn warp, const char *level)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_case(warp, level, &cases[i], 0);
        check_case(warp, level, &cases[i], 4);
    }
}

Test(cpu_warp, sse41_large_frames_match_the_reference)
{
#if HAVE_X86
    if (!cpu_isa_available(CPU_ISA_SSE41))
        cr_skip_test("this CPU lacks sse41");
    check_level(cpu_warp_sse41, "sse41");
#else
    cr_skip_test("x86 only");
#endif
}

Test(cpu_warp, avx2_large_frames_match_the_reference)
{
#if HAVE_X86
    if (!cpu_isa_available(CPU_ISA_AVX2))
        cr_skip_test("this CPU lacks avx2");
    check_level(cpu_warp_avx2, "avx2");
#else
    cr_skip_test("x86 only");
#endif
}

Test(cpu_warp, avx512_large_frames_match_the_reference)
{
#if HAVE_X86
    if (!cpu_isa_available(CPU_ISA_AVX512))
        cr_skip_test("this CPU lacks avx512");
    check_level(cpu_warp_avx512, "avx512");
#else
    cr_skip_test("x86 only");
#endif
}

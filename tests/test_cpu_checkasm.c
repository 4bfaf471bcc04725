/*
 * test_cpu_checkasm.c - every CPU kernel at every ISA level, byte for byte
 * against the reference, in the manner of dav1d's checkasm.
 *
 * For each kernel and level: many sizes (1x1, odd widths and heights,
 * widths that are no multiple of any vector width, the largest allowed
 * width and height), packed and padded strides, seeded random images plus
 * worst cases (all 0, all 255, 0/255 stripes, extreme alpha), and the
 * parameter corners (weights 0 and 256, radius 1 and 64, maps that leave
 * the source, both edge modes).  Every buffer sits in guard bytes with an
 * unreadable page right after its last row: a write outside the frame is
 * reported as a mismatch in the guard, a read past the end crashes.  Frames
 * are also rendered in several row bands, as the thread pool does.
 * A level the CPU lacks is skipped, saying so.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu_dsp.h"
#include "vg/params.h"
#include "vg/pixel_math.h"

#define GUARD_BYTE 0xa5
#define LEAD_BYTES 64

/* ------------------------------------------------------------------------ */
/* Random numbers and guarded frames                                        */
/* ------------------------------------------------------------------------ */

static uint32_t rng_next(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static int32_t rng_range(uint32_t *s, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(rng_next(s) % (uint32_t)(hi - lo + 1));
}

typedef struct plane_map {
    uint8_t *map;    /* the mapping: guard bytes, rows, unreadable page */
    size_t map_size; /* the readable part */
    int32_t row_bytes, rows;
} plane_map;

typedef struct frame {
    vg_image img;
    plane_map planes[3];
    int count;
} frame;

/* A w x h frame whose rows are `pad` bytes longer than needed, preceded
 * by LEAD_BYTES of guard and ending exactly at a PROT_NONE page. */
static void frame_alloc(frame *f, vg_pixel_format format, int32_t w, int32_t h,
                        int32_t pad)
{
    memset(f, 0, sizeof *f);
    f->img.format = format;
    f->img.width = w;
    f->img.height = h;
    f->count = format == VG_FORMAT_I420 ? 3 : 1;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (int p = 0; p < f->count; p++) {
        plane_map *m = &f->planes[p];
        int chroma = p > 0;
        m->row_bytes = format == VG_FORMAT_RGBA8 ? 4 * w
                       : chroma                  ? (w + 1) / 2
                                                 : w;
        m->rows = chroma ? (h + 1) / 2 : h;
        int32_t stride = m->row_bytes + pad;
        size_t used = LEAD_BYTES + (size_t)stride * (size_t)(m->rows - 1) +
                      (size_t)m->row_bytes;
        m->map_size = (used + page - 1) / page * page;
        m->map = mmap(NULL, m->map_size + page, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        cr_assert(m->map != MAP_FAILED, "mmap of %zu bytes failed",
                  m->map_size + page);
        cr_assert(mprotect(m->map + m->map_size, page, PROT_NONE) == 0);
        memset(m->map, GUARD_BYTE, m->map_size);
        f->img.data[p] = m->map + m->map_size - (used - LEAD_BYTES);
        f->img.stride[p] = stride;
    }
}

static void frame_free(frame *f)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (int p = 0; p < f->count; p++)
        munmap(f->planes[p].map, f->planes[p].map_size + page);
    memset(f, 0, sizeof *f);
}

typedef enum fill_kind {
    FILL_RANDOM,
    FILL_ZERO,
    FILL_MAX,
    FILL_STRIPES, /* 0 and 255 alternating by byte, inverted every row */
    FILL_RANDOM_EXTREMES, /* random bytes, each 0, 1, 254 or 255 */
    FILL_KINDS
} fill_kind;

static const char *const fill_names[] = {"random", "zero", "max", "stripes",
                                         "extremes"};

static void frame_fill(frame *f, fill_kind kind, uint32_t seed)
{
    static const uint8_t extremes[4] = {0, 1, 254, 255};
    uint32_t s = seed | 1u;
    for (int p = 0; p < f->count; p++) {
        const plane_map *m = &f->planes[p];
        for (int32_t y = 0; y < m->rows; y++) {
            uint8_t *row =
                f->img.data[p] + (size_t)y * (size_t)f->img.stride[p];
            for (int32_t i = 0; i < m->row_bytes; i++) {
                uint8_t v = 0;
                switch (kind) {
                case FILL_RANDOM:
                    v = (uint8_t)rng_next(&s);
                    break;
                case FILL_ZERO:
                    v = 0;
                    break;
                case FILL_MAX:
                    v = 255;
                    break;
                case FILL_STRIPES:
                    v = ((i + y) & 1) ? 255 : 0;
                    break;
                default:
                    v = extremes[rng_next(&s) & 3];
                    break;
                }
                row[i] = v;
            }
        }
    }
}

/* Compare two frames' whole mappings (guards included).  Returns 1 when
 * equal, else describes the first difference in msg. */
static int frame_same(const frame *want, const frame *got, char *msg,
                      size_t msg_size)
{
    for (int p = 0; p < want->count; p++) {
        const plane_map *a = &want->planes[p], *b = &got->planes[p];
        if (memcmp(a->map, b->map, a->map_size) == 0)
            continue;
        size_t i = 0;
        while (a->map[i] == b->map[i])
            i++;
        ptrdiff_t off = (a->map + i) - want->img.data[p];
        int32_t stride = want->img.stride[p];
        if (off < 0) {
            snprintf(msg, msg_size,
                     "plane %d: wrote %td bytes before the first row", p, -off);
            return 0;
        }
        int32_t y = (int32_t)(off / stride), x = (int32_t)(off % stride);
        snprintf(msg, msg_size,
                 "plane %d row %d byte %d%s: reference %u, got %u", p, y, x,
                 x >= a->row_bytes ? " (guard past the row)" : "", a->map[i],
                 b->map[i]);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Levels and cases                                                         */
/* ------------------------------------------------------------------------ */

static void level_init(cpu_dsp *dsp, cpu_isa isa)
{
    if (!cpu_isa_available(isa))
        cr_skip_test("this CPU lacks %s (best level here: %s)",
                     cpu_isa_names[isa], cpu_isa_names[cpu_detect_isa()]);
    cpu_dsp_init(dsp, isa);
}

/* Frame sizes: odd and even, below, at and past every vector width (4, 8
 * and 16 pixels; 64 bytes), and the largest allowed dimensions. */
static const int32_t sizes[][2] = {
    {1, 1},   {2, 1},   {1, 2},    {2, 2},   {3, 5},  {4, 4},   {7, 3},
    {8, 2},   {9, 9},   {15, 7},   {16, 4},  {17, 9}, {31, 17}, {32, 3},
    {33, 31}, {63, 5},  {64, 2},   {65, 7},  {95, 4}, {127, 3}, {129, 6},
    {255, 3}, {257, 5}, {1000, 3}, {80, 64},
};
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])
static const int32_t big_sizes[][2] = {{VG_MAX_DIMENSION, 2},
                                       {3, VG_MAX_DIMENSION}};

/* Row bands to render a frame in: 1, 2 or 3, at seeded cut points,
 * multiples of `align`. */
static int bands_of(int32_t h, int32_t align, int variant, int32_t cuts[4])
{
    uint32_t s = (uint32_t)h * 7919u + (uint32_t)variant + 1u;
    int n = (int)((unsigned)variant % 3u) + 1;
    cuts[0] = 0;
    for (int i = 1; i < n; i++) {
        int32_t c = rng_range(&s, cuts[i - 1], h) / align * align;
        cuts[i] = c < cuts[i - 1] ? cuts[i - 1] : c;
    }
    cuts[n] = h;
    return n;
}

/* ------------------------------------------------------------------------ */
/* Kernels                                                                  */
/* ------------------------------------------------------------------------ */

static void check_pattern_case(const cpu_dsp *dsp, cpu_isa isa, int32_t w,
                               int32_t h, int32_t pad,
                               const vg_pattern_params *p, int variant)
{
    frame want, got;
    frame_alloc(&want, VG_FORMAT_RGBA8, w, h, pad);
    frame_alloc(&got, VG_FORMAT_RGBA8, w, h, pad);
    vg_ref_pattern(&want.img, p, 0, h);
    int32_t cuts[4];
    int n = bands_of(h, 1, variant, cuts);
    for (int b = 0; b < n; b++)
        dsp->pattern(&got.img, p, cuts[b], cuts[b + 1]);
    char msg[256];
    int same = frame_same(&want, &got, msg, sizeof msg);
    frame_free(&want);
    frame_free(&got);
    cr_assert(same, "pattern %s kind %u frame %u, %dx%d pad %d, %d bands: %s",
              cpu_isa_names[isa], p->kind, p->frame_index, w, h, pad, n, msg);
}

static void check_pattern(cpu_isa isa)
{
    cpu_dsp dsp;
    level_init(&dsp, isa);
    static const uint32_t frames[] = {0, 1, 7, 100, 12345, 0xffffffffu};
    uint32_t seed = 1;
    for (uint32_t kind = 1; kind <= 4; kind++) {
        for (size_t i = 0; i < SIZE_COUNT; i++) {
            for (size_t f = 0; f < sizeof frames / sizeof frames[0]; f++) {
                vg_pattern_params p = {.kind = kind,
                                       .frame_index = frames[f],
                                       .rgba = rng_next(&seed)};
                check_pattern_case(&dsp, isa, sizes[i][0], sizes[i][1],
                                   (int32_t)(i % 3) * 20, &p, (int)(i + f));
            }
        }
        vg_pattern_params p = {.kind = kind, .frame_index = 77, .rgba = 0};
        check_pattern_case(&dsp, isa, 1920, 1080, 0, &p, 1);
        check_pattern_case(&dsp, isa, 723, 405, 36, &p, 2);
        for (size_t i = 0; i < 2; i++)
            check_pattern_case(&dsp, isa, big_sizes[i][0], big_sizes[i][1], 4,
                               &p, 2);
    }
}

static void check_blend_case(const cpu_dsp *dsp, cpu_isa isa, int32_t w,
                             int32_t h, int32_t pad, fill_kind fill,
                             const vg_blend_params *p, uint32_t seed)
{
    frame a, b, want, got;
    frame_alloc(&a, VG_FORMAT_RGBA8, w, h, pad);
    frame_alloc(&b, VG_FORMAT_RGBA8, w, h, pad + 4);
    frame_alloc(&want, VG_FORMAT_RGBA8, w, h, pad + 8);
    frame_alloc(&got, VG_FORMAT_RGBA8, w, h, pad + 8);
    frame_fill(&a, fill, seed);
    frame_fill(&b, fill == FILL_STRIPES ? FILL_RANDOM : fill, seed * 3 + 1);
    vg_ref_blend(&want.img, &a.img, &b.img, p, 0, h);
    int32_t cuts[4];
    int n = bands_of(h, 1, (int)seed, cuts);
    for (int i = 0; i < n; i++)
        dsp->blend(&got.img, &a.img, &b.img, p, cuts[i], cuts[i + 1]);
    char msg[256];
    int same = frame_same(&want, &got, msg, sizeof msg);
    frame_free(&a);
    frame_free(&b);
    frame_free(&want);
    frame_free(&got);
    cr_assert(same,
              "blend %s mode %u weight %u position %d, %dx%d pad %d, %s: %s",
              cpu_isa_names[isa], p->mode, p->weight, p->position, w, h, pad,
              fill_names[fill], msg);
}

static void check_blend(cpu_isa isa)
{
    cpu_dsp dsp;
    level_init(&dsp, isa);
    static const uint32_t weights[] = {0, 1, 2, 127, 128, 129, 255, 256};
    uint32_t seed = 7;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        int32_t w = sizes[i][0], h = sizes[i][1], pad = (int32_t)(i % 4) * 12;
        for (fill_kind fill = 0; fill < FILL_KINDS; fill++) {
            for (size_t k = 0; k < sizeof weights / sizeof weights[0]; k++) {
                vg_blend_params p = {.mode = VG_BLEND_CROSSFADE,
                                     .weight = weights[k]};
                check_blend_case(&dsp, isa, w, h, pad, fill, &p,
                                 rng_next(&seed));
            }
            vg_blend_params over = {.mode = VG_BLEND_ALPHA_OVER};
            check_blend_case(&dsp, isa, w, h, pad, fill, &over,
                             rng_next(&seed));
            int32_t positions[] = {0, 1, w / 2, w - 1, w};
            for (size_t k = 0; k < 5; k++) {
                vg_blend_params p = {.mode = VG_BLEND_WIPE,
                                     .position = positions[k]};
                check_blend_case(&dsp, isa, w, h, pad, fill, &p,
                                 rng_next(&seed));
            }
        }
    }
    for (size_t i = 0; i < 2; i++) {
        vg_blend_params p = {.mode = VG_BLEND_CROSSFADE, .weight = 77};
        check_blend_case(&dsp, isa, big_sizes[i][0], big_sizes[i][1], 0,
                         FILL_RANDOM, &p, 3);
        vg_blend_params over = {.mode = VG_BLEND_ALPHA_OVER};
        check_blend_case(&dsp, isa, big_sizes[i][0], big_sizes[i][1], 0,
                         FILL_RANDOM, &over, 5);
    }
}

/* Valid random taps: symmetric, non-negative, summing to 16384. */
static void random_taps(vg_blur_params *p, int32_t radius, uint32_t *s,
                        int extreme)
{
    memset(p, 0, sizeof *p);
    p->radius = radius;
    int32_t side = 0;
    for (int32_t k = 0; k < radius; k++) {
        int32_t room = 8191 - side;
        int32_t t = extreme ? (k == 0 ? room : 0)
                            : rng_range(s, 0, room / (radius - k));
        p->taps[k] = p->taps[2 * radius - k] = (int16_t)t;
        side += t;
    }
    p->taps[radius] = (int16_t)(16384 - 2 * side);
}

static void check_blur_case(const cpu_dsp *dsp, cpu_isa isa, int32_t w,
                            int32_t h, int32_t pad, fill_kind fill,
                            const vg_blur_params *p, uint32_t seed)
{
    frame src, want, got;
    frame_alloc(&src, VG_FORMAT_RGBA8, w, h, pad);
    frame_alloc(&want, VG_FORMAT_RGBA8, w, h, pad + 4);
    frame_alloc(&got, VG_FORMAT_RGBA8, w, h, pad + 4);
    frame_fill(&src, fill, seed);
    void *scratch = aligned_alloc(
        64, (cpu_blur_scratch_size(w, h, p->radius) + 63) / 64 * 64);
    cr_assert(scratch);
    vg_ref_blur(&want.img, &src.img, p, 0, h, scratch);
    int32_t cuts[4];
    int n = bands_of(h, 1, (int)seed, cuts);
    for (int i = 0; i < n; i++) {
        /* each band gets scratch sized for itself, as the pool gives */
        size_t need =
            cpu_blur_scratch_size(w, cuts[i + 1] - cuts[i], p->radius);
        void *band = aligned_alloc(64, (need + 63) / 64 * 64);
        cr_assert(band);
        dsp->blur(&got.img, &src.img, p, cuts[i], cuts[i + 1], band);
        free(band);
    }
    free(scratch);
    char msg[256];
    int same = frame_same(&want, &got, msg, sizeof msg);
    frame_free(&src);
    frame_free(&want);
    frame_free(&got);
    cr_assert(same, "blur %s radius %d, %dx%d pad %d, %s, %d bands: %s",
              cpu_isa_names[isa], p->radius, w, h, pad, fill_names[fill], n,
              msg);
}

static void check_blur(cpu_isa isa)
{
    cpu_dsp dsp;
    level_init(&dsp, isa);
    static const double sigmas[] = {0.3, 0.5, 1.0, 1.7, 3.0, 6.0, 10.5, 21.0};
    uint32_t seed = 11;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        int32_t w = sizes[i][0], h = sizes[i][1], pad = (int32_t)(i % 3) * 8;
        for (size_t k = 0; k < sizeof sigmas / sizeof sigmas[0]; k++) {
            vg_blur_params p;
            cr_assert(vg_blur_params_from_sigma(sigmas[k], &p) == 0);
            fill_kind fill = (fill_kind)((i + k) % FILL_KINDS);
            check_blur_case(&dsp, isa, w, h, pad, fill, &p, rng_next(&seed));
        }
        vg_blur_params p;
        random_taps(&p, rng_range(&seed, 1, VG_BLUR_MAX_RADIUS), &seed, 0);
        check_blur_case(&dsp, isa, w, h, pad, FILL_RANDOM, &p, rng_next(&seed));
        random_taps(&p, VG_BLUR_MAX_RADIUS, &seed, 1);
        check_blur_case(&dsp, isa, w, h, pad, FILL_STRIPES, &p,
                        rng_next(&seed));
        random_taps(&p, 1, &seed, 1);
        check_blur_case(&dsp, isa, w, h, pad, FILL_MAX, &p, rng_next(&seed));
    }
    vg_blur_params p;
    cr_assert(vg_blur_params_from_sigma(3.0, &p) == 0);
    check_blur_case(&dsp, isa, 1920, 40, 0, FILL_RANDOM, &p, 5);
    for (size_t i = 0; i < 2; i++)
        check_blur_case(&dsp, isa, big_sizes[i][0], big_sizes[i][1], 4,
                        FILL_RANDOM, &p, 9);
}

static void check_warp_case(const cpu_dsp *dsp, cpu_isa isa, int32_t sw,
                            int32_t sh, int32_t dw, int32_t dh,
                            const vg_warp_params *p, uint32_t seed,
                            const char *what)
{
    frame src, want, got;
    frame_alloc(&src, VG_FORMAT_RGBA8, sw, sh, (int32_t)(seed % 5) * 4);
    frame_alloc(&want, VG_FORMAT_RGBA8, dw, dh, 8);
    frame_alloc(&got, VG_FORMAT_RGBA8, dw, dh, 8);
    frame_fill(&src, (fill_kind)(seed % FILL_KINDS), seed);
    vg_ref_warp(&want.img, &src.img, p, 0, dh);
    int32_t cuts[4];
    int n = bands_of(dh, 1, (int)seed, cuts);
    for (int i = 0; i < n; i++)
        dsp->warp(&got.img, &src.img, p, cuts[i], cuts[i + 1]);
    char msg[256];
    int same = frame_same(&want, &got, msg, sizeof msg);
    frame_free(&src);
    frame_free(&want);
    frame_free(&got);
    cr_assert(same,
              "warp %s %s, %dx%d -> %dx%d, u0 %d v0 %d du %d,%d dv %d,%d "
              "edge %u: %s",
              cpu_isa_names[isa], what, sw, sh, dw, dh, p->u0, p->v0, p->du_dx,
              p->du_dy, p->dv_dx, p->dv_dy, p->edge, msg);
}

/* The core's precondition for a warp: every source coordinate of the
 * destination fits int32 (the extremes are at the corners). */
static int warp_fits(const vg_warp_params *p, int32_t w, int32_t h)
{
    for (int corner = 0; corner < 4; corner++) {
        int64_t x = (corner & 1) ? w - 1 : 0, y = (corner & 2) ? h - 1 : 0;
        int64_t u = p->u0 + x * p->du_dx + y * p->du_dy;
        int64_t v = p->v0 + x * p->dv_dx + y * p->dv_dy;
        if (u < INT32_MIN || u > INT32_MAX || v < INT32_MIN || v > INT32_MAX)
            return 0;
    }
    return 1;
}

/* The maps a job uses (resize, zoom, pan, rotation) and random ones, on
 * both edge modes. */
static void check_warp_sizes(const cpu_dsp *dsp, cpu_isa isa, int32_t sw,
                             int32_t sh, int32_t dw, int32_t dh, uint32_t *seed)
{
    for (uint32_t edge = VG_EDGE_CLAMP; edge <= VG_EDGE_BORDER; edge++) {
        struct {
            double zoom, angle, cx, cy;
            const char *what;
        } cams[] = {
            {(double)dw / sw, 0, (sw - 1) / 2.0, (sh - 1) / 2.0, "resize"},
            {1.37 * dw / sw, 0, sw * 0.3, sh * 0.6, "zoom"},
            {0.9, 0, -3.5, sh + 2.0, "pan off the source"},
            {-1.0, 0, (sw - 1) / 2.0, (sh - 1) / 2.0, "flip"},
            {1.1, 17.0, (sw - 1) / 2.0, (sh - 1) / 2.0, "rotate"},
            {0.19, 0, (sw - 1) / 2.0, (sh - 1) / 2.0, "5x downscale"},
        };
        for (size_t c = 0; c < sizeof cams / sizeof cams[0]; c++) {
            vg_affine m = vg_affine_camera(dw, dh, cams[c].zoom, cams[c].angle,
                                           cams[c].cx, cams[c].cy);
            vg_warp_params p;
            if (vg_warp_params_from_affine(&m, dw, dh, (vg_edge_mode)edge,
                                           rng_next(seed), &p) != 0)
                continue;
            check_warp_case(dsp, isa, sw, sh, dw, dh, &p, rng_next(seed),
                            cams[c].what);
        }
        /* random maps, axis-aligned and not, in 16.16 */
        for (int k = 0; k < 4; k++) {
            vg_warp_params p = {
                .u0 = rng_range(seed, -3 * 65536, (sw + 3) * 65536),
                .v0 = rng_range(seed, -3 * 65536, (sh + 3) * 65536),
                .du_dx = rng_range(seed, -5 * 65536, 5 * 65536),
                .du_dy = k & 1 ? rng_range(seed, -65536, 65536) : 0,
                .dv_dx = k & 1 ? rng_range(seed, -65536, 65536) : 0,
                .dv_dy = rng_range(seed, -2 * 65536, 2 * 65536),
                .edge = edge,
                .border_rgba = rng_next(seed),
            };
            if (!warp_fits(&p, dw, dh))
                continue;
            check_warp_case(dsp, isa, sw, sh, dw, dh, &p, rng_next(seed),
                            "random map");
        }
    }
}

static void check_warp(cpu_isa isa)
{
    cpu_dsp dsp;
    level_init(&dsp, isa);
    uint32_t seed = 13;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        size_t j = (i * 7 + 3) % SIZE_COUNT;
        check_warp_sizes(&dsp, isa, sizes[i][0], sizes[i][1], sizes[j][0],
                         sizes[j][1], &seed);
        check_warp_sizes(&dsp, isa, sizes[j][0], sizes[j][1], sizes[i][0],
                         sizes[i][1], &seed);
    }
    check_warp_sizes(&dsp, isa, 384, 216, 192, 108, &seed);
    check_warp_sizes(&dsp, isa, 128, 72, 1920, 9, &seed);
    check_warp_sizes(&dsp, isa, VG_MAX_DIMENSION, 2, 4000, 2, &seed);
    check_warp_sizes(&dsp, isa, 2, 300, 3, VG_MAX_DIMENSION, &seed);
}

/* The four standard coefficient sets and random ones (|c| < 2^15, any
 * offset), which reach the clamps. */
static vg_color_params color_case(int k, uint32_t *s)
{
    vg_color_params p;
    if (k < 4) {
        cr_assert(vg_color_params_init(
                      k < 2 ? VG_MATRIX_BT601 : VG_MATRIX_BT709,
                      k & 1 ? VG_RANGE_FULL : VG_RANGE_LIMITED, &p) == 0);
        return p;
    }
    int32_t *c[] = {&p.y_r, &p.y_g, &p.y_b,     &p.u_r, &p.u_g, &p.u_b, &p.v_r,
                    &p.v_g, &p.v_b, &p.y_scale, &p.r_v, &p.g_u, &p.g_v, &p.b_u};
    memset(&p, 0, sizeof p);
    p.matrix = VG_MATRIX_BT601;
    p.range = VG_RANGE_FULL;
    p.y_offset = rng_range(s, 0, 255);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        *c[i] = rng_range(s, -32767, 32767);
    return p;
}

static void check_color_case(const cpu_dsp *dsp, cpu_isa isa, int to_i420,
                             int32_t w, int32_t h, int32_t pad, fill_kind fill,
                             const vg_color_params *p, uint32_t seed)
{
    vg_pixel_format in = to_i420 ? VG_FORMAT_RGBA8 : VG_FORMAT_I420;
    vg_pixel_format out = to_i420 ? VG_FORMAT_I420 : VG_FORMAT_RGBA8;
    frame src, want, got;
    frame_alloc(&src, in, w, h, pad);
    frame_alloc(&want, out, w, h, pad + 2);
    frame_alloc(&got, out, w, h, pad + 2);
    frame_fill(&src, fill, seed);
    int32_t cuts[4];
    int n = bands_of(h, 2, (int)seed, cuts);
    if (to_i420) {
        vg_ref_rgba_to_i420(&want.img, &src.img, p, 0, h);
        for (int i = 0; i < n; i++)
            dsp->rgba_to_i420(&got.img, &src.img, p, cuts[i], cuts[i + 1]);
    } else {
        vg_ref_i420_to_rgba(&want.img, &src.img, p, 0, h);
        for (int i = 0; i < n; i++)
            dsp->i420_to_rgba(&got.img, &src.img, p, cuts[i], cuts[i + 1]);
    }
    char msg[256];
    int same = frame_same(&want, &got, msg, sizeof msg);
    frame_free(&src);
    frame_free(&want);
    frame_free(&got);
    cr_assert(same,
              "%s %s, matrix %u range %u y_offset %d, %dx%d pad %d, %s, %d "
              "bands: %s",
              to_i420 ? "rgba_to_i420" : "i420_to_rgba", cpu_isa_names[isa],
              p->matrix, p->range, p->y_offset, w, h, pad, fill_names[fill], n,
              msg);
}

static void check_color(cpu_isa isa, int to_i420)
{
    cpu_dsp dsp;
    level_init(&dsp, isa);
    uint32_t seed = 17;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        int32_t w = sizes[i][0], h = sizes[i][1], pad = (int32_t)(i % 4) * 6;
        for (int k = 0; k < 7; k++)
            for (fill_kind fill = 0; fill < FILL_KINDS; fill++) {
                vg_color_params p = color_case(k, &seed);
                check_color_case(&dsp, isa, to_i420, w, h, pad, fill, &p,
                                 rng_next(&seed));
            }
    }
    vg_color_params p = color_case(2, &seed);
    check_color_case(&dsp, isa, to_i420, 1920, 1080, 0, FILL_RANDOM, &p, 3);
    for (size_t i = 0; i < 2; i++)
        check_color_case(&dsp, isa, to_i420, big_sizes[i][0], big_sizes[i][1],
                         2, FILL_RANDOM, &p, 5);
}

static void check_rgba_to_i420(cpu_isa isa)
{
    check_color(isa, 1);
}

static void check_i420_to_rgba(cpu_isa isa)
{
    check_color(isa, 0);
}

/* ------------------------------------------------------------------------ */
/* One test per kernel and level                                            */
/* ------------------------------------------------------------------------ */

#define CHECKASM_LEVELS(kernel)                                                \
    Test(checkasm_##kernel, scalar)                                            \
    {                                                                          \
        check_##kernel(CPU_ISA_SCALAR);                                        \
    }                                                                          \
    Test(checkasm_##kernel, sse41)                                             \
    {                                                                          \
        check_##kernel(CPU_ISA_SSE41);                                         \
    }                                                                          \
    Test(checkasm_##kernel, avx2)                                              \
    {                                                                          \
        check_##kernel(CPU_ISA_AVX2);                                          \
    }                                                                          \
    Test(checkasm_##kernel, avx512)                                            \
    {                                                                          \
        check_##kernel(CPU_ISA_AVX512);                                        \
    }                                                                          \
    Test(checkasm_##kernel, neon)                                              \
    {                                                                          \
        check_##kernel(CPU_ISA_NEON);                                          \
    }

CHECKASM_LEVELS(pattern)
CHECKASM_LEVELS(warp)
CHECKASM_LEVELS(blend)
CHECKASM_LEVELS(blur)
CHECKASM_LEVELS(rgba_to_i420)
CHECKASM_LEVELS(i420_to_rgba)

/* Each level above scalar really replaces every slot, so the tests above
 * exercise SIMD code and not the reference twice. */
Test(checkasm_dispatch, levels_install_their_own_kernels)
{
    cpu_dsp ref, dsp;
    cpu_dsp_init(&ref, CPU_ISA_SCALAR);
    cr_assert(ref.blend == vg_ref_blend && ref.blur == vg_ref_blur,
              "the scalar level is the reference");
    int tested = 0;
    for (cpu_isa isa = CPU_ISA_SSE41; isa <= CPU_ISA_NEON; isa++) {
        if (!cpu_isa_available(isa))
            continue;
        cpu_dsp_init(&dsp, isa);
        void (*const *a)(void) = (void (*const *)(void))(const void *)&ref;
        void (*const *b)(void) = (void (*const *)(void))(const void *)&dsp;
        for (size_t i = 0; i < sizeof dsp / sizeof(void (*)(void)); i++)
            cr_assert(a[i] != b[i], "%s leaves slot %zu at the reference",
                      cpu_isa_names[isa], i);
        tested++;
    }
#if defined(__x86_64__)
    cr_assert(tested > 0, "x86-64 always has SSE4.1 or better here");
#endif
}

/* Levels are distinct functions: SSE4.1 and AVX2 are not the same code. */
Test(checkasm_dispatch, each_level_has_distinct_kernels)
{
    if (!cpu_isa_available(CPU_ISA_AVX2))
        cr_skip_test("this CPU lacks avx2");
    cpu_dsp sse, avx;
    cpu_dsp_init(&sse, CPU_ISA_SSE41);
    cpu_dsp_init(&avx, CPU_ISA_AVX2);
    cr_assert(sse.rgba_to_i420 != avx.rgba_to_i420);
    cr_assert(sse.blur != avx.blur);
}

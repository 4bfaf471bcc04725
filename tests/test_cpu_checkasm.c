/*
 * test_cpu_checkasm.c - every CPU kernel at every ISA level, byte for byte
 * against the reference, in the manner of dav1d's checkasm.
 *
 * For each kernel and level: many sizes (1x1, odd widths and heights,
 * widths that are no multiple of any vector width, the largest allowed
 * width and height), packed and padded strides, seeded random images plus
 * worst cases (all 0, all 255, 0/255 stripes, extreme values), and the
 * kernel's VG_CASE_CHECKASM cases (core/reference/cases/<kernel>.c: the
 * parameter corners such as weights 0 and 256, radius 1 and 64, maps that
 * leave the source, both edge modes, and random parameters), its
 * VG_CASE_CHECKASM_LARGE ones at the largest sizes too.  Every buffer sits
 * in guard bytes with an unreadable page right after its last row: a write
 * outside the frame is reported as a mismatch in the guard, a read past the
 * end crashes.  Frames are also rendered in several row bands, as the
 * thread pool does.  A level the CPU lacks is skipped, saying so.
 *
 * Nothing here names a kernel: the tests are generated from the KERNEL rows
 * of VG_PLUGIN_SLOTS, and each finds its slot in the CPU's DSP table by the
 * reference that slot holds at the scalar level.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu_dsp.h"
#include "test_support.h"
#include "vg/pixel_math.h"
#include "vg_kernel_cases.h"

#define GUARD_BYTE 0xa5
#define LEAD_BYTES 64

/* ------------------------------------------------------------------------ */
/* Random numbers and guarded frames                                        */
/* ------------------------------------------------------------------------ */

static int32_t rng_range(uint32_t *s, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(vgt_rng_next(s) % (uint32_t)(hi - lo + 1));
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
                    v = (uint8_t)vgt_rng_next(&s);
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
                    v = extremes[vgt_rng_next(&s) & 3];
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
 * and 16 pixels; 64 bytes). */
static const int32_t sizes[][2] = {
    {1, 1},   {2, 1},   {1, 2},    {2, 2},   {3, 5},  {4, 4},   {7, 3},
    {8, 2},   {9, 9},   {15, 7},   {16, 4},  {17, 9}, {31, 17}, {32, 3},
    {33, 31}, {63, 5},  {64, 2},   {65, 7},  {95, 4}, {127, 3}, {129, 6},
    {255, 3}, {257, 5}, {1000, 3}, {80, 64},
};
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

/* The largest sizes, for VG_CASE_CHECKASM_LARGE cases: destination,
 * source and pad.  Kernels whose sources have the destination's size run
 * the first five; kernels whose sources may have any size the last four
 * (down- and upscales into strips at the largest dimensions). */
static const int32_t large_sizes[][5] = {
    {1920, 1080, 1920, 1080, 0},
    {723, 405, 723, 405, 36},
    {1920, 40, 1920, 40, 0},
    {VG_MAX_DIMENSION, 2, VG_MAX_DIMENSION, 2, 4},
    {3, VG_MAX_DIMENSION, 3, VG_MAX_DIMENSION, 2},
    {192, 108, 384, 216, 8},
    {1920, 9, 128, 72, 8},
    {4000, 2, VG_MAX_DIMENSION, 2, 8},
    {3, VG_MAX_DIMENSION, 2, 300, 8},
};
#define LARGE_SAME_SIZE 5
#define LARGE_COUNT (sizeof large_sizes / sizeof large_sizes[0])

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

/* The DSP table's slots, generated from CPU_DSP_FUNCTIONS. */
#define DSP_GET_(name, DECL)                                                   \
    static vg_kernel_fn dsp_get_##name(const cpu_dsp *dsp)                     \
    {                                                                          \
        return (vg_kernel_fn)dsp->name;                                        \
    }
CPU_DSP_FUNCTIONS(DSP_GET_)
#undef DSP_GET_
typedef vg_kernel_fn (*dsp_get_fn)(const cpu_dsp *dsp);
static const struct {
    const char *name;
    dsp_get_fn get;
} dsp_slots[] = {
#define DSP_SLOT_(name, DECL) {#name, dsp_get_##name},
    CPU_DSP_FUNCTIONS(DSP_SLOT_)
#undef DSP_SLOT_
};
#define DSP_SLOT_COUNT (sizeof dsp_slots / sizeof dsp_slots[0])

/* The slot whose scalar level is the kernel's reference; NULL if none. */
static dsp_get_fn dsp_slot_of(const vg_kernel_spec *spec)
{
    cpu_dsp scalar;
    cpu_dsp_init(&scalar, CPU_ISA_SCALAR);
    for (size_t i = 0; i < DSP_SLOT_COUNT; i++)
        if (dsp_slots[i].get(&scalar) == spec->cases->reference)
            return dsp_slots[i].get;
    return NULL;
}

/* Scratch one band needs at every level: the SIMD blur's layout is larger
 * than the reference's (cpu_dsp.h). */
static size_t dsp_scratch_size(const vg_kernel_spec *spec, int32_t w,
                               int32_t rows, const vg_kernel_params *p)
{
    if (!spec->cases->scratch_size)
        return 0;
    size_t need = spec->cases->scratch_size(w, rows, p);
    if (spec->cases == &vg_blur_cases) {
        size_t simd = cpu_blur_scratch_size(w, rows, p->blur.radius);
        need = simd > need ? simd : need;
    }
    return need;
}

typedef struct kernel_run {
    const vg_kernel_spec *spec;
    cpu_isa isa;
    vg_kernel_fn fn; /* the level's slot */
} kernel_run;

/* One case at one geometry: the reference and the level, in bands, on
 * guarded frames, compared guards and all. */
static void check_case(const kernel_run *k, const vg_case_geometry *g,
                       int32_t pad, fill_kind fill, const vg_kernel_case *c,
                       uint32_t seed)
{
    const vg_kernel_spec *spec = k->spec;
    frame src[2], want, got;
    const vg_image *srcs[2] = {NULL, NULL};
    for (int s = 0; s < spec->sources; s++) {
        frame_alloc(&src[s], spec->src_format, g->src_width, g->src_height,
                    pad + 4 * s);
        /* a second source in stripes would only mirror the first */
        fill_kind f = s > 0 && fill == FILL_STRIPES ? FILL_RANDOM : fill;
        frame_fill(&src[s], f, seed * (3u * (uint32_t)s + 1u) + (uint32_t)s);
        srcs[s] = &src[s].img;
    }
    frame_alloc(&want, spec->dst_format, g->width, g->height, pad + 8);
    frame_alloc(&got, spec->dst_format, g->width, g->height, pad + 8);
    cr_assert(vg_kernel_reference(spec, &want.img, srcs, &c->params) == 0);
    int32_t align =
        spec->dst_format == VG_FORMAT_I420 || spec->src_format == VG_FORMAT_I420
            ? 2
            : 1;
    int32_t cuts[4];
    int n = bands_of(g->height, align, (int)seed, cuts);
    for (int b = 0; b < n; b++) {
        /* each band gets scratch sized for itself, as the pool gives */
        size_t need =
            dsp_scratch_size(spec, g->width, cuts[b + 1] - cuts[b], &c->params);
        void *scratch = need ? aligned_alloc(64, (need + 63) / 64 * 64) : NULL;
        cr_assert(need == 0 || scratch);
        spec->cases->call(k->fn, &got.img, srcs, &c->params, cuts[b],
                          cuts[b + 1], scratch);
        free(scratch);
    }
    char msg[256];
    int same = frame_same(&want, &got, msg, sizeof msg);
    for (int s = 0; s < spec->sources; s++)
        frame_free(&src[s]);
    frame_free(&want);
    frame_free(&got);
    cr_assert(same, "%s %s (%s), %dx%d from %dx%d pad %d, %s, %d bands: %s",
              spec->name, cpu_isa_names[k->isa], c->label, g->width, g->height,
              g->src_width, g->src_height, pad, fill_names[fill], n, msg);
}

/* Every case of `users` at one geometry, for `fills` input kinds. */
static void check_geometry(const kernel_run *k, vg_case_geometry g, int32_t pad,
                           fill_kind first_fill, int fills, unsigned users,
                           uint32_t *seed)
{
    const vg_kernel_cases *cases = k->spec->cases;
    for (int f = 0; f < fills; f++) {
        for (size_t i = 0; i < cases->count; i++) {
            if (!(cases->users(i) & users))
                continue;
            g.seed = vgt_rng_next(seed);
            vg_kernel_case c;
            if (cases->make(i, &g, &c) != 0)
                continue; /* outside what the kernel accepts */
            check_case(k, &g, pad, (fill_kind)((first_fill + f) % FILL_KINDS),
                       &c, vgt_rng_next(seed));
        }
    }
}

static void check_kernel(const char *name, cpu_isa isa)
{
    const vg_kernel_spec *spec = vg_kernel_spec_find(name);
    cr_assert(spec, "no kernel %s", name);
    dsp_get_fn get = dsp_slot_of(spec);
    cr_assert(get, "%s has no slot in the CPU's DSP table", name);
    cpu_dsp dsp;
    level_init(&dsp, isa);
    kernel_run k = {.spec = spec, .isa = isa, .fn = get(&dsp)};
    uint32_t seed = 13;
    int fills = spec->sources > 0 ? FILL_KINDS : 1;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        vg_case_geometry g = {.width = sizes[i][0],
                              .height = sizes[i][1],
                              .src_width = sizes[i][0],
                              .src_height = sizes[i][1]};
        int32_t pad = (int32_t)(i % 4) * 12;
        if (!spec->any_size) {
            check_geometry(&k, g, pad, FILL_RANDOM, fills, VG_CASE_CHECKASM,
                           &seed);
            continue;
        }
        /* sources of other sizes: the sizes that map to this one and that
         * this one maps to, so every pair runs both ways */
        for (size_t j = 0; j < SIZE_COUNT; j++) {
            if (j != (i * 7 + 3) % SIZE_COUNT && i != (j * 7 + 3) % SIZE_COUNT)
                continue;
            g.src_width = sizes[j][0];
            g.src_height = sizes[j][1];
            check_geometry(&k, g, pad, (fill_kind)(j % FILL_KINDS), 1,
                           VG_CASE_CHECKASM, &seed);
        }
    }
    size_t first = spec->any_size ? LARGE_SAME_SIZE : 0;
    size_t end = spec->any_size ? LARGE_COUNT : LARGE_SAME_SIZE;
    for (size_t i = first; i < end; i++) {
        const int32_t *l = large_sizes[i];
        vg_case_geometry g = {.width = l[0],
                              .height = l[1],
                              .src_width = l[2],
                              .src_height = l[3]};
        check_geometry(&k, g, l[4], FILL_RANDOM, 1, VG_CASE_CHECKASM_LARGE,
                       &seed);
    }
}

/* ------------------------------------------------------------------------ */
/* One test per kernel and level, generated from the KERNEL rows            */
/* ------------------------------------------------------------------------ */

#define CHECKASM_LEVEL_(kernel, level, isa)                                    \
    Test(checkasm_##kernel, level, .timeout = 300)                             \
    {                                                                          \
        check_kernel(#kernel, isa);                                            \
    }
#define CHECKASM_LEVELS_(x, kernel, ...)                                       \
    CHECKASM_LEVEL_(kernel, scalar, CPU_ISA_SCALAR)                            \
    CHECKASM_LEVEL_(kernel, sse41, CPU_ISA_SSE41)                              \
    CHECKASM_LEVEL_(kernel, avx2, CPU_ISA_AVX2)                                \
    CHECKASM_LEVEL_(kernel, avx512, CPU_ISA_AVX512)                            \
    CHECKASM_LEVEL_(kernel, neon, CPU_ISA_NEON)
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, CHECKASM_LEVELS_, )

/* Every KERNEL row has its own slot in the DSP table, and every slot is a
 * kernel: a kernel the CPU table lacks, or shares, fails here. */
Test(checkasm_dispatch, one_slot_per_kernel_row)
{
    cr_assert_eq(DSP_SLOT_COUNT, vg_kernel_spec_count);
    for (size_t i = 0; i < vg_kernel_spec_count; i++) {
        dsp_get_fn a = dsp_slot_of(&vg_kernel_specs[i]);
        cr_assert(a, "kernel %s has no DSP slot", vg_kernel_specs[i].name);
        for (size_t j = 0; j < i; j++)
            cr_assert(dsp_slot_of(&vg_kernel_specs[j]) != a,
                      "kernels %s and %s share a DSP slot",
                      vg_kernel_specs[j].name, vg_kernel_specs[i].name);
    }
}

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

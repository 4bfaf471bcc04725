/*
 * pattern_tmpl.c - the procedural sources at one vector width.
 *
 * Included by x86/isa_*.c (see x86/vec.h).  Same values as
 * vg_pm_pattern(): SOLID, CHECKER and BARS are runs of one colour per row,
 * filled with vector stores; TESTSRC is evaluated per pixel in 32-bit
 * lanes, with everything that depends on x alone (the gradient position,
 * the scrolled checker column) taken from a table built once per band and
 * chunk of columns, and everything that depends on y alone hoisted out of
 * the row.  Memory order is R, G, B, A: a 0xRRGGBBAA value byte-swapped.
 */
#include "vg/pixel_math.h"

#define PATTERN_CHUNK 1024

static uint32_t to_memory_order(uint32_t rgba)
{
    return __builtin_bswap32(rgba);
}

/* Pixels [x0, x1) of a row set to one colour (memory order). */
static void fill_run(uint8_t *row, int32_t x0, int32_t x1, uint32_t px)
{
    const vec v = v_set1_32((int32_t)px);
    int32_t x = x0;
    for (; x + V_N32 <= x1; x += V_N32)
        v_store(row + 4 * (size_t)x, v);
    for (; x < x1; x++)
        memcpy(row + 4 * (size_t)x, &px, 4);
}

/* The first x' > x at which x' * n / w differs from x * n / w. */
static int32_t next_step(uint32_t x, uint32_t n, uint32_t w)
{
    uint32_t k = x * n / w + 1;
    return (int32_t)((k * w + n - 1) / n);
}

static void bars_row(uint8_t *row, uint32_t y, uint32_t w, uint32_t h)
{
    for (uint32_t x = 0; x < w;) {
        int32_t end = next_step(x, 7, w);
        int32_t end84 = next_step(x, 84, w);
        end = end84 < end ? end84 : end;
        end = end < (int32_t)w ? end : (int32_t)w;
        fill_run(row, (int32_t)x, end, to_memory_order(vg_pm_bars(x, y, w, h)));
        x = (uint32_t)end;
    }
}

static void checker_row(uint8_t *row, uint32_t y, uint32_t w, uint32_t h,
                        uint32_t rgba)
{
    uint32_t size = h / 8u > 0u ? h / 8u : 1u;
    for (uint32_t x = 0; x < w; x += size) {
        uint32_t end = x + size < w ? x + size : w;
        fill_run(row, (int32_t)x, (int32_t)end,
                 to_memory_order(vg_pm_checker(x, y, h, rgba)));
    }
}

/* TESTSRC's top band: stripes ((x >> (x * 4 / w)) & 1) ? white : black. */
static void testsrc_top_row(uint8_t *row, uint32_t w)
{
    uint32_t shift = 0, next = (uint32_t)next_step(0, 4, w);
    for (uint32_t x = 0; x < w; x++) {
        if (x == next) { /* one division per stripe width, not per pixel */
            shift = x * 4u / w;
            next = (uint32_t)next_step(x, 4, w);
        }
        uint32_t px = ((x >> shift) & 1u) != 0u ? 0xffffffffu : 0xff000000u;
        memcpy(row + 4 * (size_t)x, &px, 4);
    }
}

/* TESTSRC's frame counter, over the bottom band's first 16 * band pixels. */
static void testsrc_counter(uint8_t *row, uint32_t w, uint32_t band, uint32_t f)
{
    for (uint32_t k = 0; k < 16u && k * band < w; k++) {
        uint32_t end = (k + 1u) * band < w ? (k + 1u) * band : w;
        uint32_t px = ((f >> (15u - k)) & 1u) != 0u ? 0xffffffffu : 0xff000000u;
        fill_run(row, (int32_t)(k * band), (int32_t)end, px);
    }
}

/* What TESTSRC needs of one row (names as in vg_pm_testsrc). */
typedef struct testsrc_row {
    vec g_rgb;   /* G << 16 */
    vec b_phase; /* ny + 2f */
    vec parity;  /* (y / cs) & 1 */
    vec grid;    /* all ones when y % cs == 0 */
    int in_disc; /* dy < radius */
    vec dy2;     /* dy * dy */
} testsrc_row;

/* Per frame. */
typedef struct testsrc_frame {
    uint32_t w, h, f;
    uint32_t cs, radius, band, bar_x, bar_w;
    vec r_phase;    /* 3f */
    vec zone_phase; /* 4f */
    vec radius_v, radius2, half_w, bar_x_v, bar_w_v;
    vec c511, c255, halve, white, opaque, invert, swap;
    double radius_rcp;
} testsrc_frame;

static void testsrc_frame_init(testsrc_frame *t, uint32_t w, uint32_t h,
                               uint32_t f)
{
    static const uint8_t swap[16] = {3,  2,  1, 0, 7,  6,  5,  4,
                                     11, 10, 9, 8, 15, 14, 13, 12};
    t->w = w;
    t->h = h;
    t->f = f;
    t->cs = h / 8u > 0u ? h / 8u : 1u;
    t->radius = h / 4u > 0u ? h / 4u : 1u;
    t->band = h / 32u > 0u ? h / 32u : 1u;
    t->bar_w = w / 64u > 0u ? w / 64u : 1u;
    t->bar_x = (f % 128u) * w / 128u;
    t->r_phase = v_set1_32((int32_t)(3u * f));
    t->zone_phase = v_set1_32((int32_t)(4u * f));
    t->radius_v = v_set1_32((int32_t)t->radius);
    t->radius2 = v_set1_32((int32_t)(t->radius * t->radius));
    t->half_w = v_set1_32((int32_t)(w / 2u));
    t->bar_x_v = v_set1_32((int32_t)t->bar_x);
    t->bar_w_v = v_set1_32((int32_t)t->bar_w);
    t->c511 = v_set1_32(511);
    t->c255 = v_set1_32(255);
    t->halve = v_set1_32(0x7f7f7f00);
    t->white = v_set1_32((int32_t)0xffffff00u);
    t->opaque = v_set1_32(255);
    t->invert = v_set1_32((int32_t)0xffffff00u);
    t->swap = v_lanes16(swap);
    t->radius_rcp = 1.0 / (double)t->radius;
}

/* Column table entries: nx | (xs / cs & 1) << 8 | (xs % cs == 0) << 9.
 * Quotients advance incrementally: two divisions per chunk, not three per
 * column, which matter once a frame is split into many bands. */
static void testsrc_columns(int32_t *col, const testsrc_frame *t, uint32_t x0,
                            uint32_t x1)
{
    uint32_t xs = x0 + (t->f % 16u) * t->cs / 8u;
    uint32_t nq = x0 * 256u / t->w, nr = x0 * 256u % t->w;
    uint32_t cq = xs / t->cs, cr = xs % t->cs;
    for (uint32_t x = x0; x < x1; x++) {
        col[x - x0] =
            (int32_t)(nq | (cq & 1u) << 8 | (uint32_t)(cr == 0u) << 9);
        for (nr += 256u; nr >= t->w; nr -= t->w)
            nq++;
        if (++cr == t->cs) {
            cr = 0;
            cq++;
        }
    }
}

/* tri(phase) = min(phase & 511, 511 - (phase & 511)) */
V_FN vec v_tri(vec phase, const testsrc_frame *t)
{
    vec p = v_and(phase, t->c511);
    return v_min_u32(p, v_sub32(t->c511, p));
}

static void testsrc_row_init(testsrc_row *r, const testsrc_frame *t, uint32_t y)
{
    uint32_t ny = y * 256u / t->h;
    uint32_t dy = y > t->h / 2u ? y - t->h / 2u : t->h / 2u - y;
    r->g_rgb = v_set1_32((int32_t)(vg_pm_tri(2u * ny + 5u * t->f) << 16));
    r->b_phase = v_set1_32((int32_t)(ny + 2u * t->f));
    r->parity = v_set1_32((int32_t)((y / t->cs) & 1u));
    r->grid = v_set1_32(y % t->cs == 0u ? -1 : 0);
    r->in_disc = dy < t->radius;
    r->dy2 = v_set1_32((int32_t)(dy * dy));
}

/* V_N32 pixels of TESTSRC starting at x (col: their table entries), as
 * 0xRRGGBBAA values, top and bottom bands excepted. */
V_FN vec testsrc_pixels(vec col, vec xv, const testsrc_frame *t,
                        const testsrc_row *r)
{
    vec nx = v_and(col, t->c255);
    vec red = v_tri(v_add32(v_add32(nx, nx), t->r_phase), t);
    vec blue = v_tri(v_add32(nx, r->b_phase), t);
    vec rgb = v_or(v_or(v_slli32(red, 24), r->g_rgb), v_slli32(blue, 8));
    vmask dark = v_mask_from_lsb(v_xor(v_srli32(col, 8), r->parity));
    rgb = v_select32(dark, v_and(v_srli32(rgb, 1), t->halve), rgb);
    vmask line =
        v_mask_or(v_mask_from_lsb(v_srli32(col, 9)), v_mask_from_lsb(r->grid));
    rgb = v_select32(line, t->white, rgb);
    if (r->in_disc) {
        vec dx = v_abs32(v_sub32(xv, t->half_w));
        vec r2 = v_add32(v_mullo32(dx, dx), r->dy2);
        vmask disc =
            v_mask_and(v_lt_u32(dx, t->radius_v), v_lt_u32(r2, t->radius2));
        if (v_mask_any(disc)) {
            vec q = v_div_u31(v_slli32(r2, 5), t->radius_rcp);
            vec grey = v_tri(v_sub32(q, t->zone_phase), t);
            grey = v_mullo32(grey, v_set1_32(0x01010100));
            rgb = v_select32(disc, grey, rgb);
        }
    }
    vec rgba = v_or(rgb, t->opaque);
    vmask bar = v_lt_u32(v_sub32(xv, t->bar_x_v), t->bar_w_v);
    return v_select32(bar, v_xor(rgba, t->invert), rgba);
}

static void testsrc_rows(const vg_image *dst, const testsrc_frame *t,
                         int32_t y0, int32_t y1, uint32_t x0, uint32_t x1)
{
    int32_t col[PATTERN_CHUNK];
    testsrc_columns(col, t, x0, x1);
    for (int32_t yi = y0; yi < y1; yi++) {
        uint32_t y = (uint32_t)yi;
        uint8_t *row = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        if (y < t->band) {
            if (x0 == 0)
                testsrc_top_row(row, t->w);
        } else {
            testsrc_row r;
            testsrc_row_init(&r, t, y);
            uint32_t x = x0;
            for (; x + V_N32 <= x1; x += V_N32) {
                vec xv = v_add32(v_set1_32((int32_t)x), v_iota32());
                vec px = testsrc_pixels(v_load(col + (x - x0)), xv, t, &r);
                v_store(row + 4 * (size_t)x, v_shuffle8(px, t->swap));
            }
            for (; x < x1; x++) {
                uint32_t px =
                    to_memory_order(vg_pm_testsrc(x, y, t->w, t->h, t->f));
                memcpy(row + 4 * (size_t)x, &px, 4);
            }
        }
        if (y >= t->h - t->band && x1 == t->w)
            testsrc_counter(row, t->w, t->band, t->f);
    }
}

VG_DECL_PATTERN_FN(CPU_FN(cpu_pattern))
{
    const uint32_t w = (uint32_t)dst->width, h = (uint32_t)dst->height;
    if (params->kind == VG_PM_PATTERN_TESTSRC) {
        testsrc_frame t;
        testsrc_frame_init(&t, w, h, params->frame_index);
        for (uint32_t x0 = 0; x0 < w; x0 += PATTERN_CHUNK) {
            uint32_t x1 = x0 + PATTERN_CHUNK < w ? x0 + PATTERN_CHUNK : w;
            testsrc_rows(dst, &t, y0, y1, x0, x1);
        }
        return;
    }
    for (int32_t y = y0; y < y1; y++) {
        uint8_t *row = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        if (params->kind == VG_PM_PATTERN_BARS)
            bars_row(row, (uint32_t)y, w, h);
        else if (params->kind == VG_PM_PATTERN_CHECKER)
            checker_row(row, (uint32_t)y, w, h, params->rgba);
        else
            fill_run(row, 0, (int32_t)w, to_memory_order(params->rgba));
    }
}

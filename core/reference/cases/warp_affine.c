/*
 * warp_affine.c - what warp_affine accepts and the cases it is checked on:
 * resizes up and down, zooms, pans and flips that leave the source, a
 * rotation, random 16.16 maps, each with both edge rules.
 */
#include <stdio.h>

#include "case_marks.h"
#include "vg/params.h"

/* The affine map is linear, so its extremes over the destination are at the
 * corners: checking those four keeps every coordinate inside int32. */
static bool warp_fits(const vg_warp_params *p, int32_t width, int32_t height)
{
    for (int corner = 0; corner < 4; corner++) {
        int64_t x = (corner & 1) ? width - 1 : 0;
        int64_t y = (corner & 2) ? height - 1 : 0;
        int64_t u = p->u0 + x * p->du_dx + y * p->du_dy;
        int64_t v = p->v0 + x * p->dv_dx + y * p->dv_dy;
        if (u < INT32_MIN || u > INT32_MAX || v < INT32_MIN || v > INT32_MAX)
            return false;
    }
    return true;
}

int vg_check_warp_affine_params(const vg_warp_params *params,
                                const vg_frame_desc *dst, char *msg,
                                size_t msg_size)
{
    if (params->edge != VG_EDGE_CLAMP && params->edge != VG_EDGE_BORDER) {
        snprintf(msg, msg_size, "unknown edge mode %u", params->edge);
        return VG_ERR_INVALID_ARGUMENT;
    }
    if (!warp_fits(params, dst->width, dst->height)) {
        snprintf(msg, msg_size,
                 "warp source coordinates exceed the 16.16 range "
                 "(|coordinate| < 32768 pixels)");
        return VG_ERR_LIMIT;
    }
    return 0;
}

/* every checkasm map runs at the largest sizes too */
#define AL (A | L)
#define CLAMP VG_EDGE_CLAMP
#define BORDER VG_EDGE_BORDER

/* A camera (vg_affine_camera): zoom (times destination/source width when
 * by_size), rotation in degrees, and the source point at the centre,
 * cx = cx_scale * source width + cx_offset (cy likewise).  random > 0: a
 * random 16.16 map instead, with cross terms when random is even. */
typedef struct warp_row {
    unsigned users;
    const char *what;
    double zoom;
    int by_size;
    double angle, cx_scale, cx_offset, cy_scale, cy_offset;
    vg_edge_mode edge;
    uint32_t border; /* RANDOM_BORDER: drawn from the seed */
    int random;
    const char *bench_name;
    int32_t bench_src_width, bench_src_height;
} warp_row;
#define RANDOM_BORDER 1u

/* The checkasm set, for one edge rule. */
#define CHECKASM_ROWS(edge)                                                    \
    {AL,   "resize", 1.0,           1, 0,    0.5, -0.5, 0.5,                   \
     -0.5, edge,     RANDOM_BORDER, 0, NULL, 0,   0},                          \
        {AL, "zoom", 1.37,          1, 0,    0.3, 0, 0.6,                      \
         0,  edge,   RANDOM_BORDER, 0, NULL, 0,   0},                          \
        {AL,   "pan off the source", 0.9, 0,    0, 0, -3.5, 1, 2.0,            \
         edge, RANDOM_BORDER,        0,   NULL, 0, 0},                         \
        {AL,   "flip", -1.0,          0, 0,    0.5, -0.5, 0.5,                 \
         -0.5, edge,   RANDOM_BORDER, 0, NULL, 0,   0},                        \
        {AL,   "rotate", 1.1,           0, 17.0, 0.5, -0.5, 0.5,               \
         -0.5, edge,     RANDOM_BORDER, 0, NULL, 0,   0},                      \
        {AL,   "5x downscale", 0.19,          0, 0,    0.5, -0.5, 0.5,         \
         -0.5, edge,           RANDOM_BORDER, 0, NULL, 0,   0},                \
        {AL,   "random map",  0, 0,    0, 0, 0, 0, 0,                          \
         edge, RANDOM_BORDER, 1, NULL, 0, 0},                                  \
        {AL,   "random map",  0, 0,    0, 0, 0, 0, 0,                          \
         edge, RANDOM_BORDER, 2, NULL, 0, 0},                                  \
        {AL,   "random map",  0, 0,    0, 0, 0, 0, 0,                          \
         edge, RANDOM_BORDER, 3, NULL, 0, 0},                                  \
        {AL,   "random map",  0, 0,    0, 0, 0, 0, 0,                          \
         edge, RANDOM_BORDER, 4, NULL, 0, 0},

static const warp_row rows[] = {
    /* the self-test: an upscale, a downscale and a rotation */
    {S, "zoom 1.37, rotate 17", 1.37, 0, 17.0, 0.46, 0, 0.48, 0, BORDER,
     0x20408060u, 0, NULL, 0, 0},
    {S, "zoom 1.37, rotate 17", 1.37, 0, 17.0, 0.46, 0, 0.48, 0, CLAMP,
     0x20408060u, 0, NULL, 0, 0},
    {S, "zoom 3.1, rotate -5", 3.1, 0, -5.0, 0.3, 0, 0.7, 0, BORDER,
     0x20408060u, 0, NULL, 0, 0},
    {S, "zoom 3.1, rotate -5", 3.1, 0, -5.0, 0.3, 0, 0.7, 0, CLAMP, 0x20408060u,
     0, NULL, 0, 0},
    {S, "zoom 0.45, rotate 90", 0.45, 0, 90.0, 0.5, 0, 0.5, 0, BORDER,
     0x20408060u, 0, NULL, 0, 0},
    {S, "zoom 0.45, rotate 90", 0.45, 0, 90.0, 0.5, 0, 0.5, 0, CLAMP,
     0x20408060u, 0, NULL, 0, 0},
    /* conformance: a resize, a rotated zoom, a zoomed-out view whose taps
     * fall far outside the source */
    {C, "resize", 1.0, 1, 0, 0.5, -0.5, 0.5, -0.5, CLAMP, 0x11223344u, 0, NULL,
     0, 0},
    {C, "resize", 1.0, 1, 0, 0.5, -0.5, 0.5, -0.5, BORDER, 0x11223344u, 0, NULL,
     0, 0},
    {C, "rotated zoom", 1.7, 0, 33.0, 1.0 / 3.0, 0, 0.5, 0, CLAMP, 0x11223344u,
     0, NULL, 0, 0},
    {C, "rotated zoom", 1.7, 0, 33.0, 1.0 / 3.0, 0, 0.5, 0, BORDER, 0x11223344u,
     0, NULL, 0, 0},
    {C, "zoomed out", 0.25, 0, -12.0, 0, 0, 0, 0, CLAMP, 0x11223344u, 0, NULL,
     0, 0},
    {C, "zoomed out", 0.25, 0, -12.0, 0, 0, 0, 0, BORDER, 0x11223344u, 0, NULL,
     0, 0},
    /* checkasm: the maps a job uses and random ones */
    CHECKASM_ROWS(CLAMP) CHECKASM_ROWS(BORDER)
    /* vgbench: bilinear 3840x2160 -> 1920x1080 and 1280x720 -> 1920x1080 */
    {B, "resize", 1.0, 1, 0, 0.5, -0.5, 0.5, -0.5, CLAMP, 0, 0, "warp_down",
     3840, 2160},
    {B, "resize", 1.0, 1, 0, 0.5, -0.5, 0.5, -0.5, CLAMP, 0, 0, "warp_up", 1280,
     720},
};

static unsigned users(size_t i)
{
    return rows[i].users;
}

static int make(size_t i, const vg_case_geometry *g, vg_kernel_case *out)
{
    const warp_row *r = &rows[i];
    uint32_t seed = g->seed;
    int32_t w = g->width, h = g->height, sw = g->src_width, sh = g->src_height;
    *out = (vg_kernel_case){.bench_name = r->bench_name,
                            .bench_src_width = r->bench_src_width,
                            .bench_src_height = r->bench_src_height};
    uint32_t border =
        r->border == RANDOM_BORDER ? vg_kc_random(&seed) : r->border;
    vg_warp_params *p = &out->params.warp_affine;
    if (r->random) {
        int cross = r->random % 2 == 0;
        *p = (vg_warp_params){
            .u0 = vg_kc_random_range(&seed, -3 * 65536, (sw + 3) * 65536),
            .v0 = vg_kc_random_range(&seed, -3 * 65536, (sh + 3) * 65536),
            .du_dx = vg_kc_random_range(&seed, -5 * 65536, 5 * 65536),
            .du_dy = cross ? vg_kc_random_range(&seed, -65536, 65536) : 0,
            .dv_dx = cross ? vg_kc_random_range(&seed, -65536, 65536) : 0,
            .dv_dy = vg_kc_random_range(&seed, -2 * 65536, 2 * 65536),
            .edge = r->edge,
            .border_rgba = border,
        };
        char msg[128];
        vg_frame_desc dst = {VG_FORMAT_RGBA8, w, h};
        if (vg_check_warp_affine_params(p, &dst, msg, sizeof msg) != 0)
            return VG_CASE_SKIP;
    } else {
        double zoom = r->by_size ? r->zoom * w / sw : r->zoom;
        vg_affine m = vg_affine_camera(w, h, zoom, r->angle,
                                       r->cx_scale * sw + r->cx_offset,
                                       r->cy_scale * sh + r->cy_offset);
        if (vg_warp_params_from_affine(&m, w, h, r->edge, border, p) != 0)
            return VG_CASE_SKIP; /* outside 16.16: refused by design */
    }
    snprintf(out->label, sizeof out->label,
             "%s from %dx%d, %s edge, u0 %d v0 %d du %d,%d dv %d,%d", r->what,
             (int)sw, (int)sh, r->edge == VG_EDGE_CLAMP ? "clamp" : "border",
             p->u0, p->v0, p->du_dx, p->du_dy, p->dv_dx, p->dv_dy);
    return 0;
}

static void call(vg_kernel_fn fn, const vg_image *dst,
                 const vg_image *const src[2], const vg_kernel_params *p,
                 int32_t y0, int32_t y1, void *scratch)
{
    (void)scratch;
    ((vg_warp_fn)fn)(dst, src[0], &p->warp_affine, y0, y1);
}

const vg_kernel_cases vg_warp_affine_cases = {
    .count = VG_KC_COUNT(rows),
    .users = users,
    .make = make,
    .call = call,
    .reference = (vg_kernel_fn)vg_ref_warp,
};

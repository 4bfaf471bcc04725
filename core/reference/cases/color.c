/*
 * color.c - what the two colour conversions accept and the cases they are
 * checked on: both matrices in both ranges, and random coefficient sets
 * (|c| < 2^15, any offset) that reach every clamp.
 */
#include <stdio.h>
#include <string.h>

#include "case_marks.h"
#include "vg/params.h"

/* Both conversions take the same coefficients. */
static int check_color(const vg_color_params *p, char *msg, size_t msg_size)
{
    if ((p->matrix != VG_MATRIX_BT601 && p->matrix != VG_MATRIX_BT709) ||
        (p->range != VG_RANGE_LIMITED && p->range != VG_RANGE_FULL)) {
        snprintf(msg, msg_size,
                 "colour parameters name no known matrix and range");
        return VG_ERR_INVALID_ARGUMENT;
    }
    return 0;
}

int vg_check_rgba_to_i420_params(const vg_color_params *params,
                                 const vg_frame_desc *dst, char *msg,
                                 size_t msg_size)
{
    (void)dst;
    return check_color(params, msg, msg_size);
}

int vg_check_i420_to_rgba_params(const vg_color_params *params,
                                 const vg_frame_desc *dst, char *msg,
                                 size_t msg_size)
{
    (void)dst;
    return check_color(params, msg, msg_size);
}

/* matrix 0: random coefficients. */
static const struct color_row {
    unsigned users;
    vg_color_matrix matrix;
    vg_color_range range;
} rows[] = {
    {S | C | A, VG_MATRIX_BT601, VG_RANGE_LIMITED},
    {S | C | A, VG_MATRIX_BT601, VG_RANGE_FULL},
    {S | C | A | L, VG_MATRIX_BT709, VG_RANGE_LIMITED},
    {S | C | A, VG_MATRIX_BT709, VG_RANGE_FULL},
    {A, 0, 0},
    {A, 0, 0},
    {A, 0, 0},
    {B, VG_MATRIX_BT601, VG_RANGE_LIMITED},
};

static unsigned users(size_t i)
{
    return rows[i].users;
}

static void random_coefficients(vg_color_params *p, uint32_t *s)
{
    int32_t *c[] = {&p->y_r, &p->y_g, &p->y_b, &p->u_r, &p->u_g,
                    &p->u_b, &p->v_r, &p->v_g, &p->v_b, &p->y_scale,
                    &p->r_v, &p->g_u, &p->g_v, &p->b_u};
    memset(p, 0, sizeof *p);
    p->matrix = VG_MATRIX_BT601;
    p->range = VG_RANGE_FULL;
    p->y_offset = vg_kc_random_range(s, 0, 255);
    for (size_t i = 0; i < VG_KC_COUNT(c); i++)
        *c[i] = vg_kc_random_range(s, -32767, 32767);
}

/* Both kernels' cases: the same rows, into their own member. */
static int make_color(size_t i, const vg_case_geometry *g, vg_kernel_case *out,
                      const char *bench_name, vg_color_params *p)
{
    const struct color_row *r = &rows[i];
    uint32_t seed = g->seed;
    if (r->matrix == 0)
        random_coefficients(p, &seed);
    else if (vg_color_params_init(r->matrix, r->range, p) != 0)
        return VG_CASE_SKIP;
    out->bench_name = r->users & B ? bench_name : NULL;
    if (r->matrix == 0)
        snprintf(out->label, sizeof out->label,
                 "random coefficients, y_offset %d", p->y_offset);
    else
        snprintf(out->label, sizeof out->label, "%s, %s range",
                 r->matrix == VG_MATRIX_BT601 ? "BT.601" : "BT.709",
                 r->range == VG_RANGE_LIMITED ? "limited" : "full");
    return 0;
}

static int make_rgba_to_i420(size_t i, const vg_case_geometry *g,
                             vg_kernel_case *out)
{
    *out = (vg_kernel_case){0};
    return make_color(i, g, out, "rgba_to_i420", &out->params.rgba_to_i420);
}

static int make_i420_to_rgba(size_t i, const vg_case_geometry *g,
                             vg_kernel_case *out)
{
    *out = (vg_kernel_case){0};
    return make_color(i, g, out, "i420_to_rgba", &out->params.i420_to_rgba);
}

static void call_rgba_to_i420(vg_kernel_fn fn, const vg_image *dst,
                              const vg_image *const src[2],
                              const vg_kernel_params *p, int32_t y0, int32_t y1,
                              void *scratch)
{
    (void)scratch;
    ((vg_rgba_to_i420_fn)fn)(dst, src[0], &p->rgba_to_i420, y0, y1);
}

static void call_i420_to_rgba(vg_kernel_fn fn, const vg_image *dst,
                              const vg_image *const src[2],
                              const vg_kernel_params *p, int32_t y0, int32_t y1,
                              void *scratch)
{
    (void)scratch;
    ((vg_i420_to_rgba_fn)fn)(dst, src[0], &p->i420_to_rgba, y0, y1);
}

const vg_kernel_cases vg_rgba_to_i420_cases = {
    .count = VG_KC_COUNT(rows),
    .users = users,
    .make = make_rgba_to_i420,
    .call = call_rgba_to_i420,
    .reference = (vg_kernel_fn)vg_ref_rgba_to_i420,
};

const vg_kernel_cases vg_i420_to_rgba_cases = {
    .count = VG_KC_COUNT(rows),
    .users = users,
    .make = make_i420_to_rgba,
    .call = call_i420_to_rgba,
    .reference = (vg_kernel_fn)vg_ref_i420_to_rgba,
};

/*
 * blend.c - what blend accepts and the cases it is checked on: crossfades at
 * the boundary weights and around the midpoint, alpha-over, and wipes at
 * the first, middle and last columns.
 */
#include <stdio.h>

#include "case_marks.h"

int vg_check_blend_params(const vg_blend_params *params,
                          const vg_frame_desc *dst, char *msg, size_t msg_size)
{
    switch (params->mode) {
    case VG_BLEND_CROSSFADE:
        if (params->weight > 256) {
            snprintf(msg, msg_size, "crossfade weight %u is above 256",
                     params->weight);
            return VG_ERR_INVALID_ARGUMENT;
        }
        return 0;
    case VG_BLEND_ALPHA_OVER:
        return 0;
    case VG_BLEND_WIPE:
        if (params->position < 0 || params->position > dst->width) {
            snprintf(msg, msg_size, "wipe position %d outside 0..%d",
                     params->position, dst->width);
            return VG_ERR_INVALID_ARGUMENT;
        }
        return 0;
    }
    snprintf(msg, msg_size, "unknown blend mode %u", params->mode);
    return VG_ERR_INVALID_ARGUMENT;
}

/* A wipe's position is width * num / den + offset. */
static const struct blend_row {
    unsigned users;
    vg_blend_mode mode;
    uint32_t weight;
    int32_t num, den, offset;
    const char *bench_name;
} rows[] = {
    {S | L, VG_BLEND_CROSSFADE, 77, 0, 1, 0, NULL},
    {S | C | A | L, VG_BLEND_ALPHA_OVER, 0, 0, 1, 0, NULL},
    {S, VG_BLEND_WIPE, 0, 1, 3, 1, NULL},
    {C | A, VG_BLEND_CROSSFADE, 0, 0, 1, 0, NULL},
    {C | A, VG_BLEND_CROSSFADE, 1, 0, 1, 0, NULL},
    {A, VG_BLEND_CROSSFADE, 2, 0, 1, 0, NULL},
    {A, VG_BLEND_CROSSFADE, 127, 0, 1, 0, NULL},
    {C | A, VG_BLEND_CROSSFADE, 128, 0, 1, 0, NULL},
    {A, VG_BLEND_CROSSFADE, 129, 0, 1, 0, NULL},
    {C | A, VG_BLEND_CROSSFADE, 255, 0, 1, 0, NULL},
    {C | A, VG_BLEND_CROSSFADE, 256, 0, 1, 0, NULL},
    {C | A, VG_BLEND_WIPE, 0, 0, 1, 0, NULL},
    {A, VG_BLEND_WIPE, 0, 0, 1, 1, NULL},
    {C | A, VG_BLEND_WIPE, 0, 1, 2, 0, NULL},
    {A, VG_BLEND_WIPE, 0, 1, 1, -1, NULL},
    {C | A, VG_BLEND_WIPE, 0, 1, 1, 0, NULL},
    {B, VG_BLEND_CROSSFADE, 100, 0, 1, 0, "crossfade"},
    {B, VG_BLEND_ALPHA_OVER, 0, 0, 1, 0, "alpha_over"},
};

static unsigned users(size_t i)
{
    return rows[i].users;
}

static int make(size_t i, const vg_case_geometry *g, vg_kernel_case *out)
{
    static const char *const modes[] = {"", "crossfade", "alpha over", "wipe"};
    const struct blend_row *r = &rows[i];
    vg_blend_params p = {.mode = r->mode, .weight = r->weight};
    if (r->mode == VG_BLEND_WIPE)
        p.position = g->width * r->num / r->den + r->offset;
    if (p.position < 0 || p.position > g->width)
        return VG_CASE_SKIP;
    *out = (vg_kernel_case){.params.blend = p, .bench_name = r->bench_name};
    snprintf(out->label, sizeof out->label, "%s, weight %u, position %d",
             modes[r->mode], p.weight, (int)p.position);
    return 0;
}

static void call(vg_kernel_fn fn, const vg_image *dst,
                 const vg_image *const src[2], const vg_kernel_params *p,
                 int32_t y0, int32_t y1, void *scratch)
{
    (void)scratch;
    ((vg_blend_fn)fn)(dst, src[0], src[1], &p->blend, y0, y1);
}

const vg_kernel_cases vg_blend_cases = {
    .count = VG_KC_COUNT(rows),
    .users = users,
    .make = make,
    .call = call,
    .reference = (vg_kernel_fn)vg_ref_blend,
};

/*
 * fill_pattern.c - what fill_pattern accepts and the cases it is checked on:
 * every pattern kind, at frame indices from 0 to the largest, with fixed
 * and random colours.
 */
#include <stdio.h>

#include "case_marks.h"

int vg_check_fill_pattern_params(const vg_pattern_params *params,
                                 const vg_frame_desc *dst, char *msg,
                                 size_t msg_size)
{
    (void)dst;
    if (params->kind < VG_PATTERN_TESTSRC || params->kind > VG_PATTERN_SOLID) {
        snprintf(msg, msg_size, "unknown pattern kind %u", params->kind);
        return VG_ERR_INVALID_ARGUMENT;
    }
    return 0;
}

/* rgba RANDOM: drawn from the case's seed. */
#define RANDOM 1u

static const struct pattern_row {
    unsigned users;
    vg_pattern_kind kind;
    uint32_t frame_index, rgba, random;
    const char *bench_name;
} rows[] = {{S, VG_PATTERN_TESTSRC, 42, 0x3366ccffu, 0, NULL},
            {S, VG_PATTERN_BARS, 42, 0x3366ccffu, 0, NULL},
            {B, VG_PATTERN_TESTSRC, 42, 0, 0, "pattern"},
#define PATTERN_KIND_ROWS(kind)                                                \
    {C, kind, 0, 0x80c040a0u, 0, NULL}, {C, kind, 1234, 0x80c040a0u, 0, NULL}, \
        {A, kind, 0, 0, RANDOM, NULL}, {A, kind, 1, 0, RANDOM, NULL},          \
        {A, kind, 7, 0, RANDOM, NULL}, {A, kind, 100, 0, RANDOM, NULL},        \
        {A, kind, 12345, 0, RANDOM, NULL},                                     \
        {A, kind, 0xffffffffu, 0, RANDOM, NULL},                               \
        {A | L, kind, 77, 0, 0, NULL},
            PATTERN_KIND_ROWS(VG_PATTERN_TESTSRC)
                PATTERN_KIND_ROWS(VG_PATTERN_BARS)
                    PATTERN_KIND_ROWS(VG_PATTERN_CHECKER)
                        PATTERN_KIND_ROWS(VG_PATTERN_SOLID)
#undef PATTERN_KIND_ROWS
};

static unsigned users(size_t i)
{
    return rows[i].users;
}

static int make(size_t i, const vg_case_geometry *g, vg_kernel_case *out)
{
    static const char *const kinds[] = {"", "testsrc", "bars", "checker",
                                        "solid"};
    const struct pattern_row *r = &rows[i];
    uint32_t seed = g->seed;
    vg_pattern_params p = {.kind = r->kind,
                           .frame_index = r->frame_index,
                           .rgba = r->random ? vg_kc_random(&seed) : r->rgba};
    *out =
        (vg_kernel_case){.params.fill_pattern = p, .bench_name = r->bench_name};
    snprintf(out->label, sizeof out->label, "%s, frame %u, rgba %08x",
             kinds[r->kind], p.frame_index, p.rgba);
    return 0;
}

static void call(vg_kernel_fn fn, const vg_image *dst,
                 const vg_image *const src[2], const vg_kernel_params *p,
                 int32_t y0, int32_t y1, void *scratch)
{
    (void)src;
    (void)scratch;
    ((vg_pattern_fn)fn)(dst, &p->fill_pattern, y0, y1);
}

const vg_kernel_cases vg_fill_pattern_cases = {
    .count = VG_KC_COUNT(rows),
    .users = users,
    .make = make,
    .call = call,
    .reference = (vg_kernel_fn)vg_ref_pattern,
};

/*
 * kernel_specs.c - the kernels' specs, generated from the KERNEL rows of
 * VG_PLUGIN_SLOTS: name, shape, formats, the backend call, the parameter
 * check and the cases file (vg_<kernel>_cases) of each.
 */
#include <stdlib.h>
#include <string.h>

#include "vg_kernel_cases.h"

/* vg_backend_<name> with its sources by shape. */
#define VG_KC_RUN_SRC0(fn, b, dst, src, p) fn(b, dst, p)
#define VG_KC_RUN_SRC1(fn, b, dst, src, p) fn(b, dst, src[0], p)
#define VG_KC_RUN_SRC2(fn, b, dst, src, p) fn(b, dst, src[0], src[1], p)

#define VG_KC_ADAPTERS_(x, name, presence, since, ptype, shape, dst_format,    \
                        src_format, size_rule)                                 \
    static int run_##name(vg_backend *b, vg_backend_frame *dst,                \
                          vg_backend_frame *const src[2],                      \
                          const vg_kernel_params *p)                           \
    {                                                                          \
        (void)src;                                                             \
        return VG_KC_RUN_##shape(vg_backend_##name, b, dst, src, &p->name);    \
    }                                                                          \
    static int check_##name(const vg_kernel_params *p,                         \
                            const vg_frame_desc *dst, char *msg,               \
                            size_t msg_size)                                   \
    {                                                                          \
        return vg_check_##name##_params(&p->name, dst, msg, msg_size);         \
    }
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VG_KC_ADAPTERS_, )
#undef VG_KC_ADAPTERS_

#define VG_KC_ANY_SIZE_ANY_SIZE true
#define VG_KC_ANY_SIZE_SAME_SIZE false

/* (The parameters are spelt apart from the fields they fill.) */
#define VG_KC_SPEC_(x, kernel, presence, since, ptype, shape, dst_fmt,         \
                    src_fmt, size_rule)                                        \
    {.name = #kernel,                                                          \
     .sources = VG_KERNEL_SOURCES_##shape,                                     \
     .dst_format = VG_FORMAT_##dst_fmt,                                        \
     .src_format = VG_FORMAT_##src_fmt,                                        \
     .any_size = VG_KC_ANY_SIZE_##size_rule,                                   \
     .run = run_##kernel,                                                      \
     .check = check_##kernel,                                                  \
     .cases = &vg_##kernel##_cases},
const vg_kernel_spec vg_kernel_specs[] = {
    VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VG_KC_SPEC_, )};
#undef VG_KC_SPEC_

const size_t vg_kernel_spec_count = VG_KC_COUNT(vg_kernel_specs);

const vg_kernel_spec *vg_kernel_spec_find(const char *name)
{
    for (size_t k = 0; k < vg_kernel_spec_count; k++)
        if (strcmp(vg_kernel_specs[k].name, name) == 0)
            return &vg_kernel_specs[k];
    return NULL;
}

size_t vg_kernel_case_count(const vg_kernel_spec *spec, unsigned users)
{
    size_t n = 0;
    for (size_t i = 0; i < spec->cases->count; i++)
        n += (spec->cases->users(i) & users) != 0;
    return n;
}

int vg_kernel_reference(const vg_kernel_spec *spec, const vg_image *dst,
                        const vg_image *const src[2], const vg_kernel_params *p)
{
    const vg_kernel_cases *c = spec->cases;
    void *scratch = NULL;
    if (c->scratch_size) {
        size_t size = c->scratch_size(dst->width, dst->height, p);
        scratch = aligned_alloc(64, (size + 63) / 64 * 64);
        if (!scratch)
            return VG_ERR_NO_MEMORY;
    }
    c->call(c->reference, dst, src, p, 0, dst->height, scratch);
    free(scratch);
    return 0;
}

uint32_t vg_kc_random(uint32_t *state)
{
    uint32_t x = *state ? *state : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

int32_t vg_kc_random_range(uint32_t *state, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(vg_kc_random(state) % (uint32_t)(hi - lo + 1));
}

/*
 * vg_kernel_cases.h - each kernel's contract beside its reference: the
 * parameters it accepts and the cases every check runs it on.
 *
 * One file per kernel, core/reference/cases/<kernel>.c, defines
 *
 *     int vg_check_<kernel>_params(const <params_type> *params,
 *                                  const vg_frame_desc *dst,
 *                                  char *msg, size_t msg_size);
 *     const vg_kernel_cases vg_<kernel>_cases;
 *
 * the first called by libvg's checked wrappers before a plugin runs (0, or
 * VG_ERR_INVALID_ARGUMENT / VG_ERR_LIMIT with a one-line message), the
 * second a table of parameter sets, each marked with the checks that run it
 * (VG_CASE_*): the self-test (core/src/backend/selftest.c), the conformance
 * suite (tools/vg-conformance), checkasm (tests/test_cpu_checkasm.c) and
 * vgbench.  Those four are generic: they walk vg_kernel_specs, which
 * cases/kernel_specs.c generates from the KERNEL rows of VG_PLUGIN_SLOTS
 * (vg/plugin.h), so a kernel row without its cases file fails to link.
 *
 * Ownership: everything here is static.  Thread-safety: pure functions.
 */
#ifndef VG_KERNEL_CASES_H
#define VG_KERNEL_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vg/backend.h"
#include "vg/plugin.h"
#include "vg_reference.h"

/* The checks that run a case: a row's `users`, a mask. */
#define VG_CASE_SELFTEST 1u    /* the core's self-test, at 3 sizes */
#define VG_CASE_CONFORMANCE 2u /* vg-conformance, on every backend */
#define VG_CASE_CHECKASM 4u    /* every CPU ISA level, with guard bytes */
/* checkasm at the largest sizes too (1920x1080, 16384-pixel strips...) */
#define VG_CASE_CHECKASM_LARGE 8u
#define VG_CASE_BENCH 16u /* a vgbench line, named by bench_name */

/* What a case is built for. */
typedef struct vg_case_geometry {
    int32_t width, height; /* the destination */
    /* every source: the destination's size unless the row is ANY_SIZE */
    int32_t src_width, src_height;
    uint32_t seed; /* random cases draw from it */
} vg_case_geometry;

/* The parameters of any kernel, one member per KERNEL row, by its name. */
#define VG_KC_PARAMS_MEMBER_(x, name, presence, since, ptype, shape,           \
                             dst_format, src_format, size_rule)                \
    ptype name;
typedef union vg_kernel_params {
    VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VG_KC_PARAMS_MEMBER_, )
} vg_kernel_params;
#undef VG_KC_PARAMS_MEMBER_

/* One case, built for one geometry. */
typedef struct vg_kernel_case {
    vg_kernel_params params;
    char label[96]; /* what it is, for messages: "crossfade, weight 77" */
    /* VG_CASE_BENCH rows: the line's name ("crossfade"), the source size
     * it wants for an ANY_SIZE kernel (0: the destination's), and the
     * real-valued setting the parameters came from, for peers that take
     * it (blur: sigma) */
    const char *bench_name;
    int32_t bench_src_width, bench_src_height;
    double bench_setting;
} vg_kernel_case;

/* make_case's answer for a case that does not apply at this geometry (a
 * map outside the 16.16 range): skip it. */
#define VG_CASE_SKIP 1

/* A reference-shaped call: fn has the kernel's VG_DECL_*_FN type. */
typedef void (*vg_kernel_fn)(void);

/* What each kernel's cases file defines. */
typedef struct vg_kernel_cases {
    size_t count;
    /* The checks that run case i (VG_CASE_* mask). */
    unsigned (*users)(size_t i);
    /* Build case i for geometry g: 0, or VG_CASE_SKIP. */
    int (*make)(size_t i, const vg_case_geometry *g, vg_kernel_case *out);
    /* Call fn, of this kernel's VG_DECL_*_FN type, on rows [y0, y1). */
    void (*call)(vg_kernel_fn fn, const vg_image *dst,
                 const vg_image *const src[2], const vg_kernel_params *p,
                 int32_t y0, int32_t y1, void *scratch);
    vg_kernel_fn reference; /* vg_ref_<...> */
    /* Scratch bytes `call` needs for `rows` rows (NULL: none). */
    size_t (*scratch_size)(int32_t width, int32_t rows,
                           const vg_kernel_params *p);
} vg_kernel_cases;

/* A kernel: its row in VG_PLUGIN_SLOTS and its cases. */
typedef struct vg_kernel_spec {
    const char *name; /* the row's name: "blend" */
    int sources;      /* 0, 1 or 2 */
    vg_pixel_format dst_format, src_format;
    bool any_size; /* ANY_SIZE: sources need not have the dst's size */
    /* vg_backend_<name> on these frames (src[0], src[1] as the row has) */
    int (*run)(vg_backend *b, vg_backend_frame *dst,
               vg_backend_frame *const src[2], const vg_kernel_params *p);
    /* vg_check_<name>_params */
    int (*check)(const vg_kernel_params *p, const vg_frame_desc *dst, char *msg,
                 size_t msg_size);
    const vg_kernel_cases *cases;
} vg_kernel_spec;

/* The kernels, in table order, and how many. */
extern const vg_kernel_spec vg_kernel_specs[];
extern const size_t vg_kernel_spec_count;

/* The kernel called `name`, or NULL. */
const vg_kernel_spec *vg_kernel_spec_find(const char *name);

/* How many of its cases `users` selects. */
size_t vg_kernel_case_count(const vg_kernel_spec *spec, unsigned users);

/* Run the reference of `spec` on whole frames; scratch is allocated here.
 * 0, or VG_ERR_NO_MEMORY. */
int vg_kernel_reference(const vg_kernel_spec *spec, const vg_image *dst,
                        const vg_image *const src[2],
                        const vg_kernel_params *p);

/* The declarations of every cases file. */
#define VG_KC_DECLARE_(x, name, presence, since, ptype, shape, dst_format,     \
                       src_format, size_rule)                                  \
    int vg_check_##name##_params(const ptype *params,                          \
                                 const vg_frame_desc *dst, char *msg,          \
                                 size_t msg_size);                             \
    extern const vg_kernel_cases vg_##name##_cases;
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VG_KC_DECLARE_, )
#undef VG_KC_DECLARE_

/* Helpers for the cases files. */
#define VG_KC_COUNT(array) (sizeof(array) / sizeof((array)[0]))
/* xorshift32 step: deterministic random cases from a seed. */
uint32_t vg_kc_random(uint32_t *state);
/* A value in [lo, hi] drawn from state. */
int32_t vg_kc_random_range(uint32_t *state, int32_t lo, int32_t hi);

/* Valid random blur taps of `radius`: symmetric, non-negative, summing to
 * 16384; extreme: all of one side's weight on the outermost tap, which
 * maximises the sums. */
void vg_kc_random_blur_taps(vg_blur_params *p, int32_t radius, uint32_t *state,
                            bool extreme);

#endif /* VG_KERNEL_CASES_H */

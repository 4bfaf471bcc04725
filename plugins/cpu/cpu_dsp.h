/*
 * cpu_dsp.h - the CPU backend's kernel tables, one per ISA level (internal).
 *
 * As in dav1d: cpu_dsp_init fills a table with the C versions (the core's
 * reference kernels), then the architecture's init (x86/dsp_init_x86.c)
 * upgrades it slot by slot, one ISA level at a time, returning early at the
 * level asked for.  Every variant is declared with the reference's
 * VG_DECL_*_FN macro (vg_reference.h), so signatures cannot drift, and every
 * variant of every level is checked byte for byte against the reference by
 * tests/test_cpu_checkasm.c.
 *
 * This header is what the plugin, the conformance test and the benchmark
 * share; it knows nothing about contexts, frames or threads.
 */
#ifndef VG_CPU_DSP_H
#define VG_CPU_DSP_H

#include <stddef.h>
#include <stdint.h>

#include "vg_reference.h"

/* ISA levels, lowest first; the values index cpu_isa_names. */
typedef enum cpu_isa {
    CPU_ISA_SCALAR,
    CPU_ISA_SSE41,
    CPU_ISA_AVX2,
    CPU_ISA_AVX512, /* AVX-512 F + BW + VL */
    CPU_ISA_NEON,
    CPU_ISA_AUTO, /* option value only: the best level the CPU has */
} cpu_isa;

/* "scalar", "sse41", "avx2", "avx512", "neon", "auto", NULL */
extern const char *const cpu_isa_names[];

/*
 * The CPU backend's DSP functions, listed once: F(name, DECL) for each,
 * where DECL is its declaration macro from vg_reference.h.  The C version
 * is always vg_ref_<name>; each x86 level's is cpu_<name>_<level>, written
 * in an x86 template, x86/<family>_tmpl.c (x86/kernels_tmpl.c lists them).
 * The table below, its C initialisation (cpu_dsp.c) and the x86
 * declarations and installation (x86/cpu_x86.h, x86/dsp_init_x86.c) come
 * from this list.
 */
#define CPU_DSP_FUNCTIONS(F)                                                   \
    F(pattern, VG_DECL_PATTERN_FN)                                             \
    F(warp, VG_DECL_WARP_FN)                                                   \
    F(blend, VG_DECL_BLEND_FN)                                                 \
    F(blur, VG_DECL_BLUR_FN)                                                   \
    F(rgba_to_i420, VG_DECL_RGBA_TO_I420_FN)                                   \
    F(i420_to_rgba, VG_DECL_I420_TO_RGBA_FN)

/* The kernels of one ISA level (dav1d's per-ISA function tables). */
#define CPU_DSP_FIELD_(name, DECL) DECL((*name));
typedef struct cpu_dsp {
    CPU_DSP_FUNCTIONS(CPU_DSP_FIELD_)
} cpu_dsp;
#undef CPU_DSP_FIELD_

/* The best ISA level this CPU (and its OS) supports. */
cpu_isa cpu_detect_isa(void);

/* Whether `isa` can run here: scalar always, the others when they lie on
 * this CPU's own ladder at or below its best level. */
int cpu_isa_available(cpu_isa isa);

/* Fill `dsp` with the C versions, then upgrade slot by slot up to `isa`
 * (which must be available). */
void cpu_dsp_init(cpu_dsp *dsp, cpu_isa isa);

/* Scratch one blur call of `rows` destination rows needs, for every ISA
 * level's blur (the reference's layout and the SIMD one below), 64-byte
 * aligned by the caller. */
size_t cpu_blur_scratch_size(int32_t width, int32_t rows, int32_t radius);

/*
 * The SIMD blur's scratch (x86/blur_tmpl.c), computed in one place so the
 * size above and the kernels cannot disagree:
 *   - `padded`: one source row with `radius` edge pixels replicated on each
 *     side, plus slack so whole vectors may read past its end;
 *   - `pairs[0..1]`: two rows of horizontal-filter input in "pixel pair"
 *     layout (8 x u16 per pixel: R(x) R(x+1) G(x) G(x+1) ...);
 *   - `vrows`: a ring of the horizontal pass's output, two source rows
 *     interleaved per int32 (row 2j in the low half, 2j+1 in the high
 *     half, each as 8.8 fixed point minus 32768), so the vertical pass
 *     multiplies two taps with one pmaddwd and needs no shuffles.  The
 *     ring holds radius + 2 such rows: the radius + 1 one output row reads
 *     and the next, so the working set stays in cache whatever the height.
 * Offsets are in bytes from the 64-byte aligned start of scratch.
 */
typedef struct cpu_blur_layout {
    size_t padded;      /* uint8_t[(width + 2 * radius) * 4 + slack] */
    size_t pairs[2];    /* uint16_t[8 * pair_count] each */
    size_t vrows;       /* int32_t[vrow_pitch * vrow_count] */
    size_t total;       /* bytes in all */
    int32_t pair_count; /* pixel pairs per row: width + 2*radius + slack */
    int32_t vrow_pitch; /* int32 per interleaved row: 4 * padded width */
    int32_t vrow_count; /* interleaved rows in the ring: radius + 2 */
} cpu_blur_layout;

void cpu_blur_layout_init(cpu_blur_layout *layout, int32_t width,
                          int32_t radius);

#endif /* VG_CPU_DSP_H */

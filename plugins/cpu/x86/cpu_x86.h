/*
 * cpu_x86.h - the x86 kernels of each ISA level (internal).
 *
 * Each kernel family is written once, as a template over the vector width
 * (x86/vec.h and the *_tmpl.c files), and instantiated per ISA level by
 * x86/isa_sse41.c, isa_avx2.c and isa_avx512.c, each compiled for its own
 * target with `#pragma GCC target` so the rest of the plugin stays
 * baseline x86-64.  cpu_dsp_init_x86 installs them (x86/dsp_init_x86.c).
 */
#ifndef VG_CPU_X86_H
#define VG_CPU_X86_H

#include "cpu_dsp.h"

/* Upgrade `dsp` level by level up to `isa`: SSE4.1, then AVX2, then
 * AVX-512 (F, BW, VL); returns early at the level asked for. */
void cpu_dsp_init_x86(cpu_dsp *dsp, cpu_isa isa);

/* cpu_<name>_<level> for every function of CPU_DSP_FUNCTIONS and level. */
#define CPU_X86_DECL_(name, DECL)                                              \
    DECL(cpu_##name##_sse41);                                                  \
    DECL(cpu_##name##_avx2);                                                   \
    DECL(cpu_##name##_avx512);
CPU_DSP_FUNCTIONS(CPU_X86_DECL_)
#undef CPU_X86_DECL_

/* The AVX-512 blur with AVX512-VNNI's vpdpwssd (x86/isa_avx512vnni.c),
 * installed in place of cpu_blur_avx512 where the CPU has VNNI. */
VG_DECL_BLUR_FN(cpu_blur_avx512vnni);

/* Whether this CPU has AVX512-VNNI (on top of the AVX-512 level). */
int cpu_x86_has_avx512vnni(void);

#endif /* VG_CPU_X86_H */

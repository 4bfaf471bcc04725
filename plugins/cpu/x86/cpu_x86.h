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

#define CPU_X86_DECL_LEVEL(suffix)                                             \
    VG_DECL_PATTERN_FN(cpu_pattern_##suffix);                                  \
    VG_DECL_WARP_FN(cpu_warp_##suffix);                                        \
    VG_DECL_BLEND_FN(cpu_blend_##suffix);                                      \
    VG_DECL_BLUR_FN(cpu_blur_##suffix);                                        \
    VG_DECL_RGBA_TO_I420_FN(cpu_rgba_to_i420_##suffix);                        \
    VG_DECL_I420_TO_RGBA_FN(cpu_i420_to_rgba_##suffix)

CPU_X86_DECL_LEVEL(sse41);
CPU_X86_DECL_LEVEL(avx2);
CPU_X86_DECL_LEVEL(avx512);

#endif /* VG_CPU_X86_H */

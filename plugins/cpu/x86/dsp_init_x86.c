/*
 * dsp_init_x86.c - install the x86 kernels, one ISA level at a time.
 *
 * dav1d's shape: each level overwrites the slots it implements and the
 * function returns as soon as the level asked for is reached, so forcing a
 * lower level (VG_CPU_ISA, backend_options.cpu.isa) gives exactly that
 * level's table.
 */
#include "x86/cpu_x86.h"

#define CPU_X86_INSTALL(dsp, suffix)                                           \
    do {                                                                       \
        (dsp)->pattern = cpu_pattern_##suffix;                                 \
        (dsp)->warp = cpu_warp_##suffix;                                       \
        (dsp)->blend = cpu_blend_##suffix;                                     \
        (dsp)->blur = cpu_blur_##suffix;                                       \
        (dsp)->rgba_to_i420 = cpu_rgba_to_i420_##suffix;                       \
        (dsp)->i420_to_rgba = cpu_i420_to_rgba_##suffix;                       \
    } while (0)

void cpu_dsp_init_x86(cpu_dsp *dsp, cpu_isa isa)
{
    if (isa < CPU_ISA_SSE41 || isa > CPU_ISA_AVX512)
        return;
    CPU_X86_INSTALL(dsp, sse41);
    if (isa < CPU_ISA_AVX2)
        return;
    CPU_X86_INSTALL(dsp, avx2);
    if (isa < CPU_ISA_AVX512)
        return;
    CPU_X86_INSTALL(dsp, avx512);
}

/*
 * dsp_init_x86.c - install the x86 kernels, one ISA level at a time.
 *
 * dav1d's shape: each level overwrites the slots it implements and the
 * function returns as soon as the level asked for is reached, so forcing a
 * lower level (VG_CPU_ISA, backend_options.cpu.isa) gives exactly that
 * level's table.
 */
#include "x86/cpu_x86.h"

/* Every function of CPU_DSP_FUNCTIONS at one level. */
#define CPU_X86_INSTALL(dsp, suffix)                                           \
    do {                                                                       \
        CPU_DSP_FUNCTIONS(CPU_X86_SET_##suffix##_)                             \
    } while (0)
#define CPU_X86_SET_sse41_(name, DECL) (dsp)->name = cpu_##name##_sse41;
#define CPU_X86_SET_avx2_(name, DECL) (dsp)->name = cpu_##name##_avx2;
#define CPU_X86_SET_avx512_(name, DECL) (dsp)->name = cpu_##name##_avx512;

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
    /* The same blur with each pmaddwd + paddd fused into one vpdpwssd.  On
     * Zen 4, which runs 512-bit operations as two 256-bit halves, AVX-512
     * alone gains nothing over AVX2 in the blur's loops; halving their
     * instruction count does. */
    if (cpu_x86_has_avx512vnni())
        dsp->blur = cpu_blur_avx512vnni;
}

int cpu_x86_has_avx512vnni(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512vnni");
}

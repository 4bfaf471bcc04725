/*
 * isa_avx512vnni.c - the blur at the AVX-512 level for CPUs that also have
 * AVX512-VNNI (Ice Lake, Zen 4 and later).
 *
 * The blur's inner loops are pmaddwd + paddd pairs, two taps of four
 * channels each; VNNI's vpdpwssd does both in one instruction
 * (v_madd16_acc in x86/vec.h), with the same bits.  The other kernels do
 * not accumulate that way, so only the blur is compiled here; the AVX-512
 * level installs it when the CPU has VNNI (x86/dsp_init_x86.c).  The
 * plain AVX-512 blur stays for the CPUs without it, and
 * tests/test_cpu_vnni.c checks both against the reference.
 */
#pragma GCC target("avx2,avx512f,avx512bw,avx512vl,avx512vnni")

#define VEC_BITS 512
#define CPU_VNNI 1
#define CPU_FN(name) name##_avx512vnni

#include "x86/cpu_x86.h"
#include "x86/vec.h"

#include "x86/blur_tmpl.c"

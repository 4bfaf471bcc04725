/*
 * isa_avx2.c - the AVX2 (256-bit) level: every kernel template, compiled
 * for this target only.
 *
 * The pragma (rather than a per-file compiler flag) keeps the file
 * buildable wherever it is listed, with nothing else in the plugin compiled
 * for more than baseline x86-64; cpu_dsp_init_x86 calls in only when the
 * CPU has the level.
 */
#pragma GCC target("avx2")

#define VEC_BITS 256
#define CPU_FN(name) name##_avx2

#include "x86/cpu_x86.h"
#include "x86/vec.h"

#include "x86/kernels_tmpl.c"

/*
 * isa_sse41.c - the SSE4.1 (128-bit) level: every kernel template, compiled
 * for this target only.
 *
 * The pragma (rather than a per-file compiler flag) keeps the file
 * buildable wherever it is listed, with nothing else in the plugin compiled
 * for more than baseline x86-64; cpu_dsp_init_x86 calls in only when the
 * CPU has the level.
 */
#pragma GCC target("sse4.1")

#define VEC_BITS 128
#define CPU_FN(name) name##_sse41

#include "x86/cpu_x86.h"
#include "x86/vec.h"

#include "x86/kernels_tmpl.c"

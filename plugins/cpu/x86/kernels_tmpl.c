/*
 * kernels_tmpl.c - every x86 kernel template, instantiated once per ISA
 * level by x86/isa_sse41.c, isa_avx2.c and isa_avx512.c (each defines
 * VEC_BITS and CPU_FN first).  A new template is listed here, once.
 */
#include "x86/blend_tmpl.c"
#include "x86/blur_tmpl.c"
#include "x86/color_tmpl.c"
#include "x86/pattern_tmpl.c"
#include "x86/warp_tmpl.c"

/*
 * kernels_tmpl.c - every x86 kernel template, instantiated once per ISA
 * level by x86/isa_sse41.c, isa_avx2.c and isa_avx512.c (each defines
 * VEC_BITS and CPU_FN first).  The list is generated from the files
 * themselves (every x86/<family>_tmpl.c, by plugins/cpu/CMakeLists.txt),
 * so a new template is found without an edit here.
 */
#include "cpu_x86_templates.h"

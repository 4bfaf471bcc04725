/*
 * cpu_dsp.c - the kernel table of each ISA level.
 *
 * As in dav1d: the table starts with the C versions (the reference), then
 * each ISA init upgrades the slots it has, returning early when the CPU (or
 * the level asked for) runs out.  Every slot of every level is tested
 * byte-for-byte against the reference (tests/test_backend_conformance.c).
 */
#include "cpu_internal.h"

void cpu_dsp_init(cpu_dsp *dsp, cpu_isa isa)
{
    (void)isa; /* SIMD levels upgrade the table here as they land */
    *dsp = (cpu_dsp){
        .pattern = vg_ref_pattern,
        .warp = vg_ref_warp,
        .blend = vg_ref_blend,
        .blur = vg_ref_blur,
        .rgba_to_i420 = vg_ref_rgba_to_i420,
        .i420_to_rgba = vg_ref_i420_to_rgba,
    };
}

/*
 * cpu_dsp.c - the kernel table of each ISA level.
 *
 * As in dav1d: the table starts with the C versions (the core's reference
 * kernels), then the architecture's init upgrades the slots it has, one ISA
 * level at a time, returning early at the level asked for.  Every slot of
 * every level is tested byte-for-byte against the reference
 * (tests/test_cpu_checkasm.c).
 */
#include "cpu_dsp.h"

#if defined(__x86_64__) || defined(__i386__)
#include "x86/cpu_x86.h"
#endif

void cpu_dsp_init(cpu_dsp *dsp, cpu_isa isa)
{
#define CPU_DSP_C_(name, DECL) dsp->name = vg_ref_##name;
    CPU_DSP_FUNCTIONS(CPU_DSP_C_)
#undef CPU_DSP_C_
#if defined(__x86_64__) || defined(__i386__)
    cpu_dsp_init_x86(dsp, isa);
#else
    (void)isa; /* scalar: the reference is this architecture's only level */
#endif
}

static size_t align64(size_t n)
{
    return (n + 63) / 64 * 64;
}

void cpu_blur_layout_init(cpu_blur_layout *layout, int32_t width,
                          int32_t radius)
{
    /* Widths are padded to 16 pixels, the most one AVX-512 iteration
     * produces, so the kernels never need a scalar tail in scratch. */
    int32_t w16 = (width + 15) / 16 * 16;
    layout->pair_count = (w16 + 2 * radius + 2 + 3) / 4 * 4;
    layout->vrow_pitch = 4 * w16;
    layout->vrow_count = radius + 2;
    size_t padded_bytes = 4 * ((size_t)layout->pair_count + 8) + 64;
    size_t pair_bytes = 16 * (size_t)layout->pair_count;
    size_t vrow_bytes =
        4 * (size_t)layout->vrow_pitch * (size_t)layout->vrow_count;
    layout->padded = 0;
    layout->pairs[0] = align64(padded_bytes);
    layout->pairs[1] = layout->pairs[0] + align64(pair_bytes);
    layout->vrows = layout->pairs[1] + align64(pair_bytes);
    layout->total = layout->vrows + align64(vrow_bytes);
}

size_t cpu_blur_scratch_size(int32_t width, int32_t rows, int32_t radius)
{
    cpu_blur_layout layout;
    cpu_blur_layout_init(&layout, width, radius);
    size_t ref = vg_ref_blur_scratch_size(width, rows, radius);
    return ref > layout.total ? ref : layout.total;
}

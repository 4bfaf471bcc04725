/*
 * cpu_internal.h - shared declarations of the CPU backend (internal).
 *
 * Files: cpu_entry.c (descriptor and options), cpu_probe.c (what CPU this
 * is), cpu_dsp.c (the kernel table per ISA level), cpu_context.c
 * (open/close/errors), cpu_memory.c (frames), cpu_kernels.c (the slots).
 */
#ifndef VG_CPU_INTERNAL_H
#define VG_CPU_INTERNAL_H

#include <stdarg.h>

#include "vg/plugin.h"
#include "vg_reference.h"

/* Indices into the option table (cpu_entry.c); keep in step with it. */
enum cpu_option { CPU_OPT_THREADS, CPU_OPT_ISA, CPU_OPTION_COUNT };

/* ISA levels, lowest first; the values index cpu_isa_names. */
typedef enum cpu_isa {
    CPU_ISA_SCALAR,
    CPU_ISA_SSE41,
    CPU_ISA_AVX2,
    CPU_ISA_AVX512,
    CPU_ISA_NEON,
    CPU_ISA_AUTO, /* option value only: the best level the CPU has */
} cpu_isa;

extern const char *const cpu_isa_names[];

/* The kernels of one ISA level (dav1d's per-ISA function tables). */
typedef struct cpu_dsp {
    vg_pattern_fn pattern;
    vg_warp_fn warp;
    vg_blend_fn blend;
    vg_blur_fn blur;
    vg_rgba_to_i420_fn rgba_to_i420;
    vg_i420_to_rgba_fn i420_to_rgba;
} cpu_dsp;

/* The best ISA level this CPU supports. */
cpu_isa cpu_detect_isa(void);

/* Fill `dsp` with the C versions, then upgrade slot by slot up to `isa`. */
void cpu_dsp_init(cpu_dsp *dsp, cpu_isa isa);

/* Resolve the isa option against the CPU: the level to use, or
 * VG_ERR_UNSUPPORTED with a reason when the CPU lacks the level asked for. */
int cpu_resolve_isa(int64_t option, cpu_isa *out, char *reason,
                    size_t reason_size);

/* A host frame: a vg_image this plugin allocated. */
struct vg_frame {
    vg_image image;
};

struct vg_backend_ctx {
    cpu_dsp dsp;
    cpu_isa isa;
    void *blur_scratch; /* grown on demand, reused across frames */
    size_t blur_scratch_size;
    char error[VG_TEXT_MAX];
};

/* Record a failure on ctx and return code. */
int cpu_fail(vg_backend_ctx *ctx, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The slots, one per plugin.h entry. */
int cpu_probe(const vg_option_value *options, vg_probe_result *out);
int cpu_check_device(const vg_option_value *options, uint32_t device,
                     const vg_job_limits *limits, char *reason,
                     size_t reason_size);
int cpu_open(const vg_option_value *options, uint32_t device,
             const vg_job_limits *limits, vg_backend_ctx **out, char *reason,
             size_t reason_size);
void cpu_close(vg_backend_ctx *ctx);
const char *cpu_last_error(const vg_backend_ctx *ctx);
int cpu_frame_alloc(vg_backend_ctx *ctx, const vg_frame_desc *desc,
                    vg_frame **out);
void cpu_frame_free(vg_backend_ctx *ctx, vg_frame *frame);
int cpu_frame_upload(vg_backend_ctx *ctx, vg_frame *dst, const vg_image *src);
int cpu_frame_download(vg_backend_ctx *ctx, const vg_frame *src,
                       const vg_image *dst);
int cpu_fill_pattern(vg_backend_ctx *ctx, vg_frame *dst,
                     const vg_pattern_params *params);
int cpu_warp_affine(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                    const vg_warp_params *params);
int cpu_blend(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *a,
              const vg_frame *b, const vg_blend_params *params);
int cpu_blur(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
             const vg_blur_params *params);
int cpu_rgba_to_i420(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                     const vg_color_params *params);
int cpu_i420_to_rgba(vg_backend_ctx *ctx, vg_frame *dst, const vg_frame *src,
                     const vg_color_params *params);
int cpu_sync(vg_backend_ctx *ctx);

#endif /* VG_CPU_INTERNAL_H */

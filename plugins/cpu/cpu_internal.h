/*
 * cpu_internal.h - shared declarations of the CPU backend (internal).
 *
 * Files: cpu_entry.c (descriptor and options), cpu_probe.c (what CPU this
 * is), cpu_dsp.c (the kernel table per ISA level, with x86/ upgrading it),
 * cpu_threads.c (the worker pool), cpu_context.c (open/close/errors),
 * cpu_memory.c (frames), cpu_kernels.c (the slots: rows split into bands
 * over the pool).
 */
#ifndef VG_CPU_INTERNAL_H
#define VG_CPU_INTERNAL_H

#include <stdarg.h>

#include "cpu_dsp.h"
#include "cpu_threads.h"
#include "vg/plugin.h"

/* Indices into the option table (cpu_entry.c); keep in step with it. */
enum cpu_option { CPU_OPT_THREADS, CPU_OPT_ISA, CPU_OPTION_COUNT };

/* Resolve the isa option against the CPU: the level to use, or
 * VG_ERR_UNSUPPORTED with a reason when the CPU lacks the level asked for. */
int cpu_resolve_isa(int64_t option, cpu_isa *out, char *reason,
                    size_t reason_size);

/* A host frame: a vg_image this plugin allocated. */
struct vg_frame {
    vg_image image;
};

/* The number of worker threads the threads option asks for: itself, or
 * one per online core for 0. */
int32_t cpu_thread_count(int64_t option);

struct vg_backend_ctx {
    cpu_dsp dsp;
    cpu_isa isa;
    cpu_pool *pool; /* created at open: no thread is created per frame */
    /* Blur scratch, one per worker (the horizontal pass's rows); grown
     * only when a larger frame or radius arrives, reused otherwise. */
    void **blur_scratch;
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

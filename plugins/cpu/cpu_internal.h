/*
 * cpu_internal.h - shared declarations of the CPU backend (internal).
 *
 * Files: cpu_descriptor.c (descriptor and options), cpu_entry.c (the
 * exported entry point, the only file not in vg_cpu_backend), cpu_probe.c (what
 * CPU this is), cpu_dsp.c (the kernel table per ISA level, with x86/ upgrading
 * it), cpu_threads.c (the worker pool), cpu_context.c (open/close/errors),
 * cpu_memory.c (frames), cpu_kernels.c (the slots: rows split into bands
 * over the pool).
 */
#ifndef VG_CPU_INTERNAL_H
#define VG_CPU_INTERNAL_H

#include <stdarg.h>

#include "cpu_dsp.h"
#include "cpu_threads.h"
#include "vg/plugin.h"

/* Indices into the option table (cpu_descriptor.c); keep in step with it. */
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

/* The slots: cpu_probe, cpu_open, cpu_fill_pattern... one per row of
 * plugin.h's VG_PLUGIN_SLOTS. */
VG_PLUGIN_DECLARE_SLOTS(cpu_)

/* The backend's descriptor (cpu_descriptor.c): vg_cpu.so returns it, and
 * the faulty test plugins copy it and wrap some of its slots. */
extern const vg_plugin cpu_plugin_descriptor;

#endif /* VG_CPU_INTERNAL_H */

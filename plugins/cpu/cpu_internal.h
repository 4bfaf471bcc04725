/*
 * cpu_internal.h - shared declarations of the CPU backend (internal).
 *
 * Files: cpu_descriptor.c (descriptor and options), cpu_entry.c (the
 * exported entry point, the only file not in vg_cpu_backend), cpu_probe.c (what
 * CPU this is), cpu_dsp.c (the kernel table per ISA level, with x86/ upgrading
 * it), cpu_threads.c (the worker pool), cpu_context.c (open/close/errors),
 * cpu_memory.c (frames), cpu_kernels.c (the slots, and an op run in bands
 * over the pool or whole), cpu_frames.c (frames in flight: a frame's ops
 * recorded and run whole on a frame thread).
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

typedef struct cpu_task cpu_task;

/* A host frame: a vg_image this plugin allocated. */
struct vg_plugin_frame {
    vg_image image;
    cpu_task *download_task; /* its download in flight, or NULL */
};

/* One kernel call, with copies of its parameters (which need only live for
 * the call), so it can run later. */
typedef enum cpu_op_kind {
    CPU_OP_PATTERN,
    CPU_OP_WARP,
    CPU_OP_BLEND,
    CPU_OP_BLUR,
    CPU_OP_RGBA_TO_I420,
    CPU_OP_I420_TO_RGBA,
} cpu_op_kind;

typedef struct cpu_op {
    cpu_op_kind kind;
    vg_plugin_frame *dst;
    const vg_plugin_frame *src, *src2; /* NULL when unused */
    union {
        vg_pattern_params pattern;
        vg_warp_params warp;
        vg_blend_params blend;
        vg_blur_params blur;
        vg_color_params color;
    } p;
} cpu_op;

/* Scratch memory grown on demand (64-byte aligned). */
typedef struct cpu_scratch {
    void *data;
    size_t size;
} cpu_scratch;

/* Frames in flight (cpu_frames.c); NULL on a context that runs every op
 * at once, in bands. */
typedef struct cpu_frames cpu_frames;

/* The most frames the core keeps in flight (VG_RENDER_DEPTH): a pool of at
 * most this many threads runs whole frames, one per thread; a larger pool
 * has more threads than frames and splits each kernel into bands instead. */
#define CPU_FRAMES_IN_FLIGHT 2

/* The number of worker threads the threads option asks for: itself, or
 * one per online core for 0. */
int32_t cpu_thread_count(int64_t option);

struct vg_plugin_ctx {
    cpu_dsp dsp;
    cpu_isa isa;
    cpu_pool *pool; /* created at open: no thread is created per frame */
    /* Blur scratch, one per worker (the horizontal pass's rows); grown
     * only when a larger frame or radius arrives, reused otherwise. */
    void **blur_scratch;
    size_t blur_scratch_size;
    cpu_frames *frames;
    char error[VG_TEXT_MAX];
};

/* Record a failure on ctx and return code. */
int cpu_fail(vg_plugin_ctx *ctx, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Run op now, split into bands over ctx's pool (cpu_kernels.c). */
int cpu_op_run_banded(vg_plugin_ctx *ctx, const cpu_op *op);
/* Run op whole on the calling thread, with its own scratch. */
int cpu_op_run_whole(const cpu_dsp *dsp, const cpu_op *op,
                     cpu_scratch *scratch);

/* Copy the planes of src into dst (same format and size). */
void cpu_copy_image(const vg_image *dst, const vg_image *src);

/* Frames in flight (cpu_frames.c).  cpu_frames_create starts `threads`
 * frame threads; destroy finishes every frame first. */
int cpu_frames_create(const cpu_dsp *dsp, int32_t threads, cpu_frames **out);
void cpu_frames_destroy(cpu_frames **frames);
/* A kernel slot's op: recorded for its frame with frames in flight, else
 * run now in bands. */
int cpu_queue_op(vg_plugin_ctx *ctx, const cpu_op *op);
/* Bring `frame` (NULL: every frame) up to date: wait for the frames in
 * flight that use it and run the ops recorded for it. */
int cpu_settle(vg_plugin_ctx *ctx, const vg_plugin_frame *frame);

/* The slots: cpu_probe, cpu_open, cpu_fill_pattern... one per row of
 * plugin.h's VG_PLUGIN_SLOTS, and the asynchronous download pair
 * (cpu_frame_download_start/_wait, cpu_frames.c). */
VG_PLUGIN_DECLARE_SLOTS(cpu_)
VG_PLUGIN_DECLARE_ASYNC_DOWNLOAD(cpu_)

/* The backend's descriptor (cpu_descriptor.c): vg_cpu.so returns it, and
 * the faulty test plugins copy it and wrap some of its slots. */
extern const vg_plugin cpu_plugin_descriptor;

#endif /* VG_CPU_INTERNAL_H */

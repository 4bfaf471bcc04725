/*
 * cpu_context.c - open and close the CPU backend, and its errors.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cpu_internal.h"

int cpu_fail(vg_plugin_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
    va_end(ap);
    return code;
}

int cpu_open(const vg_option_value *options, uint32_t device,
             const vg_job_limits *limits, vg_plugin_ctx **out, char *reason,
             size_t reason_size)
{
    (void)device;
    (void)limits;
    *out = NULL;
    cpu_isa isa;
    int rc = cpu_resolve_isa(options[CPU_OPT_ISA].integer, &isa, reason,
                             reason_size);
    if (rc != 0)
        return rc;
    vg_plugin_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    ctx->isa = isa;
    cpu_dsp_init(&ctx->dsp, isa);
    int32_t threads = cpu_thread_count(options[CPU_OPT_THREADS].integer);
    ctx->blur_scratch = calloc((size_t)threads, sizeof *ctx->blur_scratch);
    rc = ctx->blur_scratch ? cpu_pool_create(threads, &ctx->pool)
                           : VG_ERR_NO_MEMORY;
    /* As many threads as frames in flight: a frame per thread (see
     * cpu_frames.c).  More threads than that: kernels split into bands. */
    if (rc == 0 && threads > 1 && threads <= CPU_FRAMES_IN_FLIGHT)
        rc = cpu_frames_create(&ctx->dsp, threads, &ctx->frames);
    if (rc != 0) {
        snprintf(reason, reason_size, "cannot start %d worker threads: %s",
                 (int)threads, vg_strerror(rc));
        cpu_close(ctx);
        return rc;
    }
    *out = ctx;
    return 0;
}

void cpu_close(vg_plugin_ctx *ctx)
{
    if (!ctx)
        return;
    cpu_frames_destroy(&ctx->frames);
    if (ctx->blur_scratch && ctx->pool)
        for (int32_t i = 0; i < cpu_pool_threads(ctx->pool); i++)
            free(ctx->blur_scratch[i]);
    free(ctx->blur_scratch);
    cpu_pool_destroy(&ctx->pool);
    free(ctx);
}

const char *cpu_last_error(const vg_plugin_ctx *ctx)
{
    return ctx->error;
}

int cpu_sync(vg_plugin_ctx *ctx)
{
    return cpu_settle(ctx, NULL);
}

/*
 * cuda_context.c - a device context: streams, pinned staging buffers, the
 * last error.
 *
 * The runtime's primary context for the device is shared by everything in
 * the process, so closing never resets the device: it frees what this
 * context allocated and nothing else.
 */
#include "cuda_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vg_cuda_fail(vg_plugin_ctx *ctx, int code, cudaError_t err,
                 const char *what)
{
    char text[160];
    vg_cuda_error_text(err, text, sizeof(text));
    snprintf(ctx->error, sizeof(ctx->error), "%s: %s", what, text);
    return code;
}

int vg_cuda_enter(vg_plugin_ctx *ctx)
{
    /* The current device is per host thread, and the core may call from
     * more than one thread (one at a time). */
    cudaError_t err = cudaSetDevice(ctx->ordinal);
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_DRIVER, err, "set device");
    /* The runtime keeps one last error per host thread, for every device:
     * a device that failed before the job moved here left its error
     * behind, and the launch check (cudaGetLastError) would blame it on
     * this device.  A sticky error of this device's own context is not
     * cleared by this and still surfaces. */
    cudaGetLastError();
    return 0;
}

int vg_cuda_staging_reserve(vg_plugin_ctx *ctx, vg_cuda_staging *staging,
                            size_t size)
{
    if (staging->size >= size)
        return 0;
    cudaFreeHost(staging->data);
    staging->data = NULL;
    staging->size = 0;
    cudaError_t err = cudaMallocHost((void **)&staging->data, size);
    if (err != cudaSuccess) {
        staging->data = NULL;
        return vg_cuda_fail(ctx, VG_ERR_NO_MEMORY, err,
                            "pinned staging buffer");
    }
    staging->size = size;
    return 0;
}

static int open_reason(cudaError_t err, const char *what, char *reason,
                       size_t reason_size)
{
    char text[160];
    vg_cuda_error_text(err, text, sizeof(text));
    snprintf(reason, reason_size, "%s: %s", what, text);
    return err == cudaErrorMemoryAllocation ? VG_ERR_NO_MEMORY : VG_ERR_DRIVER;
}

int vg_cuda_open(const vg_option_value *options, uint32_t device,
                 const vg_job_limits *limits, vg_plugin_ctx **out, char *reason,
                 size_t reason_size)
{
    vg_cuda_device dev;
    cudaError_t err;
    (void)limits; /* the capability check has compared them with memory */

    *out = NULL;
    int rc = vg_cuda_find_device(options, device, &dev, reason, reason_size);
    if (rc != 0)
        return rc;
    vg_plugin_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    ctx->ordinal = dev.ordinal;

    err = cudaSetDevice(ctx->ordinal);
    if (err != cudaSuccess) {
        rc = open_reason(err, "set device", reason, reason_size);
        goto fail;
    }
    /* Non-blocking: neither stream waits for work other code in the
     * process queues on the legacy default stream. */
    err = cudaStreamCreateWithFlags(&ctx->compute, cudaStreamNonBlocking);
    if (err == cudaSuccess)
        err = cudaStreamCreateWithFlags(&ctx->copy, cudaStreamNonBlocking);
    if (err == cudaSuccess)
        err =
            cudaEventCreateWithFlags(&ctx->upload_done, cudaEventDisableTiming);
    if (err != cudaSuccess) {
        rc = open_reason(err, "create streams", reason, reason_size);
        goto fail;
    }
    *out = ctx;
    return 0;

fail:
    vg_cuda_close(ctx);
    return rc;
}

void vg_cuda_close(vg_plugin_ctx *ctx)
{
    if (!ctx)
        return;
    cudaSetDevice(ctx->ordinal);
    if (ctx->compute)
        cudaStreamSynchronize(ctx->compute);
    while (ctx->frames)
        vg_cuda_frame_free(ctx, ctx->frames);
    cudaFree(ctx->blur_tmp);
    cudaFreeHost(ctx->upload.data);
    cudaFreeHost(ctx->download.data);
    if (ctx->upload_done)
        cudaEventDestroy(ctx->upload_done);
    if (ctx->copy)
        cudaStreamDestroy(ctx->copy);
    if (ctx->compute)
        cudaStreamDestroy(ctx->compute);
    free(ctx);
}

const char *vg_cuda_last_error(const vg_plugin_ctx *ctx)
{
    return ctx->error;
}

int vg_cuda_sync(vg_plugin_ctx *ctx)
{
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    cudaError_t err = cudaStreamSynchronize(ctx->compute);
    if (err == cudaSuccess)
        err = cudaStreamSynchronize(ctx->copy);
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_KERNEL, err, "sync");
    return 0;
}

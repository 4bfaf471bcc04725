/*
 * cuda_memory.c - frames resident in device memory, and the copies in and
 * out through pinned staging buffers.
 *
 * Frames stay on the device across a chain of kernels; only uploads and
 * downloads cross the bus.  A download waits for the frame's last writer
 * (an event) on its own stream, so kernels queued after that writer (the
 * next frame's) keep running while it copies.  The asynchronous download
 * (ABI v3) returns once the copy is queued, into the frame's own pinned
 * buffer, so the core can queue frame N + 1's kernels before frame N's
 * copy has finished.
 */
#include "cuda_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void plane_shapes(const vg_frame_desc *desc, vg_plugin_frame *f)
{
    if (desc->format == VG_FORMAT_RGBA8) {
        f->plane_count = 1;
        f->row_bytes[0] = 4 * (size_t)desc->width;
        f->rows[0] = desc->height;
        return;
    }
    /* I420: chroma planes cover 2x2 blocks, rounded up for odd sizes. */
    f->plane_count = 3;
    f->row_bytes[0] = (size_t)desc->width;
    f->rows[0] = desc->height;
    for (int p = 1; p < 3; p++) {
        f->row_bytes[p] = (size_t)(desc->width + 1) / 2;
        f->rows[p] = (desc->height + 1) / 2;
    }
}

static size_t frame_bytes(const vg_plugin_frame *f)
{
    size_t total = 0;
    for (int p = 0; p < f->plane_count; p++)
        total += f->row_bytes[p] * (size_t)f->rows[p];
    return total;
}

int vg_cuda_frame_alloc(vg_plugin_ctx *ctx, const vg_frame_desc *desc,
                        vg_plugin_frame **out)
{
    cudaError_t err;
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    vg_plugin_frame *f = calloc(1, sizeof(*f));
    if (!f)
        return VG_ERR_NO_MEMORY;
    f->desc = *desc;
    plane_shapes(desc, f);
    for (int p = 0; p < f->plane_count; p++) {
        err = cudaMallocPitch((void **)&f->plane[p], &f->pitch[p],
                              f->row_bytes[p], (size_t)f->rows[p]);
        if (err != cudaSuccess) {
            rc = vg_cuda_fail(ctx, VG_ERR_NO_MEMORY, err, "frame alloc");
            goto fail;
        }
    }
    err = cudaEventCreateWithFlags(&f->written, cudaEventDisableTiming);
    if (err != cudaSuccess) {
        rc = vg_cuda_fail(ctx, VG_ERR_DRIVER, err, "frame event");
        goto fail;
    }
    f->next = ctx->frames;
    if (ctx->frames)
        ctx->frames->prev = f;
    ctx->frames = f;
    *out = f;
    return 0;

fail:
    for (int p = 0; p < f->plane_count; p++)
        cudaFree(f->plane[p]);
    free(f);
    return rc;
}

void vg_cuda_frame_free(vg_plugin_ctx *ctx, vg_plugin_frame *frame)
{
    if (!frame)
        return;
    cudaSetDevice(ctx->ordinal);
    /* cudaFree does not wait for kernels still using the frame on a
     * non-blocking stream: finish them first. */
    cudaStreamSynchronize(ctx->compute);
    cudaStreamSynchronize(ctx->copy);
    if (frame->prev)
        frame->prev->next = frame->next;
    else
        ctx->frames = frame->next;
    if (frame->next)
        frame->next->prev = frame->prev;
    for (int p = 0; p < frame->plane_count; p++)
        cudaFree(frame->plane[p]);
    if (frame->written)
        cudaEventDestroy(frame->written);
    if (frame->downloaded)
        cudaEventDestroy(frame->downloaded);
    cudaFreeHost(frame->staging.data);
    free(frame);
}

int vg_cuda_frame_written(vg_plugin_ctx *ctx, vg_plugin_frame *frame,
                          const char *what)
{
    cudaError_t err = cudaEventRecord(frame->written, ctx->compute);
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_KERNEL, err, what);
    return 0;
}

int vg_cuda_frame_upload(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_image *src)
{
    cudaError_t err;
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    /* The previous upload may still be reading the staging buffer. */
    err = cudaEventSynchronize(ctx->upload_done);
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_DRIVER, err, "upload");
    rc = vg_cuda_staging_reserve(ctx, &ctx->upload, frame_bytes(dst));
    if (rc != 0)
        return rc;

    uint8_t *staged = ctx->upload.data;
    for (int p = 0; p < dst->plane_count; p++) {
        size_t row = dst->row_bytes[p];
        for (int32_t y = 0; y < dst->rows[p]; y++)
            memcpy(staged + (size_t)y * row,
                   src->data[p] + (size_t)y * (size_t)src->stride[p], row);
        /* On the compute stream: ordered after kernels still reading the
         * frame's old contents. */
        err = cudaMemcpy2DAsync(dst->plane[p], dst->pitch[p], staged, row, row,
                                (size_t)dst->rows[p], cudaMemcpyHostToDevice,
                                ctx->compute);
        if (err != cudaSuccess)
            return vg_cuda_fail(ctx, VG_ERR_DRIVER, err, "upload");
        staged += row * (size_t)dst->rows[p];
    }
    err = cudaEventRecord(ctx->upload_done, ctx->compute);
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_DRIVER, err, "upload");
    return vg_cuda_frame_written(ctx, dst, "upload");
}

/* Queue on `copy`, after the frame's last writer, the copy of its planes
 * into `staged` (packed rows). */
static cudaError_t queue_copy_out(vg_plugin_ctx *ctx,
                                  const vg_plugin_frame *src, uint8_t *staged)
{
    cudaError_t err = cudaStreamWaitEvent(ctx->copy, src->written, 0);
    for (int p = 0; p < src->plane_count && err == cudaSuccess; p++) {
        size_t row = src->row_bytes[p];
        err = cudaMemcpy2DAsync(staged, row, src->plane[p], src->pitch[p], row,
                                (size_t)src->rows[p], cudaMemcpyDeviceToHost,
                                ctx->copy);
        staged += row * (size_t)src->rows[p];
    }
    return err;
}

/* Packed rows in `staged` -> the caller's strided image. */
static void unpack_planes(const vg_plugin_frame *src, const uint8_t *staged,
                          const vg_image *dst)
{
    for (int p = 0; p < src->plane_count; p++) {
        size_t row = src->row_bytes[p];
        for (int32_t y = 0; y < src->rows[p]; y++)
            memcpy(dst->data[p] + (size_t)y * (size_t)dst->stride[p],
                   staged + (size_t)y * row, row);
        staged += row * (size_t)src->rows[p];
    }
}

int vg_cuda_frame_download(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                           const vg_image *dst)
{
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    rc = vg_cuda_staging_reserve(ctx, &ctx->download, frame_bytes(src));
    if (rc != 0)
        return rc;

    cudaError_t err = queue_copy_out(ctx, src, ctx->download.data);
    if (err == cudaSuccess)
        err = cudaStreamSynchronize(ctx->copy);
    /* A kernel that failed asynchronously surfaces here: report it as the
     * kernel failure it is. */
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_KERNEL, err, "download");
    unpack_planes(src, ctx->download.data, dst);
    return 0;
}

int vg_cuda_frame_download_start(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                                 const vg_image *dst)
{
    /* The pinned buffer and the event are this plugin's bookkeeping on a
     * frame it allocated. */
    vg_plugin_frame *f = (vg_plugin_frame *)src;
    int rc = vg_cuda_enter(ctx);
    if (rc == 0)
        rc = vg_cuda_staging_reserve(ctx, &f->staging, frame_bytes(f));
    if (rc != 0)
        return rc;
    cudaError_t err = cudaSuccess;
    if (!f->downloaded)
        err = cudaEventCreateWithFlags(&f->downloaded, cudaEventDisableTiming);
    if (err == cudaSuccess)
        err = queue_copy_out(ctx, f, f->staging.data);
    if (err == cudaSuccess)
        err = cudaEventRecord(f->downloaded, ctx->copy);
    if (err != cudaSuccess) {
        /* Copies already queued still target the staging buffer. */
        cudaStreamSynchronize(ctx->copy);
        return vg_cuda_fail(ctx, VG_ERR_KERNEL, err, "download");
    }
    f->download_pending = true;
    f->download_dst = *dst;
    return 0;
}

int vg_cuda_frame_download_wait(vg_plugin_ctx *ctx, const vg_plugin_frame *src)
{
    vg_plugin_frame *f = (vg_plugin_frame *)src;
    if (!f->download_pending) {
        snprintf(ctx->error, sizeof(ctx->error),
                 "download wait: no download in flight");
        return VG_ERR_INVALID_ARGUMENT;
    }
    f->download_pending = false;
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    cudaError_t err = cudaEventSynchronize(f->downloaded);
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_KERNEL, err, "download");
    unpack_planes(f, f->staging.data, &f->download_dst);
    return 0;
}

/*
 * opencl_memory.c - frames in device buffers: alloc, free, upload, download.
 *
 * A frame is one cl_mem with its rows packed (RGBA8: 4 * width bytes per
 * row; I420: the Y plane, then U, then V), so kernels index it without
 * pitches.  Host images may have any stride: the rectangular copy commands
 * (OpenCL 1.1) move each plane with the host's row pitch in one command.
 * Planes start at a byte offset given as the x of the buffer origin, which
 * the specification turns into a linear offset (origin[0] + origin[1] *
 * row_pitch + ...), so no sub-buffer alignment rules apply.
 */
#include <stdlib.h>
#include <string.h>

#include "opencl_internal.h"

static void describe_planes(vg_plugin_frame *f)
{
    const vg_frame_desc *d = &f->desc;
    size_t offset = 0;
    f->plane_count = d->format == VG_FORMAT_I420 ? 3 : 1;
    for (int p = 0; p < f->plane_count; p++) {
        int chroma = p > 0;
        f->plane_width[p] = chroma ? (d->width + 1) / 2 : d->width;
        f->plane_height[p] = chroma ? (d->height + 1) / 2 : d->height;
        f->pitch[p] = (size_t)f->plane_width[p] *
                      (d->format == VG_FORMAT_RGBA8 ? 4u : 1u);
        f->offset[p] = offset;
        offset += f->pitch[p] * (size_t)f->plane_height[p];
    }
}

static size_t frame_bytes(const vg_plugin_frame *f)
{
    int last = f->plane_count - 1;
    return f->offset[last] + f->pitch[last] * (size_t)f->plane_height[last];
}

int vg_ocl_frame_alloc(vg_plugin_ctx *ctx, const vg_frame_desc *desc,
                       vg_plugin_frame **out)
{
    cl_int status;
    vg_plugin_frame *f = calloc(1, sizeof *f);
    if (!f)
        return vg_ocl_fail(ctx, VG_ERR_NO_MEMORY, "out of host memory");
    f->desc = *desc;
    describe_planes(f);
    f->mem = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, frame_bytes(f),
                            NULL, &status);
    if (status != CL_SUCCESS) {
        free(f);
        return vg_ocl_fail(ctx, VG_ERR_NO_MEMORY,
                           "cannot allocate a %dx%d frame on '%s': %s",
                           desc->width, desc->height, ctx->device_name,
                           vg_ocl_status_name(status));
    }
    f->next = ctx->frames;
    if (ctx->frames)
        ctx->frames->prev = f;
    ctx->frames = f;
    *out = f;
    return 0;
}

void vg_ocl_frame_free(vg_plugin_ctx *ctx, vg_plugin_frame *frame)
{
    if (!frame)
        return;
    if (frame->prev)
        frame->prev->next = frame->next;
    else
        ctx->frames = frame->next;
    if (frame->next)
        frame->next->prev = frame->prev;
    /* The runtime keeps the buffer alive until queued kernels using it have
     * finished, so no wait is needed here; but a read into the staging
     * memory must land before that memory goes. */
    if (frame->download) {
        clWaitForEvents(1, &frame->download);
        clReleaseEvent(frame->download);
    }
    if (frame->staging) {
        if (frame->staging_host) {
            clEnqueueUnmapMemObject(ctx->queue, frame->staging,
                                    frame->staging_host, 0, NULL, NULL);
            clFinish(ctx->queue);
        }
        clReleaseMemObject(frame->staging);
    }
    clReleaseMemObject(frame->mem);
    free(frame);
}

int vg_ocl_frame_upload(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                        const vg_image *src)
{
    for (int p = 0; p < dst->plane_count; p++) {
        const size_t buffer_origin[3] = {dst->offset[p], 0, 0};
        const size_t host_origin[3] = {0, 0, 0};
        const size_t region[3] = {dst->pitch[p], (size_t)dst->plane_height[p],
                                  1};
        /* Blocking: the host image need only live for this call. */
        cl_int status = clEnqueueWriteBufferRect(
            ctx->queue, dst->mem, CL_TRUE, buffer_origin, host_origin, region,
            dst->pitch[p], 0, (size_t)src->stride[p], 0, src->data[p], 0, NULL,
            NULL);
        if (status != CL_SUCCESS)
            return vg_ocl_fail(ctx, VG_ERR_DRIVER,
                               "upload (plane %d): clEnqueueWriteBufferRect: "
                               "%s",
                               p, vg_ocl_status_name(status));
    }
    return 0;
}

int vg_ocl_frame_download(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                          const vg_image *dst)
{
    for (int p = 0; p < src->plane_count; p++) {
        const size_t buffer_origin[3] = {src->offset[p], 0, 0};
        const size_t host_origin[3] = {0, 0, 0};
        const size_t region[3] = {src->pitch[p], (size_t)src->plane_height[p],
                                  1};
        /* The in-order queue completes the earlier planes before the last
         * one, so only the last read needs to block. */
        cl_bool blocking = p == src->plane_count - 1 ? CL_TRUE : CL_FALSE;
        cl_int status = clEnqueueReadBufferRect(
            ctx->queue, src->mem, blocking, buffer_origin, host_origin, region,
            src->pitch[p], 0, (size_t)dst->stride[p], 0, dst->data[p], 0, NULL,
            NULL);
        if (status != CL_SUCCESS) {
            /* Earlier non-blocking reads still target dst: let them land
             * before the caller reuses it. */
            clFinish(ctx->queue);
            return vg_ocl_fail(ctx, VG_ERR_KERNEL,
                               "download (plane %d): clEnqueueReadBufferRect: "
                               "%s (an earlier kernel may have failed)",
                               p, vg_ocl_status_name(status));
        }
    }
    return 0;
}

/* The frame's pinned staging buffer, mapped for as long as the frame
 * lives. */
static int ensure_staging(vg_plugin_ctx *ctx, vg_plugin_frame *f)
{
    if (f->staging_host)
        return 0;
    cl_int status;
    f->staging =
        clCreateBuffer(ctx->context, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR,
                       frame_bytes(f), NULL, &status);
    if (status == CL_SUCCESS)
        f->staging_host = clEnqueueMapBuffer(
            ctx->queue, f->staging, CL_TRUE, CL_MAP_READ | CL_MAP_WRITE, 0,
            frame_bytes(f), 0, NULL, NULL, &status);
    if (status != CL_SUCCESS) {
        if (f->staging)
            clReleaseMemObject(f->staging);
        f->staging = NULL;
        f->staging_host = NULL;
        return vg_ocl_fail(ctx, VG_ERR_NO_MEMORY,
                           "download: cannot create pinned staging memory: %s",
                           vg_ocl_status_name(status));
    }
    return 0;
}

int vg_ocl_frame_download_start(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                                const vg_image *dst)
{
    /* The core hands frames it allocated here; the staging memory and the
     * pending read are this plugin's bookkeeping on it. */
    vg_plugin_frame *f = (vg_plugin_frame *)src;
    int rc = ensure_staging(ctx, f);
    if (rc != 0)
        return rc;
    /* The planes are packed in one buffer, as in staging: one read. */
    cl_int status =
        clEnqueueReadBuffer(ctx->queue, f->mem, CL_FALSE, 0, frame_bytes(f),
                            f->staging_host, 0, NULL, &f->download);
    if (status == CL_SUCCESS)
        status = clFlush(ctx->queue);
    if (status != CL_SUCCESS) {
        if (f->download) {
            clWaitForEvents(1, &f->download);
            clReleaseEvent(f->download);
            f->download = NULL;
        }
        return vg_ocl_fail(ctx, VG_ERR_KERNEL,
                           "download: clEnqueueReadBuffer: %s (an earlier "
                           "kernel may have failed)",
                           vg_ocl_status_name(status));
    }
    f->download_dst = *dst;
    return 0;
}

int vg_ocl_frame_download_wait(vg_plugin_ctx *ctx, const vg_plugin_frame *src)
{
    vg_plugin_frame *f = (vg_plugin_frame *)src;
    if (!f->download)
        return vg_ocl_fail(ctx, VG_ERR_INVALID_ARGUMENT,
                           "download wait: no download in flight");
    cl_int status = clWaitForEvents(1, &f->download);
    cl_int state = CL_COMPLETE;
    if (status == CL_SUCCESS)
        status = clGetEventInfo(f->download, CL_EVENT_COMMAND_EXECUTION_STATUS,
                                sizeof state, &state, NULL);
    clReleaseEvent(f->download);
    f->download = NULL;
    if (status == CL_SUCCESS && state < 0)
        status = state;
    if (status != CL_SUCCESS)
        return vg_ocl_fail(ctx, VG_ERR_KERNEL,
                           "download: %s (an earlier kernel may have failed)",
                           vg_ocl_status_name(status));
    const vg_image *dst = &f->download_dst;
    for (int p = 0; p < f->plane_count; p++) {
        const uint8_t *plane = f->staging_host + f->offset[p];
        for (int32_t y = 0; y < f->plane_height[p]; y++)
            memcpy(dst->data[p] + (size_t)y * (size_t)dst->stride[p],
                   plane + (size_t)y * f->pitch[p], f->pitch[p]);
    }
    return 0;
}

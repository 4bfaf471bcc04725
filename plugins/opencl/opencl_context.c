/*
 * opencl_context.c - open and close a device context, and its last error.
 *
 * A context owns one in-order command queue, the built program, one
 * cl_kernel per kernel, the blur's scratch and taps buffers, and every
 * frame allocated on it.  The in-order queue is what lets a chain of
 * kernels run without host synchronisation: each launch sees the writes of
 * the previous one, and only frame_download (blocking) and sync wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opencl_internal.h"

#define VG_OCL_K_NAME_(name) [VG_OCL_K_##name] = #name,
const char *const vg_ocl_kernel_names[VG_OCL_K_COUNT] = {
    VG_OCL_KERNELS(VG_OCL_K_NAME_)};
#undef VG_OCL_K_NAME_

int vg_ocl_fail(vg_plugin_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->last_error, sizeof ctx->last_error, fmt, ap);
    va_end(ap);
    return code;
}

const char *vg_ocl_last_error(const vg_plugin_ctx *ctx)
{
    return ctx->last_error;
}

/* Create the kernels and pick the work-group shape every kernel allows. */
static int create_kernels(vg_plugin_ctx *ctx, cl_device_id device, char *reason,
                          size_t reason_size)
{
    size_t kernel_max = 0;
    for (int k = 0; k < VG_OCL_K_COUNT; k++) {
        cl_int status;
        ctx->kernels[k] =
            clCreateKernel(ctx->program, vg_ocl_kernel_names[k], &status);
        if (status != CL_SUCCESS) {
            snprintf(reason, reason_size, "clCreateKernel(%s): %s",
                     vg_ocl_kernel_names[k], vg_ocl_status_name(status));
            return VG_ERR_KERNEL;
        }
        size_t group = 0;
        if (clGetKernelWorkGroupInfo(ctx->kernels[k], device,
                                     CL_KERNEL_WORK_GROUP_SIZE, sizeof group,
                                     &group, NULL) == CL_SUCCESS &&
            group > 0 && (kernel_max == 0 || group < kernel_max))
            kernel_max = group;
    }
    vg_ocl_local_size(device, kernel_max, ctx->local_size);
    return 0;
}

int vg_ocl_open(const vg_option_value *options, uint32_t device,
                const vg_job_limits *limits, vg_plugin_ctx **out, char *reason,
                size_t reason_size)
{
    vg_ocl_device dev;
    cl_int status;
    char note[VG_TEXT_MAX * 2];

    *out = NULL;
    int rc = vg_ocl_find_device(options, device, &dev, reason, reason_size);
    if (rc == 0)
        rc = vg_ocl_check_limits(&dev, limits, reason, reason_size);
    if (rc != 0)
        return rc;

    vg_plugin_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    snprintf(ctx->device_name, sizeof ctx->device_name, "%s", dev.info.name);
    ctx->context = clCreateContext(NULL, 1, &dev.id, NULL, NULL, &status);
    if (status != CL_SUCCESS) {
        snprintf(reason, reason_size,
                 "cannot create an OpenCL context on '%s': %s", dev.info.name,
                 vg_ocl_status_name(status));
        rc = VG_ERR_DRIVER;
        goto fail;
    }
    ctx->queue = clCreateCommandQueue(ctx->context, dev.id, 0, &status);
    if (status != CL_SUCCESS) {
        snprintf(reason, reason_size,
                 "cannot create an OpenCL command queue on '%s': %s",
                 dev.info.name, vg_ocl_status_name(status));
        rc = VG_ERR_DRIVER;
        goto fail;
    }
    rc = vg_ocl_program_build(ctx->context, &dev, &ctx->program,
                              ctx->cache_entry, sizeof ctx->cache_entry, note,
                              sizeof note, reason, reason_size);
    if (rc == 0)
        rc = create_kernels(ctx, dev.id, reason, reason_size);
    if (rc != 0)
        goto fail;
    ctx->blur_taps = clCreateBuffer(
        ctx->context, CL_MEM_READ_ONLY,
        sizeof(cl_short) * (2 * VG_BLUR_MAX_RADIUS + 1), NULL, &status);
    if (status != CL_SUCCESS) {
        snprintf(reason, reason_size, "clCreateBuffer (blur taps): %s",
                 vg_ocl_status_name(status));
        rc = VG_ERR_NO_MEMORY;
        goto fail;
    }
    snprintf(reason, reason_size, "%s", note);
    *out = ctx;
    return 0;

fail:
    vg_ocl_close(ctx);
    return rc;
}

void vg_ocl_close(vg_plugin_ctx *ctx)
{
    if (!ctx)
        return;
    /* Wait for queued work before releasing what it uses. */
    if (ctx->queue)
        clFinish(ctx->queue);
    while (ctx->frames)
        vg_ocl_frame_free(ctx, ctx->frames);
    if (ctx->blur_scratch)
        clReleaseMemObject(ctx->blur_scratch);
    if (ctx->blur_taps)
        clReleaseMemObject(ctx->blur_taps);
    for (int k = 0; k < VG_OCL_K_COUNT; k++)
        if (ctx->kernels[k])
            clReleaseKernel(ctx->kernels[k]);
    if (ctx->program)
        clReleaseProgram(ctx->program);
    if (ctx->queue)
        clReleaseCommandQueue(ctx->queue);
    if (ctx->context)
        clReleaseContext(ctx->context);
    free(ctx);
}

int vg_ocl_discard_cached_code(vg_plugin_ctx *ctx)
{
    if (!ctx || !ctx->cache_entry[0])
        return 0;
    int removed = unlink(ctx->cache_entry) == 0;
    ctx->cache_entry[0] = '\0';
    return removed;
}

/*
 * opencl_kernels.c - host launchers for the kernels in kernels/ *.cl.
 *
 * Each launcher sets the kernel's arguments and enqueues it on the
 * context's in-order queue without waiting: frames stay on the device
 * across a chain of kernels and the host waits only at frame_download or
 * sync.  Arguments are trusted (the core validated them).  Every 2-D launch
 * covers the work rounded up to whole work-groups (OpenCL 1.2 requires the
 * global size to be a multiple of the local size); kernels skip the items
 * outside the frame.
 */
#include <stdio.h>

#include <string.h>

#include "opencl_internal.h"

typedef struct kernel_arg {
    size_t size;
    const void *value;
} kernel_arg;

#define ARG(v) ((kernel_arg){sizeof(v), &(v)})
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static size_t round_up(size_t n, size_t m)
{
    return (n + m - 1) / m * m;
}

static int launch(vg_plugin_ctx *ctx, int k, const kernel_arg *args,
                  size_t count, int32_t width, int32_t height)
{
    cl_kernel kernel = ctx->kernels[k];
    for (size_t i = 0; i < count; i++) {
        cl_int status =
            clSetKernelArg(kernel, (cl_uint)i, args[i].size, args[i].value);
        if (status != CL_SUCCESS)
            return vg_ocl_fail(
                ctx, VG_ERR_KERNEL, "%s: clSetKernelArg(%zu): %s",
                vg_ocl_kernel_names[k], i, vg_ocl_status_name(status));
    }
    const size_t global[2] = {round_up((size_t)width, ctx->local_size[0]),
                              round_up((size_t)height, ctx->local_size[1])};
    cl_int status = clEnqueueNDRangeKernel(ctx->queue, kernel, 2, NULL, global,
                                           ctx->local_size, 0, NULL, NULL);
    if (status != CL_SUCCESS)
        return vg_ocl_fail(ctx, VG_ERR_KERNEL, "%s: clEnqueueNDRangeKernel: %s",
                           vg_ocl_kernel_names[k], vg_ocl_status_name(status));
    return 0;
}

int vg_ocl_fill_pattern(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                        const vg_pattern_params *params)
{
    cl_int w = dst->desc.width, h = dst->desc.height;
    cl_uint kind = params->kind, frame = params->frame_index;
    cl_uint rgba = params->rgba;
    const kernel_arg args[] = {ARG(dst->mem), ARG(w),     ARG(h),
                               ARG(kind),     ARG(frame), ARG(rgba)};
    return launch(ctx, VG_OCL_K_vg_pattern, args, COUNT(args), w, h);
}

int vg_ocl_warp_affine(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                       const vg_plugin_frame *src, const vg_warp_params *params)
{
    cl_int w = dst->desc.width, h = dst->desc.height;
    cl_int sw = src->desc.width, sh = src->desc.height;
    cl_int u0 = params->u0, v0 = params->v0;
    cl_int du_dx = params->du_dx, du_dy = params->du_dy;
    cl_int dv_dx = params->dv_dx, dv_dy = params->dv_dy;
    cl_uint edge = params->edge, border = params->border_rgba;
    const kernel_arg args[] = {
        ARG(dst->mem), ARG(w),     ARG(h),    ARG(src->mem), ARG(sw),
        ARG(sh),       ARG(u0),    ARG(v0),   ARG(du_dx),    ARG(du_dy),
        ARG(dv_dx),    ARG(dv_dy), ARG(edge), ARG(border)};
    return launch(ctx, VG_OCL_K_vg_warp, args, COUNT(args), w, h);
}

int vg_ocl_blend(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                 const vg_plugin_frame *a, const vg_plugin_frame *b,
                 const vg_blend_params *params)
{
    cl_int w = dst->desc.width, h = dst->desc.height;
    cl_uint mode = params->mode;
    cl_int weight = (cl_int)params->weight, position = params->position;
    const kernel_arg args[] = {ARG(dst->mem), ARG(w),       ARG(h),
                               ARG(a->mem),   ARG(b->mem),  ARG(mode),
                               ARG(weight),   ARG(position)};
    return launch(ctx, VG_OCL_K_vg_blend, args, COUNT(args), w, h);
}

/* The blur's intermediate: 8 bytes (ushort4) per pixel, kept on the
 * context and grown to the largest band blurred so far. */
static int ensure_scratch(vg_plugin_ctx *ctx, size_t size)
{
    if (ctx->blur_scratch_size >= size)
        return 0;
    cl_int status;
    cl_mem mem =
        clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, size, NULL, &status);
    if (status != CL_SUCCESS)
        return vg_ocl_fail(ctx, VG_ERR_NO_MEMORY,
                           "blur: cannot allocate %zu bytes of scratch: %s",
                           size, vg_ocl_status_name(status));
    if (ctx->blur_scratch)
        clReleaseMemObject(ctx->blur_scratch);
    ctx->blur_scratch = mem;
    ctx->blur_scratch_size = size;
    return 0;
}

/* Blur destination rows [y0, y0 + band): the horizontal pass over the
 * source rows they need, then the vertical pass. */
static int blur_band(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                     const vg_plugin_frame *src, cl_int radius, cl_int y0,
                     cl_int band)
{
    cl_int w = dst->desc.width, h = dst->desc.height;
    cl_int first = y0 - radius < 0 ? 0 : y0 - radius;
    cl_int last = y0 + band - 1 + radius >= h ? h - 1 : y0 + band - 1 + radius;
    cl_int rows = last - first + 1;
    const kernel_arg h_args[] = {
        ARG(ctx->blur_scratch), ARG(src->mem), ARG(w), ARG(first), ARG(rows),
        ARG(ctx->blur_taps),    ARG(radius)};
    int rc = launch(ctx, VG_OCL_K_vg_blur_h, h_args, COUNT(h_args), w, rows);
    if (rc != 0)
        return rc;
    const kernel_arg v_args[] = {ARG(dst->mem), ARG(ctx->blur_scratch),
                                 ARG(w),        ARG(h),
                                 ARG(y0),       ARG(band),
                                 ARG(first),    ARG(ctx->blur_taps),
                                 ARG(radius)};
    return launch(ctx, VG_OCL_K_vg_blur_v, v_args, COUNT(v_args), w, band);
}

int vg_ocl_blur(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                const vg_plugin_frame *src, const vg_blur_params *params)
{
    cl_int w = dst->desc.width, h = dst->desc.height;
    cl_int radius = params->radius;
    size_t tap_bytes = sizeof(cl_short) * (2 * (size_t)radius + 1);
    size_t row_bytes = (size_t)w * 8;

    /* As many destination rows per band as the scratch budget holds with
     * the 2 * radius extra source rows each band needs. */
    cl_int band = (cl_int)(VG_OCL_BLUR_SCRATCH_MAX / row_bytes) - 2 * radius;
    if (band < 1)
        band = 1;
    if (band > h)
        band = h;
    int rc =
        ensure_scratch(ctx, ((size_t)band + 2 * (size_t)radius) * row_bytes);
    if (rc != 0)
        return rc;
    /* Blocking: params need only live for this call.  The in-order queue
     * runs it after any earlier blur has read the previous taps.  Skipped
     * when the buffer already holds these taps, so that the usual job (one
     * blur, the same every frame) does not wait for the device per frame. */
    if (ctx->taps_loaded.radius != radius ||
        memcmp(ctx->taps_loaded.taps, params->taps, tap_bytes) != 0) {
        ctx->taps_loaded.radius = 0;
        cl_int status =
            clEnqueueWriteBuffer(ctx->queue, ctx->blur_taps, CL_TRUE, 0,
                                 tap_bytes, params->taps, 0, NULL, NULL);
        if (status != CL_SUCCESS)
            return vg_ocl_fail(ctx, VG_ERR_KERNEL, "blur: writing the taps: %s",
                               vg_ocl_status_name(status));
        ctx->taps_loaded = *params;
    }
    /* The in-order queue also keeps one band's horizontal pass from
     * overwriting the scratch before the previous band's vertical pass has
     * read it. */
    for (cl_int y0 = 0; y0 < h && rc == 0; y0 += band)
        rc =
            blur_band(ctx, dst, src, radius, y0, h - y0 < band ? h - y0 : band);
    return rc;
}

int vg_ocl_rgba_to_i420(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                        const vg_plugin_frame *src,
                        const vg_color_params *params)
{
    cl_int w = src->desc.width, h = src->desc.height;
    cl_uint u_offset = (cl_uint)dst->offset[1];
    cl_uint v_offset = (cl_uint)dst->offset[2];
    const vg_color_params *p = params;
    const kernel_arg args[] = {
        ARG(dst->mem), ARG(u_offset), ARG(v_offset),    ARG(src->mem),
        ARG(w),        ARG(h),        ARG(p->y_offset), ARG(p->y_r),
        ARG(p->y_g),   ARG(p->y_b),   ARG(p->u_r),      ARG(p->u_g),
        ARG(p->u_b),   ARG(p->v_r),   ARG(p->v_g),      ARG(p->v_b)};
    /* one work-item per 2x2 block */
    return launch(ctx, VG_OCL_K_vg_rgba_to_i420, args, COUNT(args), (w + 1) / 2,
                  (h + 1) / 2);
}

int vg_ocl_i420_to_rgba(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                        const vg_plugin_frame *src,
                        const vg_color_params *params)
{
    cl_int w = dst->desc.width, h = dst->desc.height;
    cl_uint u_offset = (cl_uint)src->offset[1];
    cl_uint v_offset = (cl_uint)src->offset[2];
    const vg_color_params *p = params;
    const kernel_arg args[] = {ARG(dst->mem),    ARG(src->mem),   ARG(u_offset),
                               ARG(v_offset),    ARG(w),          ARG(h),
                               ARG(p->y_offset), ARG(p->y_scale), ARG(p->r_v),
                               ARG(p->g_u),      ARG(p->g_v),     ARG(p->b_u)};
    return launch(ctx, VG_OCL_K_vg_i420_to_rgba, args, COUNT(args), w, h);
}

int vg_ocl_sync(vg_plugin_ctx *ctx)
{
    cl_int status = clFinish(ctx->queue);
    if (status != CL_SUCCESS)
        return vg_ocl_fail(ctx, VG_ERR_KERNEL, "clFinish: %s",
                           vg_ocl_status_name(status));
    return 0;
}

/*
 * cpu_memory.c - CPU frames are host images; upload/download copy rows,
 * once the frame is up to date (cpu_settle: frames in flight).
 */
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"
#include "vg/image.h"

int cpu_frame_alloc(vg_plugin_ctx *ctx, const vg_frame_desc *desc,
                    vg_plugin_frame **out)
{
    vg_plugin_frame *frame = calloc(1, sizeof *frame);
    if (!frame)
        return cpu_fail(ctx, VG_ERR_NO_MEMORY, "out of memory");
    int rc =
        vg_image_alloc(desc->format, desc->width, desc->height, &frame->image);
    if (rc != 0) {
        free(frame);
        return cpu_fail(ctx, rc, "cannot allocate a %dx%d frame", desc->width,
                        desc->height);
    }
    *out = frame;
    return 0;
}

void cpu_frame_free(vg_plugin_ctx *ctx, vg_plugin_frame *frame)
{
    if (!frame)
        return;
    /* Nothing may still run on it; its task slot is released. */
    cpu_frame_download_wait(ctx, frame);
    cpu_settle(ctx, frame);
    vg_image_free(&frame->image);
    free(frame);
}

void cpu_copy_image(const vg_image *dst, const vg_image *src)
{
    for (int p = 0; p < vg_plane_count(src->format); p++) {
        int32_t w, h;
        vg_plane_size(src->format, src->width, src->height, p, &w, &h);
        size_t row = (size_t)vg_plane_row_bytes(src->format, src->width, p);
        for (int32_t y = 0; y < h; y++)
            memcpy(dst->data[p] + (size_t)y * (size_t)dst->stride[p],
                   src->data[p] + (size_t)y * (size_t)src->stride[p], row);
    }
}

int cpu_frame_upload(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                     const vg_image *src)
{
    int rc = cpu_settle(ctx, dst);
    if (rc == 0)
        cpu_copy_image(&dst->image, src);
    return rc;
}

int cpu_frame_download(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                       const vg_image *dst)
{
    int rc = cpu_settle(ctx, src);
    if (rc == 0)
        cpu_copy_image(dst, &src->image);
    return rc;
}

/*
 * example_frames.c - frames in host memory: allocation with tight strides,
 * and copies to and from the caller's images row by row (the caller's
 * strides may be wider than ours).
 */
#include <stdlib.h>
#include <string.h>

#include "example.h"

/* Plane p's width in bytes and its number of rows.  I420 chroma planes are
 * ((w+1)/2) x ((h+1)/2). */
static void plane_shape(const vg_image *img, int p, size_t *row_bytes,
                        size_t *rows)
{
    if (img->format == VG_FORMAT_RGBA8) {
        *row_bytes = 4 * (size_t)img->width;
        *rows = (size_t)img->height;
    } else if (p == 0) {
        *row_bytes = (size_t)img->width;
        *rows = (size_t)img->height;
    } else {
        *row_bytes = ((size_t)img->width + 1) / 2;
        *rows = ((size_t)img->height + 1) / 2;
    }
}

static int plane_count(vg_pixel_format format)
{
    return format == VG_FORMAT_RGBA8 ? 1 : 3;
}

int example_frame_alloc(vg_plugin_ctx *ctx, const vg_frame_desc *desc,
                        vg_plugin_frame **out)
{
    *out = NULL;
    vg_plugin_frame *f = calloc(1, sizeof *f);
    if (!f)
        return example_fail(ctx, VG_ERR_NO_MEMORY, "out of memory for a frame");
    f->image = (vg_image){
        .format = desc->format, .width = desc->width, .height = desc->height};
    for (int p = 0; p < plane_count(desc->format); p++) {
        size_t row_bytes, rows;
        plane_shape(&f->image, p, &row_bytes, &rows);
        f->image.stride[p] = (int32_t)row_bytes;
        f->image.data[p] = malloc(row_bytes * rows);
        if (!f->image.data[p]) {
            for (int q = 0; q < p; q++)
                free(f->image.data[q]);
            free(f);
            return example_fail(ctx, VG_ERR_NO_MEMORY,
                                "out of memory for a %dx%d frame",
                                (int)desc->width, (int)desc->height);
        }
    }
    f->next = ctx->frames;
    ctx->frames = f;
    *out = f;
    return 0;
}

void example_frame_free(vg_plugin_ctx *ctx, vg_plugin_frame *frame)
{
    if (!frame)
        return;
    for (vg_plugin_frame **link = &ctx->frames; *link; link = &(*link)->next) {
        if (*link == frame) {
            *link = frame->next;
            break;
        }
    }
    for (int p = 0; p < 3; p++)
        free(frame->image.data[p]);
    free(frame);
}

void example_frames_free_all(vg_plugin_ctx *ctx)
{
    while (ctx->frames)
        example_frame_free(ctx, ctx->frames);
}

static void copy_planes(const vg_image *dst, const vg_image *src)
{
    for (int p = 0; p < plane_count(src->format); p++) {
        size_t row_bytes, rows;
        plane_shape(src, p, &row_bytes, &rows);
        for (size_t y = 0; y < rows; y++)
            memcpy(dst->data[p] + y * (size_t)dst->stride[p],
                   src->data[p] + y * (size_t)src->stride[p], row_bytes);
    }
}

int example_frame_upload(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_image *src)
{
    (void)ctx;
    copy_planes(&dst->image, src);
    return 0;
}

int example_frame_download(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                           const vg_image *dst)
{
    (void)ctx;
    copy_planes(dst, &src->image);
    return 0;
}

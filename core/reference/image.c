/*
 * image.c - host frame allocation and geometry.
 */
#define _DEFAULT_SOURCE /* madvise */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vg/image.h"

#define VG_IMAGE_ALIGN 64

/* Frames of 2 MiB and more are placed on 2 MiB boundaries and offered to
 * the kernel as transparent huge pages: a 1080p RGBA frame (8.3 MB) is
 * then 5 pages instead of 2025, so allocating one takes 5 page faults
 * instead of 2025 (measured: half of vgrun's start-up was page faults),
 * and the passes that walk a frame by rows 7.5 KiB apart most likely miss
 * the TLB far less.  Where huge pages are off, madvise changes nothing and
 * fails harmlessly. */
#define VG_HUGE_PAGE ((size_t)2 << 20)

static size_t block_size(size_t total)
{
    return total < VG_HUGE_PAGE
               ? total
               : (total + VG_HUGE_PAGE - 1) / VG_HUGE_PAGE * VG_HUGE_PAGE;
}

static uint8_t *alloc_block(size_t total)
{
    size_t size = block_size(total);
    if (size < VG_HUGE_PAGE)
        return aligned_alloc(VG_IMAGE_ALIGN, size);
    uint8_t *block = aligned_alloc(VG_HUGE_PAGE, size);
    if (block)
        (void)madvise(block, size, MADV_HUGEPAGE);
    return block;
}

int vg_plane_count(vg_pixel_format format)
{
    return format == VG_FORMAT_I420 ? 3 : 1;
}

void vg_plane_size(vg_pixel_format format, int32_t width, int32_t height,
                   int plane, int32_t *plane_width, int32_t *plane_height)
{
    bool chroma = format == VG_FORMAT_I420 && plane > 0;
    *plane_width = chroma ? (width + 1) / 2 : width;
    *plane_height = chroma ? (height + 1) / 2 : height;
}

int32_t vg_plane_row_bytes(vg_pixel_format format, int32_t width, int plane)
{
    int32_t w, h;
    vg_plane_size(format, width, 1, plane, &w, &h);
    return format == VG_FORMAT_RGBA8 ? 4 * w : w;
}

size_t vg_image_packed_size(vg_pixel_format format, int32_t width,
                            int32_t height)
{
    size_t total = 0;
    for (int p = 0; p < vg_plane_count(format); p++) {
        int32_t w, h;
        vg_plane_size(format, width, height, p, &w, &h);
        total += (size_t)vg_plane_row_bytes(format, width, p) * (size_t)h;
    }
    return total;
}

/* Each plane's rows padded to VG_IMAGE_ALIGN, the planes one after the
 * other: the bytes of the one block, and where each plane starts. */
static size_t layout(vg_pixel_format format, int32_t width, int32_t height,
                     size_t offsets[3], int32_t strides[3])
{
    size_t total = 0;
    for (int p = 0; p < vg_plane_count(format); p++) {
        int32_t w, h;
        vg_plane_size(format, width, height, p, &w, &h);
        int32_t row = vg_plane_row_bytes(format, width, p);
        strides[p] =
            (row + VG_IMAGE_ALIGN - 1) / VG_IMAGE_ALIGN * VG_IMAGE_ALIGN;
        offsets[p] = total;
        total += (size_t)strides[p] * (size_t)h;
    }
    return total;
}

size_t vg_image_alloc_size(vg_pixel_format format, int32_t width,
                           int32_t height)
{
    size_t offsets[3];
    int32_t strides[3];
    return block_size(layout(format, width, height, offsets, strides));
}

int vg_image_alloc(vg_pixel_format format, int32_t width, int32_t height,
                   vg_image *out)
{
    memset(out, 0, sizeof *out);
    if (width < 1 || height < 1 || width > VG_MAX_DIMENSION ||
        height > VG_MAX_DIMENSION)
        return VG_ERR_LIMIT;
    size_t offsets[3] = {0};
    int32_t strides[3] = {0};
    size_t total = layout(format, width, height, offsets, strides);
    uint8_t *block = alloc_block(total);
    if (!block)
        return VG_ERR_NO_MEMORY;
    memset(block, 0, total);
    out->format = format;
    out->width = width;
    out->height = height;
    for (int p = 0; p < vg_plane_count(format); p++) {
        out->data[p] = block + offsets[p];
        out->stride[p] = strides[p];
    }
    return 0;
}

void vg_image_free(vg_image *image)
{
    free(image->data[0]); /* plane 0 starts the one allocation */
    memset(image, 0, sizeof *image);
}

int vg_image_equal(const vg_image *a, const vg_image *b, int *plane, int32_t *x,
                   int32_t *y)
{
    if (a->format != b->format || a->width != b->width ||
        a->height != b->height)
        return 0;
    for (int p = 0; p < vg_plane_count(a->format); p++) {
        int32_t w, h;
        vg_plane_size(a->format, a->width, a->height, p, &w, &h);
        int32_t row = vg_plane_row_bytes(a->format, a->width, p);
        for (int32_t r = 0; r < h; r++) {
            const uint8_t *ra = a->data[p] + (size_t)r * (size_t)a->stride[p];
            const uint8_t *rb = b->data[p] + (size_t)r * (size_t)b->stride[p];
            if (memcmp(ra, rb, (size_t)row) == 0)
                continue;
            int32_t i = 0;
            while (ra[i] == rb[i])
                i++;
            if (plane)
                *plane = p;
            if (x)
                *x = i;
            if (y)
                *y = r;
            return 0;
        }
    }
    return 1;
}

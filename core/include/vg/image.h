/*
 * vg/image.h - host frames: allocation and plane geometry.
 *
 * Ownership: vg_image_alloc fills a vg_image whose planes live in one
 * allocation owned by the image; release it with vg_image_free.  A vg_image
 * from elsewhere (a view) must not be passed to vg_image_free.
 * Thread-safety: pure functions.
 */
#ifndef VG_IMAGE_H
#define VG_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Width and height of plane `plane` of a format (chroma planes of I420 are
 * ((w + 1) / 2) x ((h + 1) / 2)). */
VG_API void vg_plane_size(vg_pixel_format format, int32_t width, int32_t height,
                          int plane, int32_t *plane_width,
                          int32_t *plane_height);

/* Bytes per row of pixels in a plane (4 * width for RGBA8). */
VG_API int32_t vg_plane_row_bytes(vg_pixel_format format, int32_t width,
                                  int plane);

VG_API int vg_plane_count(vg_pixel_format format);

/* The bytes of a tightly packed frame (what one Y4M frame holds for I420). */
VG_API size_t vg_image_packed_size(vg_pixel_format format, int32_t width,
                                   int32_t height);

/* Allocate a host frame: rows padded to 64 bytes, planes aligned to 64,
 * contents zeroed; a frame of 2 MiB or more is one block of whole 2 MiB
 * huge pages.  Returns 0, VG_ERR_LIMIT (size outside 1..
 * VG_MAX_DIMENSION) or VG_ERR_NO_MEMORY. */
VG_API int vg_image_alloc(vg_pixel_format format, int32_t width, int32_t height,
                          vg_image *out);

/* The bytes vg_image_alloc reserves for such a frame (memory estimates). */
VG_API size_t vg_image_alloc_size(vg_pixel_format format, int32_t width,
                                  int32_t height);

/* Free an image from vg_image_alloc and zero the struct; a zeroed image is
 * a no-op. */
VG_API void vg_image_free(vg_image *image);

/* True when two images of the same format and size hold the same pixels
 * (padding ignored).  On a difference, the optional plane, x and y outputs
 * locate the first differing byte (x in bytes). */
VG_API int vg_image_equal(const vg_image *a, const vg_image *b, int *plane,
                          int32_t *x, int32_t *y);

#ifdef __cplusplus
}
#endif

#endif /* VG_IMAGE_H */

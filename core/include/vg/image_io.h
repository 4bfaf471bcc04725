/*
 * vg/image_io.h - read PNG and JPEG pictures, write PNG and JPEG frames.
 *
 * Reading decodes to RGBA8 whatever the file holds: grey, grey + alpha,
 * palette (with or without transparency), RGB, RGBA, 1- to 16-bit samples
 * (16-bit samples are scaled to 8 bits, rounded; no gamma is applied).  The
 * format is recognised from the file's first bytes, not from its name.
 * EXIF orientation is not applied.  libpng and libjpeg never print or
 * longjmp past these functions: their messages come back in err, and a
 * truncated or corrupt file is an error (libjpeg's warnings, such as
 * "premature end of data", count as errors: a half-grey picture is not a
 * picture).
 *
 * Ownership: a successful read fills `out` through vg_image_alloc; free it
 * with vg_image_free.  Thread-safety: the functions may run concurrently on
 * different images.
 */
#ifndef VG_IMAGE_IO_H
#define VG_IMAGE_IO_H

#include <stddef.h>

#include "vg/api.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decode the PNG or JPEG file `path` to RGBA8.  Errors name the file and the
 * problem ("a.png: truncated PNG file", "b.jpg: 20000 x 300 is larger than
 * the 16384 x 16384 limit").  Returns 0, VG_ERR_IO (cannot open or read,
 * corrupt or truncated data), VG_ERR_UNSUPPORTED (not a PNG or JPEG, or a
 * kind these decoders refuse such as CMYK JPEG), VG_ERR_LIMIT (too large)
 * or VG_ERR_NO_MEMORY. */
VG_API int vg_image_read(const char *path, vg_image *out, char *err,
                         size_t err_size);

/* Write an RGBA8 image as an 8-bit RGBA PNG.  The file appears under
 * `path` only when complete (vg/output_file.h).  Returns 0,
 * VG_ERR_INVALID_ARGUMENT (not RGBA8) or VG_ERR_IO with err set. */
VG_API int vg_image_write_png(const char *path, const vg_image *rgba, char *err,
                              size_t err_size);

/* Write an RGBA8 image as a baseline JPEG of `quality` (1..100), alpha
 * dropped; complete-or-absent like the PNG.
 * Returns 0, VG_ERR_INVALID_ARGUMENT or VG_ERR_IO with err set. */
VG_API int vg_image_write_jpeg(const char *path, const vg_image *rgba,
                               int quality, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* VG_IMAGE_IO_H */

/*
 * image_codec.h - the PNG and JPEG codecs behind vg/image_io.h (internal).
 *
 * Each works on an open FILE and writes a bare problem ("unexpected end of
 * file") for the caller to prefix with the path.  None of them prints or
 * lets libpng/libjpeg longjmp past it.
 */
#ifndef VG_IMAGE_CODEC_H
#define VG_IMAGE_CODEC_H

#include <stdint.h>
#include <stdio.h>

#include "vg/limits.h"
#include "vg/plugin.h"

/* Decode to RGBA8 (out allocated with vg_image_alloc).  Returns 0,
 * VG_ERR_IO, VG_ERR_UNSUPPORTED, VG_ERR_LIMIT or VG_ERR_NO_MEMORY. */
int vg_png_decode(FILE *file, const vg_limits *limits, vg_image *out,
                  char *problem, size_t size);
int vg_jpeg_decode(FILE *file, const vg_limits *limits, vg_image *out,
                   char *problem, size_t size);

/* Encode an RGBA8 image.  Returns 0 or VG_ERR_IO. */
int vg_png_encode(FILE *file, const vg_image *rgba, char *problem, size_t size);
int vg_jpeg_encode(FILE *file, const vg_image *rgba, int quality, char *problem,
                   size_t size);

/* "W x H is larger than the L x L limit" when a decoded size is too large
 * (a side above VG_MAX_DIMENSION, or more than max_pixels in all), checked
 * from the header before anything is allocated.  Returns 0, VG_ERR_IO (an
 * empty picture) or VG_ERR_LIMIT. */
int vg_image_check_decode_size(unsigned long width, unsigned long height,
                               uint64_t max_pixels, char *problem, size_t size);

#endif /* VG_IMAGE_CODEC_H */

/*
 * image_png.c - PNG to RGBA8 and back, with libpng.
 *
 * libpng reports errors by longjmp and prints them by default.  The handlers
 * below keep the message and jump back to a setjmp inside this file, so no
 * jump ever leaves it and nothing is printed.  All state that must survive
 * the jump lives in a struct reached through a pointer (never in locals
 * modified after setjmp, whose values a longjmp leaves indeterminate).
 */
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/image_codec.h"
#include "vg/image.h"

typedef struct png_state {
    FILE *file;
    char *problem;
    size_t size;
    int code;         /* the vg error a libpng error maps to */
    const char *what; /* what a libpng error means here */
    vg_image *image;
    png_bytep *rows;         /* freed by the caller, also after a jump */
    const vg_limits *limits; /* decoding only */
} png_state;

static void on_error(png_structp png, png_const_charp message)
{
    png_state *s = png_get_error_ptr(png);
    if (s->problem[0] == '\0')
        snprintf(s->problem, s->size, "%s (%s)", s->what, message);
    png_longjmp(png, 1);
}

/* libpng turns a chunk over the limits set in decode() into a warning and
 * skips it.  Those are errors here, naming the limit: a picture that needs
 * a limit raised should say so, not load differently.  Other warnings are
 * about ancillary data vg does not use (an sRGB profile known to be
 * slightly wrong is common in real files), and the picture is fine. */
static void on_warning(png_structp png, png_const_charp message)
{
    png_state *s = png_get_error_ptr(png);
    const char *key = NULL;
    if (strstr(message, "chunk data is too large") ||
        strstr(message, "exceeds limit") || strstr(message, "too large"))
        key = "limits.png_max_chunk_bytes";
    else if (strstr(message, "no space in chunk cache"))
        key = "limits.png_max_ancillary_chunks";
    if (!key || !s->limits)
        return;
    snprintf(s->problem, s->size, "PNG chunk over a limit (%s; raise %s)",
             message, key);
    s->code = VG_ERR_LIMIT;
    png_longjmp(png, 1);
}

/* fread, with a short read reported as truncation rather than libpng's
 * anonymous "Read Error". */
static void read_data(png_structp png, png_bytep data, size_t length)
{
    png_state *s = png_get_io_ptr(png);
    if (fread(data, 1, length, s->file) != length) {
        snprintf(s->problem, s->size,
                 ferror(s->file) ? "read error"
                                 : "truncated PNG file (unexpected "
                                   "end of file)");
        png_error(png, "read");
    }
}

/* Expand every kind of PNG to 8-bit RGBA. */
static void set_transforms(png_structp png, png_infop info)
{
    int type = png_get_color_type(png, info);
    if (png_get_bit_depth(png, info) == 16)
        png_set_scale_16(png); /* rounded, not truncated */
    if (type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_tRNS_to_alpha(png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    if (!(type & PNG_COLOR_MASK_ALPHA) &&
        !png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
}

static int decode(png_structp png, png_infop info, png_state *s)
{
    if (setjmp(png_jmpbuf(png)))
        return s->code;
    png_set_read_fn(png, s, read_data);
    /* Before the first chunk is read.  The picture's size is checked below
     * from the header, before libpng allocates any row. */
    png_set_chunk_malloc_max(png,
                             (png_alloc_size_t)s->limits->png_max_chunk_bytes);
    png_set_chunk_cache_max(png, s->limits->png_max_ancillary_chunks);
    png_read_info(png, info);
    int rc = vg_image_check_decode_size(
        png_get_image_width(png, info), png_get_image_height(png, info),
        s->limits->max_picture_pixels, s->problem, s->size);
    if (rc != 0)
        return rc;
    set_transforms(png, info);
    int32_t w = (int32_t)png_get_image_width(png, info);
    int32_t h = (int32_t)png_get_image_height(png, info);
    if (vg_image_alloc(VG_FORMAT_RGBA8, w, h, s->image) != 0) {
        snprintf(s->problem, s->size, "out of memory for %d x %d", w, h);
        return VG_ERR_NO_MEMORY;
    }
    s->rows = malloc((size_t)h * sizeof *s->rows);
    if (!s->rows) {
        snprintf(s->problem, s->size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    for (int32_t y = 0; y < h; y++)
        s->rows[y] =
            s->image->data[0] + (size_t)y * (size_t)s->image->stride[0];
    png_read_image(png, s->rows);
    /* The end chunk: a file cut after the pixel data is still truncated. */
    png_read_end(png, NULL);
    return 0;
}

int vg_png_decode(FILE *file, const vg_limits *limits, vg_image *out,
                  char *problem, size_t size)
{
    problem[0] = '\0';
    memset(out, 0, sizeof *out);
    png_state s = {.file = file,
                   .problem = problem,
                   .size = size,
                   .code = VG_ERR_IO,
                   .image = out,
                   .limits = limits,
                   .what = "corrupt PNG data"};
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, &s, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(problem, size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = decode(png, info, &s);
    png_destroy_read_struct(&png, &info, NULL);
    free(s.rows);
    if (rc != 0)
        vg_image_free(out);
    return rc;
}

static void write_data(png_structp png, png_bytep data, size_t length)
{
    png_state *s = png_get_io_ptr(png);
    if (fwrite(data, 1, length, s->file) != length)
        png_error(png, "write failed");
}

static void flush_data(png_structp png)
{
    png_state *s = png_get_io_ptr(png);
    if (fflush(s->file) != 0)
        png_error(png, "write failed");
}

static int encode(png_structp png, png_infop info, png_state *s,
                  const vg_image *rgba)
{
    if (setjmp(png_jmpbuf(png)))
        return VG_ERR_IO;
    png_set_write_fn(png, s, write_data, flush_data);
    png_set_IHDR(png, info, (png_uint_32)rgba->width, (png_uint_32)rgba->height,
                 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int32_t y = 0; y < rgba->height; y++)
        png_write_row(png, rgba->data[0] + (size_t)y * (size_t)rgba->stride[0]);
    png_write_end(png, NULL);
    return 0;
}

int vg_png_encode(FILE *file, const vg_image *rgba, char *problem, size_t size)
{
    problem[0] = '\0';
    png_state s = {.file = file,
                   .problem = problem,
                   .size = size,
                   .what = "cannot write PNG data"};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &s,
                                              on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        snprintf(problem, size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = encode(png, info, &s, rgba);
    png_destroy_write_struct(&png, &info);
    return rc;
}

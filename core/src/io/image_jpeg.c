/*
 * image_jpeg.c - JPEG to RGBA8 and back, with libjpeg(-turbo).
 *
 * libjpeg's default error handler prints and calls exit(); its warnings
 * (corrupt data, premature end of file) are printed while decoding goes on
 * and fills the rest of the picture with grey.  The handlers below keep the
 * message, treat warnings as errors, and jump back to a setjmp inside this
 * file.  State that must survive the jump lives behind a pointer.
 */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

#include "io/image_codec.h"
#include "vg/image.h"

typedef struct jpeg_state {
    struct jpeg_error_mgr mgr; /* first: libjpeg hands back this pointer */
    jmp_buf jump;
    char *problem;
    size_t size;
    const char *what;
} jpeg_state;

static void keep_message(j_common_ptr cinfo)
{
    jpeg_state *s = (jpeg_state *)cinfo->err;
    if (s->problem[0] != '\0')
        return;
    char message[JMSG_LENGTH_MAX];
    s->mgr.format_message(cinfo, message);
    snprintf(s->problem, s->size, "%s (%s)", s->what, message);
}

static void on_error_exit(j_common_ptr cinfo)
{
    keep_message(cinfo);
    longjmp(((jpeg_state *)cinfo->err)->jump, 1);
}

/* level -1 is a warning: corrupt or missing data that libjpeg would paper
 * over.  Higher levels are trace messages. */
static void on_message(j_common_ptr cinfo, int level)
{
    if (level < 0)
        on_error_exit(cinfo);
}

static void on_output(j_common_ptr cinfo)
{
    (void)cinfo; /* never print */
}

static void init_errors(jpeg_state *s, char *problem, size_t size,
                        const char *what)
{
    problem[0] = '\0';
    s->problem = problem;
    s->size = size;
    s->what = what;
    jpeg_std_error(&s->mgr);
    s->mgr.error_exit = on_error_exit;
    s->mgr.emit_message = on_message;
    s->mgr.output_message = on_output;
}

static int decode(struct jpeg_decompress_struct *cinfo, jpeg_state *s,
                  vg_image *out)
{
    if (setjmp(s->jump))
        return VG_ERR_IO;
    jpeg_read_header(cinfo, TRUE);
    int rc = vg_image_check_decode_size(cinfo->image_width, cinfo->image_height,
                                        s->problem, s->size);
    if (rc != 0)
        return rc;
    if (cinfo->jpeg_color_space == JCS_CMYK ||
        cinfo->jpeg_color_space == JCS_YCCK) {
        snprintf(s->problem, s->size,
                 "CMYK JPEG is not supported; save it as RGB");
        return VG_ERR_UNSUPPORTED;
    }
    cinfo->out_color_space = JCS_EXT_RGBA; /* libjpeg-turbo: alpha 255 */
    jpeg_start_decompress(cinfo);
    int32_t w = (int32_t)cinfo->output_width;
    int32_t h = (int32_t)cinfo->output_height;
    if (vg_image_alloc(VG_FORMAT_RGBA8, w, h, out) != 0) {
        snprintf(s->problem, s->size, "out of memory for %d x %d", w, h);
        return VG_ERR_NO_MEMORY;
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW row = out->data[0] +
                       (size_t)cinfo->output_scanline * (size_t)out->stride[0];
        jpeg_read_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_decompress(cinfo);
    return 0;
}

int vg_jpeg_decode(FILE *file, vg_image *out, char *problem, size_t size)
{
    memset(out, 0, sizeof *out);
    jpeg_state s;
    struct jpeg_decompress_struct cinfo;
    init_errors(&s, problem, size, "corrupt JPEG data");
    cinfo.err = &s.mgr;
    if (setjmp(s.jump))
        return VG_ERR_NO_MEMORY; /* jpeg_create_* fails only for memory */
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, file);
    int rc = decode(&cinfo, &s, out);
    jpeg_destroy_decompress(&cinfo);
    if (rc != 0)
        vg_image_free(out);
    return rc;
}

static int encode(struct jpeg_compress_struct *cinfo, jpeg_state *s,
                  const vg_image *rgba, int quality)
{
    if (setjmp(s->jump))
        return VG_ERR_IO;
    cinfo->image_width = (JDIMENSION)rgba->width;
    cinfo->image_height = (JDIMENSION)rgba->height;
    cinfo->input_components = 4;
    cinfo->in_color_space = JCS_EXT_RGBA; /* alpha ignored */
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality, TRUE);
    jpeg_start_compress(cinfo, TRUE);
    while (cinfo->next_scanline < cinfo->image_height) {
        JSAMPROW row = rgba->data[0] +
                       (size_t)cinfo->next_scanline * (size_t)rgba->stride[0];
        jpeg_write_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_compress(cinfo);
    return 0;
}

int vg_jpeg_encode(FILE *file, const vg_image *rgba, int quality, char *problem,
                   size_t size)
{
    jpeg_state s;
    struct jpeg_compress_struct cinfo;
    init_errors(&s, problem, size, "cannot write JPEG data");
    cinfo.err = &s.mgr;
    if (setjmp(s.jump))
        return VG_ERR_NO_MEMORY;
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, file);
    int rc = encode(&cinfo, &s, rgba, quality);
    jpeg_destroy_compress(&cinfo);
    return rc;
}

/*
 * image_write.c - write a frame as PNG or JPEG, complete or not at all
 * (vg/output_file.h).
 */
#include <stdio.h>

#include "io/image_codec.h"
#include "vg/image_io.h"
#include "vg/output_file.h"

typedef int (*encode_fn)(FILE *file, const vg_image *rgba, int quality,
                         char *problem, size_t size);

static int png_with_quality(FILE *file, const vg_image *rgba, int quality,
                            char *problem, size_t size)
{
    (void)quality; /* PNG is lossless */
    return vg_png_encode(file, rgba, problem, size);
}

static int write_atomically(const char *path, const vg_image *rgba, int quality,
                            encode_fn encode, char *err, size_t err_size)
{
    if (!rgba || rgba->format != VG_FORMAT_RGBA8) {
        snprintf(err, err_size, "%s: only RGBA8 frames can be written", path);
        return VG_ERR_INVALID_ARGUMENT;
    }
    vg_output_file out;
    int rc = vg_output_file_open(path, &out, err, err_size);
    if (rc != 0)
        return rc;
    char problem[512] = "";
    rc = encode(out.file, rgba, quality, problem, sizeof problem);
    if (rc != 0) {
        snprintf(err, err_size, "%s: %s", path, problem);
        vg_output_file_discard(&out);
        return rc;
    }
    return vg_output_file_commit(&out, err, err_size);
}

int vg_image_write_png(const char *path, const vg_image *rgba, char *err,
                       size_t err_size)
{
    return write_atomically(path, rgba, 0, png_with_quality, err, err_size);
}

int vg_image_write_jpeg(const char *path, const vg_image *rgba, int quality,
                        char *err, size_t err_size)
{
    if (quality < 1 || quality > 100) {
        snprintf(err, err_size, "%s: JPEG quality %d is not in 1..100", path,
                 quality);
        return VG_ERR_INVALID_ARGUMENT;
    }
    return write_atomically(path, rgba, quality, vg_jpeg_encode, err, err_size);
}

/*
 * image_read.c - vg_image_read: open a picture, recognise its format from
 * its first bytes, hand it to the PNG or JPEG decoder.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "io/image_codec.h"
#include "vg/image_io.h"

int vg_image_check_decode_size(unsigned long width, unsigned long height,
                               char *problem, size_t size)
{
    if (width < 1 || height < 1) {
        snprintf(problem, size, "the picture is empty (%lu x %lu)", width,
                 height);
        return VG_ERR_IO;
    }
    if (width > VG_MAX_DIMENSION || height > VG_MAX_DIMENSION) {
        snprintf(problem, size, "%lu x %lu is larger than the %d x %d limit",
                 width, height, VG_MAX_DIMENSION, VG_MAX_DIMENSION);
        return VG_ERR_LIMIT;
    }
    return 0;
}

int vg_image_read(const char *path, vg_image *out, char *err, size_t err_size)
{
    static const unsigned char png_magic[8] = {0x89, 'P',  'N',  'G',
                                               '\r', '\n', 0x1a, '\n'};
    static const unsigned char jpeg_magic[3] = {0xff, 0xd8, 0xff};
    char problem[512] = "";
    int rc;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return VG_ERR_IO;
    }
    unsigned char head[8] = {0};
    size_t got = fread(head, 1, sizeof head, f);
    rewind(f);
    if (got == sizeof head && memcmp(head, png_magic, 8) == 0) {
        rc = vg_png_decode(f, out, problem, sizeof problem);
    } else if (got >= 3 && memcmp(head, jpeg_magic, 3) == 0) {
        rc = vg_jpeg_decode(f, out, problem, sizeof problem);
    } else {
        snprintf(problem, sizeof problem,
                 got == 0 ? "empty file, not a PNG or JPEG picture"
                          : "not a PNG or JPEG picture");
        rc = VG_ERR_UNSUPPORTED;
    }
    fclose(f);
    if (rc != 0)
        snprintf(err, err_size, "%s: %s", path, problem);
    return rc;
}

/*
 * image_write.c - write a frame as PNG or JPEG under a temporary name, then
 * rename it into place, so an interrupted write never leaves a file under
 * the final name that looks complete.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_codec.h"
#include "vg/image_io.h"

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
    char *temp = NULL;
    if (asprintf(&temp, "%s.partial-XXXXXX", path) < 0) {
        snprintf(err, err_size, "%s: out of memory", path);
        return VG_ERR_NO_MEMORY;
    }
    char problem[512] = "";
    int rc = VG_ERR_IO;
    int fd = mkstemp(temp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        snprintf(problem, sizeof problem, "cannot create: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        goto done;
    }
    /* mkstemp creates 0600; the finished file gets the usual mode. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    rc = encode(f, rgba, quality, problem, sizeof problem);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(problem, sizeof problem, "cannot write: %s", strerror(errno));
        rc = VG_ERR_IO;
    }
    if (rc == 0 && rename(temp, path) != 0) {
        snprintf(problem, sizeof problem, "cannot rename into place: %s",
                 strerror(errno));
        rc = VG_ERR_IO;
    }
done:
    if (rc != 0) {
        if (fd >= 0)
            unlink(temp);
        snprintf(err, err_size, "%s: %s", path, problem);
    }
    free(temp);
    return rc;
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

/*
 * y4m.c - YUV4MPEG2 output, written atomically.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strutil.h"
#include "vg/image.h"
#include "vg/y4m.h"

struct vg_y4m_writer {
    FILE *file;
    char *final_path; /* NULL for stdout */
    char *temp_path;
    vg_y4m_format format;
};

size_t vg_y4m_header(const vg_y4m_format *f, char *buf, size_t size)
{
    /* C420jpeg: chroma sited at the centre of each 2x2 block, which is what
     * averaging the block (our RGBA->I420) produces.  XCOLORRANGE is the
     * extension ffmpeg reads for the range. */
    int n = snprintf(buf, size,
                     "YUV4MPEG2 W%d H%d F%u:%u Ip A1:1 C420jpeg "
                     "XYSCSS=420JPEG XCOLORRANGE=%s\n",
                     f->width, f->height, f->fps_num, f->fps_den,
                     f->range == VG_RANGE_FULL ? "FULL" : "LIMITED");
    return n < 0 ? 0 : (size_t)n;
}

static int io_error(char *err, size_t err_size, const char *what,
                    const char *path)
{
    snprintf(err, err_size, "%s: %s: %s", path, what, strerror(errno));
    return VG_ERR_IO;
}

int vg_y4m_open(const char *path, const vg_y4m_format *format,
                vg_y4m_writer **out, char *err, size_t err_size)
{
    *out = NULL;
    vg_y4m_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    w->format = *format;
    if (strcmp(path, "-") == 0) {
        w->file = stdout;
    } else {
        /* The temporary file sits beside the target so rename() stays on
         * one filesystem and is atomic. */
        w->final_path = strdup(path);
        if (!w->final_path ||
            asprintf(&w->temp_path, "%s.partial-XXXXXX", path) < 0) {
            w->temp_path = NULL;
            vg_y4m_abort(&w);
            snprintf(err, err_size, "out of memory");
            return VG_ERR_NO_MEMORY;
        }
        int fd = mkstemp(w->temp_path);
        /* mkstemp creates 0600; the finished file gets the usual mode. */
        mode_t mask = umask(0);
        umask(mask);
        if (fd >= 0)
            fchmod(fd, 0666 & ~mask);
        if (fd < 0 || !(w->file = fdopen(fd, "wb"))) {
            int rc = io_error(err, err_size, "cannot create", path);
            if (fd >= 0)
                close(fd);
            vg_y4m_abort(&w);
            return rc;
        }
    }
    char header[256];
    size_t len = vg_y4m_header(format, header, sizeof header);
    if (fwrite(header, 1, len, w->file) != len) {
        int rc = io_error(err, err_size, "cannot write", path);
        vg_y4m_abort(&w);
        return rc;
    }
    *out = w;
    return 0;
}

int vg_y4m_write_frame(vg_y4m_writer *w, const vg_image *frame, char *err,
                       size_t err_size)
{
    const char *name = w->final_path ? w->final_path : "<stdout>";
    if (fwrite("FRAME\n", 1, 6, w->file) != 6)
        return io_error(err, err_size, "cannot write", name);
    for (int p = 0; p < 3; p++) {
        int32_t pw, ph;
        vg_plane_size(VG_FORMAT_I420, frame->width, frame->height, p, &pw, &ph);
        for (int32_t y = 0; y < ph; y++)
            if (fwrite(frame->data[p] + (size_t)y * (size_t)frame->stride[p], 1,
                       (size_t)pw, w->file) != (size_t)pw)
                return io_error(err, err_size, "cannot write", name);
    }
    return 0;
}

int vg_y4m_finish(vg_y4m_writer **wp, char *err, size_t err_size)
{
    vg_y4m_writer *w = *wp;
    const char *name = w->final_path ? w->final_path : "<stdout>";
    if (fflush(w->file) != 0) {
        int rc = io_error(err, err_size, "cannot write", name);
        vg_y4m_abort(wp);
        return rc;
    }
    if (w->final_path) {
        FILE *f = w->file;
        w->file = NULL;
        if (fclose(f) != 0) {
            int rc = io_error(err, err_size, "cannot write", name);
            vg_y4m_abort(wp);
            return rc;
        }
        if (rename(w->temp_path, w->final_path) != 0) {
            int rc = io_error(err, err_size, "cannot rename the finished "
                                             "file to",
                              name);
            vg_y4m_abort(wp);
            return rc;
        }
        free(w->temp_path);
        w->temp_path = NULL;
    }
    vg_y4m_abort(wp); /* frees; nothing left to remove */
    return 0;
}

void vg_y4m_abort(vg_y4m_writer **wp)
{
    if (!wp || !*wp)
        return;
    vg_y4m_writer *w = *wp;
    if (w->file && w->file != stdout)
        fclose(w->file);
    if (w->temp_path)
        unlink(w->temp_path);
    free(w->temp_path);
    free(w->final_path);
    free(w);
    *wp = NULL;
}

/*
 * y4m.c - YUV4MPEG2 output, written so it is complete or absent
 * (vg/output_file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg/image.h"
#include "vg/output_file.h"
#include "vg/y4m.h"

struct vg_y4m_writer {
    vg_output_file out;
    vg_y4m_format format;
    bool reader_gone; /* a write failed with EPIPE */
};

bool vg_y4m_reader_gone(const vg_y4m_writer *w)
{
    return w->reader_gone;
}

size_t vg_y4m_header(const vg_y4m_format *f, char *buf, size_t size)
{
    /* C420jpeg: chroma sited at the centre of each 2x2 block, which is what
     * averaging the block (our RGBA->I420) produces.  XCOLORRANGE is the
     * extension ffmpeg reads for the range. */
    char tags[128] = "";
    if (f->piece)
        vg_piece_format_tags(f->piece, tags, sizeof tags);
    int n = snprintf(buf, size,
                     "YUV4MPEG2 W%d H%d F%u:%u Ip A1:1 C420jpeg "
                     "XYSCSS=420JPEG XCOLORRANGE=%s%s\n",
                     f->width, f->height, f->fps_num, f->fps_den,
                     f->range == VG_RANGE_FULL ? "FULL" : "LIMITED", tags);
    return n < 0 ? 0 : (size_t)n;
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
    int rc = vg_output_file_open(path, &w->out, err, err_size);
    if (rc != 0) {
        free(w);
        return rc;
    }
    char header[256];
    size_t len = vg_y4m_header(format, header, sizeof header);
    if (fwrite(header, 1, len, w->out.file) != len) {
        snprintf(err, err_size, "%s: cannot write", w->out.name);
        vg_y4m_abort(&w);
        return VG_ERR_IO;
    }
    *out = w;
    return 0;
}

int vg_y4m_write_frame(vg_y4m_writer *w, const vg_image *frame, char *err,
                       size_t err_size)
{
    FILE *f = w->out.file;
    bool ok = fwrite("FRAME\n", 1, 6, f) == 6;
    for (int p = 0; p < 3 && ok; p++) {
        int32_t pw, ph;
        vg_plane_size(VG_FORMAT_I420, frame->width, frame->height, p, &pw, &ph);
        /* A plane without padding goes out in one call, which stdio passes
         * to write() without first copying it through its buffer. */
        if (frame->stride[p] == pw) {
            size_t bytes = (size_t)pw * (size_t)ph;
            ok = fwrite(frame->data[p], 1, bytes, f) == bytes;
            continue;
        }
        for (int32_t y = 0; y < ph && ok; y++)
            ok = fwrite(frame->data[p] + (size_t)y * (size_t)frame->stride[p],
                        1, (size_t)pw, f) == (size_t)pw;
    }
    /* Flushed frame by frame (a frame is far larger than the buffer, so
     * this costs nothing): a reader that goes away is noticed at the frame
     * it missed, and the count of frames it got is exact. */
    ok = ok && fflush(f) == 0;
    if (!ok) {
        int e = errno;
        w->reader_gone = e == EPIPE;
        snprintf(err, err_size, "%s: cannot write: %s", w->out.name,
                 strerror(e));
        return VG_ERR_IO;
    }
    return 0;
}

int vg_y4m_finish(vg_y4m_writer **wp, char *err, size_t err_size)
{
    int rc = vg_output_file_commit(&(*wp)->out, err, err_size);
    free(*wp);
    *wp = NULL;
    return rc;
}

void vg_y4m_abort(vg_y4m_writer **wp)
{
    if (!wp || !*wp)
        return;
    vg_output_file_discard(&(*wp)->out);
    free(*wp);
    *wp = NULL;
}

/*
 * worker_io.c - whole-message socket I/O and the shared-memory image layout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "loader/worker_io.h"

bool vg_worker_send_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        /* MSG_NOSIGNAL: a dead worker is an error to report, not a SIGPIPE
         * that kills the host. */
        ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= (size_t)n;
    }
    return true;
}

bool vg_worker_recv_all(int fd, void *data, size_t size)
{
    char *p = data;
    while (size > 0) {
        ssize_t n = recv(fd, p, size, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= (size_t)n;
    }
    return true;
}

uint64_t vg_worker_image_layout(uint32_t format, int32_t width, int32_t height,
                                vg_worker_image *out)
{
    memset(out, 0, sizeof *out);
    out->format = format;
    out->width = width;
    out->height = height;
    uint64_t w = (uint64_t)width, h = (uint64_t)height;
    if (format == VG_FORMAT_RGBA8) {
        out->stride[0] = (int32_t)(w * 4);
        return w * 4 * h;
    }
    uint64_t cw = (w + 1) / 2, ch = (h + 1) / 2;
    out->stride[0] = (int32_t)w;
    out->stride[1] = out->stride[2] = (int32_t)cw;
    out->offset[1] = w * h;
    out->offset[2] = w * h + cw * ch;
    return w * h + 2 * cw * ch;
}

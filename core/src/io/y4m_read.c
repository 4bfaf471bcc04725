/*
 * y4m_read.c - random access to the frames of a Y4M file (y4m_read.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vg/image.h"
#include "io/y4m_read.h"

/* A header longer than this is not one vg or ffmpeg would write. */
#define HEADER_MAX 1024
#define FRAME_TAG "FRAME\n"
#define FRAME_TAG_SIZE 6

struct vg_y4m_reader {
    int fd;
    char *path;
    int32_t width, height;
    vg_color_range range;
    off_t first_frame;  /* offset of the first "FRAME\n" */
    size_t frame_bytes; /* packed I420 bytes of one frame */
    uint32_t frame_count;
};

/* pread all of [offset, offset + size); 0, or -1 with errno (0 at EOF). */
static int read_fully(int fd, void *buf, size_t size, off_t offset)
{
    char *p = buf;
    while (size > 0) {
        ssize_t n = pread(fd, p, size, offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = 0;
            return -1;
        }
        p += n;
        size -= (size_t)n;
        offset += n;
    }
    return 0;
}

/* One header parameter (the text after the tag letter, up to a blank). */
static int parse_param(vg_y4m_reader *r, const char *param, char *problem,
                       size_t size)
{
    char *end = NULL;
    switch (param[0]) {
    case 'W':
    case 'H': {
        long v = strtol(param + 1, &end, 10);
        if (end == param + 1 || v < 1) {
            snprintf(problem, size, "bad size '%s'", param);
            return VG_ERR_UNSUPPORTED;
        }
        int32_t clamped =
            v > VG_MAX_DIMENSION ? VG_MAX_DIMENSION + 1 : (int32_t)v;
        if (param[0] == 'W')
            r->width = clamped;
        else
            r->height = clamped;
        return 0;
    }
    case 'I':
        if (strcmp(param, "Ip") != 0 && strcmp(param, "I?") != 0) {
            snprintf(problem, size,
                     "interlaced video (%s) is not supported; deinterlace "
                     "it first",
                     param);
            return VG_ERR_UNSUPPORTED;
        }
        return 0;
    case 'C':
        if (strcmp(param, "C420jpeg") != 0 && strcmp(param, "C420mpeg2") != 0 &&
            strcmp(param, "C420paldv") != 0 && strcmp(param, "C420") != 0) {
            snprintf(problem, size,
                     "colour space %s is not supported (8-bit 4:2:0 only: "
                     "convert with ffmpeg -pix_fmt yuv420p)",
                     param + 1);
            return VG_ERR_UNSUPPORTED;
        }
        return 0;
    case 'X':
        if (strcmp(param, "XCOLORRANGE=FULL") == 0)
            r->range = VG_RANGE_FULL;
        return 0; /* other extensions do not change the pixels' layout */
    default:
        return 0; /* F (rate), A (aspect): the job decides both */
    }
}

static int parse_header(vg_y4m_reader *r, char *line, char *problem,
                        size_t size)
{
    if (strncmp(line, "YUV4MPEG2 ", 10) != 0) {
        snprintf(problem, size, "not a Y4M file (no YUV4MPEG2 header)");
        return VG_ERR_UNSUPPORTED;
    }
    r->range = VG_RANGE_LIMITED;
    char *save = NULL;
    for (char *p = strtok_r(line + 10, " ", &save); p;
         p = strtok_r(NULL, " ", &save)) {
        int rc = parse_param(r, p, problem, size);
        if (rc != 0)
            return rc;
    }
    if (r->width == 0 || r->height == 0) {
        snprintf(problem, size, "the header gives no size");
        return VG_ERR_UNSUPPORTED;
    }
    if (r->width > VG_MAX_DIMENSION || r->height > VG_MAX_DIMENSION) {
        snprintf(problem, size, "frames larger than the %d x %d limit",
                 VG_MAX_DIMENSION, VG_MAX_DIMENSION);
        return VG_ERR_LIMIT;
    }
    return 0;
}

/* Read and parse the header line; sets first_frame. */
static int read_header(vg_y4m_reader *r, char *problem, size_t size)
{
    char buf[HEADER_MAX + 1];
    ssize_t got;
    do
        got = pread(r->fd, buf, HEADER_MAX, 0);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        snprintf(problem, size, "cannot read: %s", strerror(errno));
        return VG_ERR_IO;
    }
    buf[got] = '\0';
    char *newline = memchr(buf, '\n', (size_t)got);
    if (!newline) {
        snprintf(problem, size,
                 got < HEADER_MAX ? "not a Y4M file (no header line)"
                                  : "header line too long");
        return VG_ERR_UNSUPPORTED;
    }
    *newline = '\0';
    r->first_frame = newline - buf + 1;
    return parse_header(r, buf, problem, size);
}

/* The file must hold a whole number of frames, each tagged "FRAME\n". */
static int count_frames(vg_y4m_reader *r, char *problem, size_t size)
{
    struct stat st;
    if (fstat(r->fd, &st) != 0) {
        snprintf(problem, size, "cannot read: %s", strerror(errno));
        return VG_ERR_IO;
    }
    r->frame_bytes = vg_image_packed_size(VG_FORMAT_I420, r->width, r->height);
    size_t stride = r->frame_bytes + FRAME_TAG_SIZE;
    size_t body =
        st.st_size > r->first_frame ? (size_t)(st.st_size - r->first_frame) : 0;
    if (body == 0 || body % stride != 0 || body / stride > UINT32_MAX) {
        snprintf(problem, size,
                 "%zu bytes of frames is not a whole number of %d x %d "
                 "frames (%zu bytes each): truncated, or frame headers with "
                 "parameters",
                 body, r->width, r->height, stride);
        return VG_ERR_IO;
    }
    r->frame_count = (uint32_t)(body / stride);
    char tag[FRAME_TAG_SIZE];
    if (read_fully(r->fd, tag, sizeof tag, r->first_frame) != 0 ||
        memcmp(tag, FRAME_TAG, FRAME_TAG_SIZE) != 0) {
        snprintf(problem, size, "the first frame does not start with FRAME");
        return VG_ERR_IO;
    }
    return 0;
}

int vg_y4m_reader_open(const char *path, vg_y4m_reader **out, char *err,
                       size_t err_size)
{
    *out = NULL;
    vg_y4m_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        snprintf(err, err_size, "%s: out of memory", path);
        return VG_ERR_NO_MEMORY;
    }
    char problem[512];
    int rc = 0;
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        snprintf(problem, sizeof problem, "cannot open: %s", strerror(errno));
        rc = VG_ERR_IO;
    }
    if (rc == 0)
        rc = read_header(r, problem, sizeof problem);
    if (rc == 0)
        rc = count_frames(r, problem, sizeof problem);
    if (rc != 0) {
        snprintf(err, err_size, "%s: %s", path, problem);
        vg_y4m_reader_close(&r);
        return rc;
    }
    *out = r;
    return 0;
}

int32_t vg_y4m_reader_width(const vg_y4m_reader *r)
{
    return r->width;
}

int32_t vg_y4m_reader_height(const vg_y4m_reader *r)
{
    return r->height;
}

uint32_t vg_y4m_reader_frame_count(const vg_y4m_reader *r)
{
    return r->frame_count;
}

vg_color_range vg_y4m_reader_range(const vg_y4m_reader *r)
{
    return r->range;
}

int vg_y4m_reader_read(const vg_y4m_reader *r, uint32_t index,
                       const vg_image *dst, char *err, size_t err_size)
{
    off_t offset = r->first_frame +
                   (off_t)index * (off_t)(r->frame_bytes + FRAME_TAG_SIZE);
    char tag[FRAME_TAG_SIZE];
    if (read_fully(r->fd, tag, sizeof tag, offset) != 0 ||
        memcmp(tag, FRAME_TAG, FRAME_TAG_SIZE) != 0) {
        snprintf(err, err_size, "%s: frame %u: %s", r->path, index,
                 errno ? strerror(errno) : "no FRAME header (file changed?)");
        return VG_ERR_IO;
    }
    offset += FRAME_TAG_SIZE;
    for (int p = 0; p < 3; p++) {
        int32_t pw, ph;
        vg_plane_size(VG_FORMAT_I420, r->width, r->height, p, &pw, &ph);
        for (int32_t y = 0; y < ph; y++, offset += pw) {
            uint8_t *row = dst->data[p] + (size_t)y * (size_t)dst->stride[p];
            if (read_fully(r->fd, row, (size_t)pw, offset) != 0) {
                snprintf(err, err_size, "%s: frame %u: %s", r->path, index,
                         errno ? strerror(errno)
                               : "unexpected end of file (file changed?)");
                return VG_ERR_IO;
            }
        }
    }
    return 0;
}

void vg_y4m_reader_close(vg_y4m_reader **reader)
{
    if (!reader || !*reader)
        return;
    vg_y4m_reader *r = *reader;
    if (r->fd >= 0 && r->path)
        close(r->fd);
    free(r->path);
    free(r);
    *reader = NULL;
}

/*
 * encode_io.c - an AVIOContext on a vg_output_file.
 *
 * The muxer writes through this context instead of opening the path
 * itself, so an encoded file is written where nobody sees it and appears
 * under its name only when complete (vg/output_file.h).  Reads and writes
 * go to explicit offsets (pread/pwrite): the MP4 muxer's faststart pass
 * reads the file through a second context while writing through the
 * first, so the two must not share a file position.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/mem.h>

#include "encode_internal.h"

#define IO_BUFFER_SIZE (1 << 16)

typedef struct io_state {
    int fd;
    int64_t pos;
    bool seekable; /* a regular file, not a FIFO or device */
} io_state;

static int io_write(void *opaque, uint8_t *buf, int size)
{
    io_state *s = opaque;
    int done = 0;
    while (done < size) {
        ssize_t n =
            s->seekable
                ? pwrite(s->fd, buf + done, (size_t)(size - done), s->pos)
                : write(s->fd, buf + done, (size_t)(size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return AVERROR(n < 0 ? errno : EIO);
        done += (int)n;
        s->pos += n;
    }
    return done;
}

static int io_read(void *opaque, uint8_t *buf, int size)
{
    io_state *s = opaque;
    ssize_t n;
    do
        n = pread(s->fd, buf, (size_t)size, s->pos);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return AVERROR(errno);
    if (n == 0)
        return AVERROR_EOF;
    s->pos += n;
    return (int)n;
}

static int64_t io_seek(void *opaque, int64_t offset, int whence)
{
    io_state *s = opaque;
    struct stat st;
    if (!s->seekable)
        return AVERROR(ESPIPE);
    if (fstat(s->fd, &st) != 0)
        return AVERROR(errno);
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
        return st.st_size;
    case SEEK_SET:
        break;
    case SEEK_CUR:
        offset += s->pos;
        break;
    case SEEK_END:
        offset += st.st_size;
        break;
    default:
        return AVERROR(EINVAL);
    }
    if (offset < 0)
        return AVERROR(EINVAL);
    s->pos = offset;
    return offset;
}

static AVIOContext *create(int fd, bool seekable, bool writing)
{
    io_state *state = malloc(sizeof *state);
    unsigned char *buffer = av_malloc(IO_BUFFER_SIZE);
    AVIOContext *io =
        state && buffer ? avio_alloc_context(buffer, IO_BUFFER_SIZE, writing,
                                             state, seekable ? io_read : NULL,
                                             writing ? io_write : NULL, io_seek)
                        : NULL;
    if (!io) {
        free(state);
        av_free(buffer);
        return NULL;
    }
    *state = (io_state){.fd = fd, .seekable = seekable};
    io->seekable = seekable ? AVIO_SEEKABLE_NORMAL : 0;
    return io;
}

AVIOContext *vg_encode_io_create(vg_output_file *file)
{
    return create(fileno(file->file), !file->in_place, true);
}

void vg_encode_io_destroy(AVIOContext **io)
{
    if (!*io)
        return;
    free((*io)->opaque);
    av_freep(&(*io)->buffer);
    avio_context_free(io);
}

int vg_encode_io_open(AVFormatContext *s, AVIOContext **pb, const char *url,
                      int flags, AVDictionary **options)
{
    (void)url;
    (void)options;
    /* Only a second look at the file being written is allowed: the muxer
     * must never open a path of its own beside the complete-or-absent
     * file. */
    const io_state *main_state = s->pb ? s->pb->opaque : NULL;
    if (!main_state || (flags & AVIO_FLAG_WRITE) || !main_state->seekable)
        return AVERROR(EPERM);
    *pb = create(main_state->fd, true, false);
    return *pb ? 0 : AVERROR(ENOMEM);
}

int vg_encode_io_close(AVFormatContext *s, AVIOContext *pb)
{
    (void)s;
    vg_encode_io_destroy(&pb);
    return 0;
}

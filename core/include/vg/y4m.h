/*
 * vg/y4m.h - write YUV4MPEG2 (Y4M) streams.
 *
 * The header carries size, frame rate, chroma siting and colour range, so
 * ffmpeg, mpv and x264 read the stream unaided.  A file is written as a
 * complete-or-absent output file (vg/output_file.h), moved in place only
 * by vg_y4m_finish, so an interrupted or killed run never leaves a file
 * under the final name.  "-" writes to standard output.
 *
 * Ownership: the writer owns its FILE and temporary path.  Thread-safety:
 * one thread per writer.
 */
#ifndef VG_Y4M_H
#define VG_Y4M_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/piece.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vg_y4m_format {
    int32_t width;
    int32_t height;
    uint32_t fps_num; /* frame rate = fps_num / fps_den */
    uint32_t fps_den;
    vg_color_range range;
    /* A piece of a job (--frames, --task): its fingerprint and range go in
     * the header as X-tags (vg/piece.h).  NULL for a whole video. */
    const vg_piece *piece;
} vg_y4m_format;

typedef struct vg_y4m_writer vg_y4m_writer;

/* Start a stream to `path` ("-" for stdout) and write its header.  Returns
 * 0, or VG_ERR_IO with err naming the path and the system's reason. */
VG_API int vg_y4m_open(const char *path, const vg_y4m_format *format,
                       vg_y4m_writer **out, char *err, size_t err_size);

/* Append one I420 frame of the stream's size.  Returns 0 or VG_ERR_IO. */
VG_API int vg_y4m_write_frame(vg_y4m_writer *w, const vg_image *frame,
                              char *err, size_t err_size);

/* True once a write failed because the reader of a pipe went away
 * (EPIPE; the caller should ignore SIGPIPE to see it). */
VG_API bool vg_y4m_reader_gone(const vg_y4m_writer *w);

/* Flush, close and move the file to its final name; frees the writer and
 * clears the pointer.  Returns 0 or VG_ERR_IO (the temporary file is
 * removed). */
VG_API int vg_y4m_finish(vg_y4m_writer **w, char *err, size_t err_size);

/* Close and remove the temporary file; frees and clears.  NULL is a no-op. */
VG_API void vg_y4m_abort(vg_y4m_writer **w);

/* The header line (with its newline) for a format, into buf. */
VG_API size_t vg_y4m_header(const vg_y4m_format *format, char *buf,
                            size_t size);

#ifdef __cplusplus
}
#endif

#endif /* VG_Y4M_H */

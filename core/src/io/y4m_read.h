/*
 * y4m_read.h - random access to the frames of a Y4M (YUV4MPEG2) file
 * (internal to libvg).
 *
 * Only what vg writes and what ffmpeg writes by default is accepted: 8-bit
 * 4:2:0 (C420jpeg, C420mpeg2, C420paldv, C420 or no C tag), progressive or
 * unknown interlacing, and frame headers that are exactly "FRAME\n".  Then
 * every frame has the same size, so frame k sits at a fixed offset and a
 * frame is read without reading the ones before it: rendering frame N stays
 * a pure function of N.
 *
 * Ownership: the reader owns its file descriptor.  Thread-safety: reads use
 * pread and no shared state, so one reader may serve several threads.
 */
#ifndef VG_Y4M_READ_H
#define VG_Y4M_READ_H

#include <stddef.h>
#include <stdint.h>

#include "vg/plugin.h"

typedef struct vg_y4m_reader vg_y4m_reader;

/* Open `path` and check its header, its first frame header and that its
 * size is a whole number of frames.  Errors read "PATH: problem".  Returns
 * 0, VG_ERR_IO (cannot open or read), VG_ERR_UNSUPPORTED (a format vg does
 * not read) or VG_ERR_LIMIT (larger than VG_MAX_DIMENSION). */
int vg_y4m_reader_open(const char *path, vg_y4m_reader **out, char *err,
                       size_t err_size);

int32_t vg_y4m_reader_width(const vg_y4m_reader *r);
int32_t vg_y4m_reader_height(const vg_y4m_reader *r);
uint32_t vg_y4m_reader_frame_count(const vg_y4m_reader *r);

/* The range the file is tagged with (XCOLORRANGE), limited when untagged. */
vg_color_range vg_y4m_reader_range(const vg_y4m_reader *r);

/* Read frame `index` (< frame_count) into `dst`, an I420 image of the
 * file's size.  Returns 0 or VG_ERR_IO with err naming the file and frame. */
int vg_y4m_reader_read(const vg_y4m_reader *r, uint32_t index,
                       const vg_image *dst, char *err, size_t err_size);

/* Close the file and free; clears the pointer.  NULL is a no-op. */
void vg_y4m_reader_close(vg_y4m_reader **r);

#endif /* VG_Y4M_READ_H */

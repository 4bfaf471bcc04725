/*
 * worker_io.h - whole-message socket I/O and the shared-memory image layout
 * (internal; compiled into libvg and into the vg-worker executable).
 */
#ifndef VG_WORKER_IO_H
#define VG_WORKER_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/worker_protocol.h"

/* Send `size` bytes, retrying short writes and EINTR; never raises SIGPIPE.
 * false when the peer is gone. */
bool vg_worker_send_all(int fd, const void *data, size_t size);

/* Receive exactly `size` bytes, blocking; false on end of file or error. */
bool vg_worker_recv_all(int fd, void *data, size_t size);

/* The packed layout of a `format` image of width x height starting at
 * offset 0 of the shared memory (rows without padding); returns its size in
 * bytes. */
uint64_t vg_worker_image_layout(uint32_t format, int32_t width, int32_t height,
                                vg_worker_image *out);

#endif /* VG_WORKER_IO_H */

/*
 * input_file.h - opening a file vg reads (config, job, picture, video).
 *
 * An input must be a regular file: a FIFO would block vg forever (or until
 * someone writes), a device such as /dev/zero never ends, and a directory
 * is a mistake.  The open itself cannot block either (O_NONBLOCK until the
 * type is known).
 *
 * Internal to libvg.  Thread-safety: no shared state.
 */
#ifndef VG_INPUT_FILE_H
#define VG_INPUT_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Open `path` for reading; *fd_out is a blocking descriptor of a regular
 * file, *size_out its size.  On failure writes a bare problem ("cannot
 * open: No such file or directory", "not a regular file (a FIFO)") and
 * returns VG_ERR_IO. */
int vg_input_open(const char *path, int *fd_out, uint64_t *size_out,
                  char *problem, size_t problem_size);

/* The whole of a regular file of at most `max_bytes`, NUL-terminated and
 * malloc'ed.  Returns 0, VG_ERR_IO, VG_ERR_LIMIT ("N bytes, more than the
 * M-byte limit") or VG_ERR_NO_MEMORY. */
int vg_input_read_all(const char *path, uint64_t max_bytes, char **text_out,
                      size_t *size_out, char *problem, size_t problem_size);

#endif /* VG_INPUT_FILE_H */

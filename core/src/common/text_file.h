/*
 * text_file.h - open a file vg reads (config, job, picture, video), and
 * read a whole text file (a config or a job) into memory with a size cap
 * (internal to libvg).
 *
 * An input must be a regular file: a FIFO would block vg forever (or until
 * someone writes), a device such as /dev/zero never ends, and a directory
 * is a mistake.  The open itself cannot block either (O_NONBLOCK until the
 * type is known).
 *
 * Thread-safety: no shared state.
 */
#ifndef VG_TEXT_FILE_H
#define VG_TEXT_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Open `path` for reading; *fd_out is a blocking descriptor of a regular
 * file, *size_out its size.  On failure writes a bare problem ("cannot
 * open: No such file or directory", "not a regular file (a FIFO): inputs
 * must be files") and returns VG_ERR_IO. */
int vg_input_open(const char *path, int *fd_out, uint64_t *size_out,
                  char *problem, size_t problem_size);

/* Read the regular file `path` whole into a NUL-terminated malloc'ed
 * buffer (*text_out; *size_out bytes without the NUL).  A file larger than
 * `max_size` is refused before it is read: "PATH: N bytes, more than the
 * M-byte limit: not a WHAT", where `what` names the file and the limit
 * that applies ("config file", "job file (limits.max_job_file_bytes)").
 * The caps: VG_CONFIG_MAX_FILE_BYTES for config files, the limits:
 * section's max_job_file_bytes for job files (vg/limits.h).  Errors name
 * the file (vg_diag_errorf).  Returns 0, VG_ERR_IO, VG_ERR_NO_MEMORY or
 * VG_ERR_CONFIG (too large). */
int vg_read_text_file(const char *path, size_t max_size, const char *what,
                      char **text_out, size_t *size_out, char *err,
                      size_t err_size);

#endif /* VG_TEXT_FILE_H */

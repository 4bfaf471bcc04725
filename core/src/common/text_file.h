/*
 * text_file.h - read a whole text file (a config or a job) into memory,
 * with a size cap (internal to libvg).  Thread-safety: no shared state.
 */
#ifndef VG_TEXT_FILE_H
#define VG_TEXT_FILE_H

#include <stddef.h>

/* The largest YAML file vg reads: far beyond any hand-written config or job,
 * small enough that a wrong path (a video, a disk image) is refused before
 * it is read whole. */
#define VG_TEXT_FILE_MAX ((size_t)16 << 20)

/* Read `path` whole into a NUL-terminated malloc'ed buffer (*text_out;
 * *size_out bytes without the NUL).  A file larger than `max_size` is
 * refused: "PATH: larger than N MiB: not a WHAT" (`what`: "config file",
 * "job file").  Errors name the file (vg_diag_errorf).  Returns 0,
 * VG_ERR_IO, VG_ERR_NO_MEMORY or VG_ERR_CONFIG (too large). */
int vg_read_text_file(const char *path, size_t max_size, const char *what,
                      char **text_out, size_t *size_out, char *err,
                      size_t err_size);

#endif /* VG_TEXT_FILE_H */

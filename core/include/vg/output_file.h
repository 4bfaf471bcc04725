/*
 * vg/output_file.h - write a file so that it appears complete or not at all.
 *
 * A regular file is written under a temporary name beside the target
 * (PATH.partial-XXXXXX) and renamed over PATH only when committed, so an
 * error or Ctrl-C never leaves a file under the final name that looks
 * complete.  A target that exists and is not a regular file (/dev/null, a
 * FIFO, a terminal) is written in place: renaming over it would replace the
 * device with a file.  "-" means standard output.
 *
 * Ownership: the struct owns its FILE and paths until commit or discard.
 * Thread-safety: one thread per file.
 */
#ifndef VG_OUTPUT_FILE_H
#define VG_OUTPUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vg/api.h"
#include "vg/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vg_output_file {
    FILE *file;       /* write here */
    const char *name; /* PATH, or "<stdout>": for messages */
    char *path;       /* the final path; NULL for stdout */
    char *temp;       /* the temporary path; NULL when written in place */
} vg_output_file;

/* Open `path` for writing.  Returns 0, or VG_ERR_IO / VG_ERR_NO_MEMORY with
 * err naming the path and the system's reason. */
VG_API int vg_output_file_open(const char *path, vg_output_file *out,
                               char *err, size_t err_size);

/* Flush, close and move the file into place.  Returns 0 or VG_ERR_IO (the
 * temporary file is removed).  The struct is released either way. */
VG_API int vg_output_file_commit(vg_output_file *f, char *err,
                                 size_t err_size);

/* Close and remove the temporary file; release the struct.  A released or
 * zeroed struct is a no-op. */
VG_API void vg_output_file_discard(vg_output_file *f);

#ifdef __cplusplus
}
#endif

#endif /* VG_OUTPUT_FILE_H */

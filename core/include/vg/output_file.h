/*
 * vg/output_file.h - write a file so that it appears complete or not at all.
 *
 * A regular file is written where no other process can see it and moved to
 * its name only when committed, so an error, Ctrl-C or even SIGKILL never
 * leaves a file under the final name that looks complete:
 *
 *  - on Linux, an unnamed O_TMPFILE file in the target's directory, linked
 *    in place with linkat() on commit (a killed run leaves nothing under any
 *    name: the kernel frees an unnamed file with its last descriptor);
 *  - where the filesystem refuses O_TMPFILE, a named temporary file beside
 *    the target, NAME.partial-PID-XXXXXX, renamed over it on commit.  A
 *    killed run leaves that file behind; the next open of the same target
 *    removes such files whose owner process no longer exists.
 *
 * A symbolic link is followed: its target is written and the link stays.
 * A replaced file keeps its permission bits and, where the system allows,
 * its owner and group.  A target that exists and is not a regular file
 * (/dev/null, a FIFO, a terminal) is written in place: renaming over it
 * would replace the device with a file.  "-" means standard output.
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
    FILE *file;       /* write here (opened for reading too, when seekable) */
    const char *name; /* PATH as given, or "<stdout>": for messages */
    char *given;      /* PATH as given; NULL for stdout */
    char *path;       /* the file written: PATH with symbolic links followed */
    char *temp;       /* the named temporary file; NULL when there is none */
    bool unnamed;     /* an O_TMPFILE file, linked in on commit */
    bool in_place;    /* a device, FIFO or stdout: written directly */
} vg_output_file;

/* Open `path` for writing.  Returns 0, or VG_ERR_IO / VG_ERR_NO_MEMORY with
 * err naming the path and the system's reason. */
VG_API int vg_output_file_open(const char *path, vg_output_file *out, char *err,
                               size_t err_size);

/* Flush, close and move the file into place.  Returns 0 or VG_ERR_IO (the
 * temporary file is removed).  The struct is released either way. */
VG_API int vg_output_file_commit(vg_output_file *f, char *err, size_t err_size);

/* Close and remove the temporary file; release the struct.  A released or
 * zeroed struct is a no-op. */
VG_API void vg_output_file_discard(vg_output_file *f);

/* The file `path` names once symbolic links are followed (the link's target
 * when `path` is a link, also a dangling one), malloc'ed; NULL when out of
 * memory or the links loop. */
VG_API char *vg_output_file_target(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* VG_OUTPUT_FILE_H */

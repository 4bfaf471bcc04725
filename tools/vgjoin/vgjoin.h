/*
 * vgjoin.h - the pieces of the vgjoin command (internal to it).
 *
 * vgjoin joins the pieces of a job rendered on many machines (vgrun --task
 * or --frames) into the video one machine would have written, and refuses
 * to when they are not exactly the job: a missing range, a range in two
 * pieces, a piece of another job.  Every check runs before the output is
 * opened, and the output appears under its name only when complete.
 *
 * Files: main.c (command line, exit codes), piece_file.c (open a piece,
 * read and check its header and size), plan.c (one job, every frame once,
 * in order), write_y4m.c (the joined stream).  A container format for
 * encoded pieces adds a reader beside piece_file.c filling the same
 * vgjoin_input and a writer beside write_y4m.c; plan.c is format-blind.
 */
#ifndef VGJOIN_H
#define VGJOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vg/piece.h"

enum vgjoin_exit {
    VGJOIN_EXIT_OK = 0,
    VGJOIN_EXIT_IO = 1,      /* a piece or the output cannot be read/written */
    VGJOIN_EXIT_USAGE = 2,   /* bad arguments */
    VGJOIN_EXIT_REFUSED = 3, /* the pieces are not exactly one whole job */
};

/* One piece given on the command line. */
typedef struct vgjoin_input {
    const char *path;
    FILE *file;        /* positioned after the header */
    vg_piece piece;    /* from the header's X-tags */
    char *header;      /* the stream header without the piece tags, with its
                        * newline: the header of the whole video */
    size_t frame_size; /* bytes per frame, "FRAME\n" included */
    bool foreign;      /* set by vgjoin_plan: not a piece of the job */
} vgjoin_input;

/* Open `path` and read its piece record.  Returns 0, VGJOIN_EXIT_IO or
 * VGJOIN_EXIT_REFUSED (not a vg piece, or a piece whose size does not match
 * its range) after printing "vgjoin: PATH: reason". */
int vgjoin_open_piece(const char *path, vgjoin_input *in);

void vgjoin_close_piece(vgjoin_input *in);

/* Check that `inputs` are pieces of one job (one fingerprint, one stream
 * header) covering each of its frames exactly once, and sort them by first
 * frame.  Prints every problem, naming the foreign, overlapping or missing
 * piece; the coverage of the job is checked on its own pieces even when
 * foreign ones are present, so one run names everything to fix.  Returns 0
 * or VGJOIN_EXIT_REFUSED. */
int vgjoin_plan(vgjoin_input *inputs, size_t count);

/* Write the whole Y4M video to `out` ("-" for stdout) from planned pieces.
 * Returns 0 or VGJOIN_EXIT_IO after printing why (no file is left under
 * the output name). */
int vgjoin_write_y4m(const char *out, vgjoin_input *inputs, size_t count);

#endif /* VGJOIN_H */

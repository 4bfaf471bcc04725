/*
 * vg/piece.h - pieces of a job rendered on many machines, and the job
 * fingerprint that ties them together.
 *
 * A render farm cuts a job into contiguous frame ranges, renders each on
 * some machine and joins the pieces.  Joining blindly turns a lost task into
 * a shorter video and a piece of another job into a wrong one, without a
 * word.  So every piece says what it is: the fingerprint of the job it
 * belongs to, its range [first, end) and the job's frame count.  A join
 * (tools/vgjoin) checks that the pieces share one fingerprint and cover
 * every frame exactly once before writing anything.
 *
 * In a Y4M piece the record is two X-tags at the end of the stream header
 * (players and encoders ignore X-tags they do not know):
 *
 *     XVGJOB=<16 hex digits> XVGFRAMES=<first>:<end>/<total>
 *
 * A whole video (no --frames or --task) carries neither, so a joined video
 * is byte-identical to one rendered on a single machine.  An encoded piece
 * carries the same two values as container metadata, vg_job and
 * vg_frames (tools/vgrun/output.c).
 *
 * Thread-safety: pure functions, except vg_job_fingerprint which reads the
 * job's video inputs (safe on a job shared between threads).
 */
#ifndef VG_PIECE_H
#define VG_PIECE_H

#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/job.h"

/* What one piece of a job holds. */
typedef struct vg_piece {
    uint64_t fingerprint; /* vg_job_fingerprint of the job */
    uint32_t first;       /* first frame of the piece */
    uint32_t end;         /* one past its last frame */
    uint32_t total;       /* the job's frame count */
} vg_piece;

/* The X-tag names, with their '='. */
#define VG_PIECE_TAG_JOB "XVGJOB="
#define VG_PIECE_TAG_FRAMES "XVGFRAMES="

/* Hex digits of a fingerprint, plus the terminating NUL. */
#define VG_FINGERPRINT_HEX_SIZE 17

/* The fingerprint of a job: a 64-bit FNV-1a hash of everything that decides
 * its bytes: the vg version (a release may change pixel math), the output
 * size, rate, colour matrix and range, every clip's source, timing, camera
 * keys, fit, background, blur and transition, the job's camera and blur,
 * the decoded pixels of every picture, and for every video input its
 * size, range, frame count and its first and last frames.  Two jobs with
 * the same fingerprint render the same bytes; a changed picture or a
 * changed key gives another fingerprint.  Computed from the parsed job, so
 * comments, key order and the file's path do not matter.  Returns 0, or
 * VG_ERR_IO / VG_ERR_NO_MEMORY with err set (a video input cannot be read). */
VG_API int vg_job_fingerprint(const vg_job *job, uint64_t *out, char *err,
                              size_t err_size);

/* `fingerprint` as 16 lower-case hex digits into buf. */
VG_API void vg_fingerprint_format(uint64_t fingerprint,
                                  char buf[VG_FINGERPRINT_HEX_SIZE]);

/* The range of task `index` of `count` over a job of `total` frames:
 * count near-equal contiguous ranges of total / count frames, the last
 * one also taking the remainder, so the ranges cover every frame once and
 * in order.  Returns 0, or VG_ERR_INVALID_ARGUMENT when count is 0, index
 * >= count, or count > total (a task would get no frame). */
VG_API int vg_piece_task_range(uint32_t total, uint32_t index, uint32_t count,
                               uint32_t *first, uint32_t *end);

/* " XVGJOB=... XVGFRAMES=A:B/N" (with the leading space) into buf; returns
 * the length written, as snprintf. */
VG_API size_t vg_piece_format_tags(const vg_piece *piece, char *buf,
                                   size_t size);

/* Find and parse the piece tags in a Y4M stream header line (`len` bytes,
 * without its newline).  Returns 0; VG_ERR_NOT_FOUND when the line has
 * neither tag (a whole video, or one not written by vg); VG_ERR_CONFIG with
 * err saying what is wrong when a tag is missing, repeated or malformed, or
 * the range is not within the total. */
VG_API int vg_piece_parse_y4m_header(const char *line, size_t len,
                                     vg_piece *out, char *err, size_t err_size);

#endif /* VG_PIECE_H */

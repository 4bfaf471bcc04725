/*
 * vg/verify.h - run-time verification: every Nth frame a non-cpu backend
 * renders is rendered again on the cpu backend and compared, byte for byte.
 *
 * The self-test proves a backend's kernels on test frames before it is
 * chosen; verification checks the real job's frames while it runs, so a
 * backend that goes wrong only on some sizes, parameters or after some
 * time (a driver bug, a failing device) is caught with the frame, plane,
 * row and byte that differ, before that frame is written.  vgrun fails
 * over on a mismatch exactly as on a kernel failure (docs/security.md).
 *
 * The verifier sits beside the render loop: the loop asks
 * vg_verifier_due for each frame and, when due, vg_verifier_check before
 * writing it.  The cpu backend is loaded, opened and self-tested on the
 * first check, so a run that never verifies pays nothing.
 *
 * Ownership: the verifier borrows the job and config (they must outlive it)
 * and owns its cpu backend.  Thread-safety: one thread.
 */
#ifndef VG_VERIFY_H
#define VG_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/backend.h"
#include "vg/config.h"
#include "vg/job.h"

typedef struct vg_verifier vg_verifier;

/* A verifier of every `every`-th frame (frames 0, every, 2 * every...);
 * every = 0 verifies nothing.  Returns 0 or VG_ERR_NO_MEMORY. */
VG_API int vg_verifier_create(const vg_job *job, const vg_config *cfg,
                              uint32_t every, vg_verifier **out);

/* Whether frame `index` rendered by `backend` is to be verified: a
 * multiple of `every`, rendered by a backend other than cpu. */
VG_API bool vg_verifier_due(const vg_verifier *v, const vg_backend *backend,
                            uint32_t index);

/* Render frame `index` on the cpu backend and compare it with `frame` (an
 * I420 image of the job's size).  Returns 0 when equal; VG_ERR_MISMATCH
 * with reason "frame 12 differs from the cpu backend: plane 0, row 3, byte
 * 17 (got 5, expected 6)"; or another error when the cpu backend itself
 * cannot be used (reason says why: the frame is then not verified). */
VG_API int vg_verifier_check(vg_verifier *v, uint32_t index,
                             const vg_image *frame, char *reason,
                             size_t reason_size);

/* Frames checked so far and found equal. */
VG_API uint32_t vg_verifier_count(const vg_verifier *v);

/* Close the cpu backend and free; clears the pointer.  NULL is a no-op. */
VG_API void vg_verifier_destroy(vg_verifier **v);

#endif /* VG_VERIFY_H */

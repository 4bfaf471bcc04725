/*
 * vg/interrupt.h - stop waiting on a backend when the user interrupts.
 *
 * A host's signal handler (SIGINT, SIGTERM, SIGHUP) calls
 * vg_interrupt_request.  From then on a call waiting on an isolated backend
 * returns VG_ERR_INTERRUPTED within moments, killing the backend's worker
 * process, and no new call starts: a hung plugin can never make the host
 * ignore Ctrl-C.
 *
 * Thread-safety: vg_interrupt_request is async-signal-safe.
 */
#ifndef VG_INTERRUPT_H
#define VG_INTERRUPT_H

#include <stdbool.h>

#include "vg/api.h"

VG_API void vg_interrupt_request(void);

/* true once vg_interrupt_request was called. */
VG_API bool vg_interrupt_pending(void);

#endif /* VG_INTERRUPT_H */

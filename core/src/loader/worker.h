/*
 * worker.h - a plugin running in its own process (internal).
 *
 * A vg_worker is one vg-worker process with one plugin loaded in it.  Every
 * call has a deadline; whatever the process does wrong (a signal, an exit,
 * a missed deadline, a broken reply, a byte on its stdout) kills it and
 * becomes a reason naming the plugin file and the call:
 *   "/x/vg_cuda.so: crashed in blur (SIGSEGV)".
 * After that every call fails at once with the same reason
 * (VG_ERR_CRASHED), so the host can clean up and fail over.
 *
 * Ownership: the vg_loaded_plugin that spawned a worker owns it.
 * Thread-safety: one thread at a time per worker.
 */
#ifndef VG_WORKER_H
#define VG_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/worker_protocol.h"
#include "vg/plugin.h"

typedef struct vg_worker vg_worker;

/* Start a worker and load `path` in it.  Deadlines are the defaults times
 * `timeout_scale`.  On failure *out stays NULL and reason says why:
 * VG_ERR_PLUGIN for a file that is not a valid plugin (the loader's own
 * reason), VG_ERR_CRASHED when the process died, VG_ERR_IO when it could
 * not be started. */
int vg_worker_spawn(const char *path, double timeout_scale, vg_worker **out,
                    char *reason, size_t reason_size);

/* Probe with these option values; the worker keeps them for every later
 * check and open.  The result is sanitised (terminated strings, count in
 * range).  A negative return with reason set: the probe's failure
 * ("probe failed: ...") or the worker's death. */
int vg_worker_probe(vg_worker *w, const vg_option_value *options,
                    uint32_t option_count, vg_probe_result *out, char *reason,
                    size_t reason_size);

int vg_worker_check(vg_worker *w, uint32_t device, const vg_job_limits *limits,
                    char *reason, size_t reason_size);

/* Open a context in the worker.  *slots_out is a descriptor whose context
 * and frame slots forward to the worker (worker_slots.c); *ctx_out is the
 * context to pass them.  `plugin` is the plugin's own descriptor (mapped in
 * the host): the forwarding descriptor has exactly the slots it has, the
 * optional ones included.  *slots_out lives as long as the worker. */
int vg_worker_open(vg_worker *w, const vg_plugin *plugin, uint32_t device,
                   const vg_job_limits *limits, const vg_plugin **slots_out,
                   vg_plugin_ctx **ctx_out, char *reason, size_t reason_size);

/* false once the process has died or was killed. */
bool vg_worker_alive(const vg_worker *w);

/* Why it died ("" while alive). */
const char *vg_worker_death(const vg_worker *w);

/* Kill the process, reap it, free everything, clear the pointer. */
void vg_worker_destroy(vg_worker **w);

/* One request and its reply under the op's deadline (the request's frame
 * pixels scale kernel deadlines).  Returns 0 when a reply came (its code
 * may still be an error), VG_ERR_CRASHED (or VG_ERR_INTERRUPTED) when the
 * worker is dead; reply->message then holds the reason. */
int vg_worker_call(vg_worker *w, vg_worker_request *req, const void *payload,
                   vg_worker_reply *reply, void *reply_payload,
                   uint32_t reply_payload_cap, uint64_t pixels);

/* The storage of the worker's forwarding descriptor (worker_slots.c fills
 * it at each open). */
vg_plugin *vg_worker_slots(vg_worker *w);

/* The shared memory, grown to at least `size` bytes; NULL when it cannot
 * be.  Valid until the next call. */
uint8_t *vg_worker_shm(vg_worker *w, uint64_t size);

#endif /* VG_WORKER_H */

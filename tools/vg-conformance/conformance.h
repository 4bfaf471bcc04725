/*
 * conformance.h - the backend conformance checks, shared by the installed
 * vg-conformance tool (main.c) and the project's Criterion suite
 * (tests/test_backend_conformance.c): one definition of what "conforms"
 * means.
 *
 * Each check runs one kernel (or the frame copies) through libvg's
 * validated wrappers on an open backend, at many sizes (odd, single rows and
 * columns, strips at the largest dimension), on seeded random and
 * worst-case inputs, over the kernel's VG_CASE_CONFORMANCE cases
 * (core/reference/cases/<kernel>.c), and compares every byte with the
 * reference kernels.  The first difference is described: kernel,
 * case, size, plane, row, byte (and pixel and channel), got and expected.
 *
 * Ownership: a vgc_session owns its config, selector and backend; create
 * with vgc_session_create, free with vgc_session_destroy.  Thread-safety:
 * none; one session per thread.
 */
#ifndef VG_CONFORMANCE_H
#define VG_CONFORMANCE_H

#include <stddef.h>

#include "vg/backend.h"

/* The checks, in the order vg-conformance runs them: the frame copies,
 * then one per KERNEL row of VG_PLUGIN_SLOTS (vg/plugin.h), named after
 * it and generated from it: VGC_CHECK_blend runs "blend". */
#define VGC_CHECK_ENUM_(x, name, ...) VGC_CHECK_##name,
typedef enum vgc_check {
    VGC_UPLOAD_DOWNLOAD,
    VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VGC_CHECK_ENUM_, ) VGC_CHECK_COUNT
} vgc_check;
#undef VGC_CHECK_ENUM_

/* "upload_download", "blend", ...; NULL for an unknown check. */
const char *vgc_check_name(vgc_check check);

/* The check called `name`, or VGC_CHECK_COUNT when there is none. */
vgc_check vgc_check_from_name(const char *name);

typedef struct vgc_session vgc_session;

/*
 * Open backend `name` alone through the full selection pipeline (load,
 * options, probe, capability check, open, self-test), the way vgrun would.
 * `plugin_dir`, when not NULL, is searched first (vg-conformance passes the
 * directory of the file it was given).  `options_yaml`, when not NULL, is
 * YAML flow-mapping text for backend_options.<name> (e.g.
 * "{device_types: [all]}").  On failure returns a negative VG_ERR_* with
 * the stage and reason in `reason`.
 */
int vgc_session_create(const char *name, const char *plugin_dir,
                       const char *options_yaml, vgc_session **out,
                       char *reason, size_t reason_size);
void vgc_session_destroy(vgc_session **session);
vg_backend *vgc_session_backend(vgc_session *session);

/* Run one check.  0 when every byte equals the reference; VG_ERR_MISMATCH
 * when one differs, or the backend's error code when a call failed, with
 * the first failure described in `msg`. */
int vgc_run(vgc_session *session, vgc_check check, char *msg, size_t msg_size);

#endif /* VG_CONFORMANCE_H */

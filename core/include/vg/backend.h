/*
 * vg/backend.h - an open device context on one backend, behind checks.
 *
 * Nothing calls a plugin slot directly except the wrappers here: they
 * validate arguments (formats, sizes, limits, parameter ranges, frames
 * belonging to this backend), turn a missing optional slot into a clean
 * error, and add the backend's name to every failure message.  Plugins stay
 * small because of it: the core checks, the plugin trusts.
 *
 * Ownership: a vg_backend borrows its vg_loaded_plugin (which must outlive
 * it); frames belong to the backend that allocated them and must be freed
 * before it is closed (vg_backend_close frees any left over).
 * Thread-safety: one thread at a time per vg_backend.
 */
#ifndef VG_BACKEND_H
#define VG_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/loader.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vg_backend vg_backend;
typedef struct vg_backend_frame vg_backend_frame;

/* Open device `device` of a loaded (and configured) plugin.  On failure
 * *out stays NULL and reason says why. */
VG_API int vg_backend_open(vg_loaded_plugin *plugin, uint32_t device,
                           const vg_job_limits *limits, vg_backend **out,
                           char *reason, size_t reason_size);

/* Free left-over frames, close the context, clear the pointer.  NULL is a
 * no-op. */
VG_API void vg_backend_close(vg_backend **backend);

VG_API const char *vg_backend_name(const vg_backend *backend);
VG_API vg_backend_kind vg_backend_kind_of(const vg_backend *backend);
VG_API uint32_t vg_backend_device(const vg_backend *backend);
VG_API const vg_loaded_plugin *vg_backend_plugin(const vg_backend *backend);

/* The message of the last failed call: "cuda: kernel warp failed: ..." */
VG_API const char *vg_backend_last_error(const vg_backend *backend);

/* Check width/height against 1..VG_MAX_DIMENSION; on failure write a
 * message naming the limit. Returns 0 or VG_ERR_LIMIT. */
VG_API int vg_check_frame_size(int32_t width, int32_t height, char *msg,
                               size_t msg_size);

VG_API int vg_backend_frame_alloc(vg_backend *backend, vg_pixel_format format,
                                  int32_t width, int32_t height,
                                  vg_backend_frame **out);
/* NULL is a no-op; clears the pointer. */
VG_API void vg_backend_frame_free(vg_backend *backend,
                                  vg_backend_frame **frame);
VG_API vg_frame_desc vg_backend_frame_desc(const vg_backend_frame *frame);

VG_API int vg_backend_upload(vg_backend *backend, vg_backend_frame *dst,
                             const vg_image *src);
VG_API int vg_backend_download(vg_backend *backend, const vg_backend_frame *src,
                               const vg_image *dst);

/* Asynchronous download: start copying `src` into `dst` and return; the
 * bytes are in `dst` when vg_backend_download_wait(src) returns 0.  Until
 * then `src` cannot be written (kernels and uploads naming it as their
 * destination fail) and `dst` must stay allocated and untouched.  Every
 * start takes exactly one wait; freeing the frame or closing the backend
 * waits for a pending copy.  Backends without the ABI v3 slots copy at
 * start and have nothing to do at wait, so callers need no second path. */
VG_API int vg_backend_download_start(vg_backend *backend, vg_backend_frame *src,
                                     const vg_image *dst);
VG_API int vg_backend_download_wait(vg_backend *backend, vg_backend_frame *src);
/* True when the plugin overlaps downloads with later kernels. */
VG_API bool vg_backend_has_async_download(const vg_backend *backend);
/* True when the plugin provides the slot called `slot` ("blend",
 * "probe_with_reason"): every slot of the ABI version it claims that is
 * required, and the optional ones it filled in.  A kernel appended in a
 * later version than the plugin's is not provided; calling it fails with
 * VG_ERR_UNSUPPORTED. */
VG_API bool vg_backend_provides(const vg_backend *backend, const char *slot);

/* The kernels: vg_backend_<kernel> for every KERNEL row of
 * VG_PLUGIN_SLOTS (vg/plugin.h), with frames in place of plugin frames:
 *     int vg_backend_fill_pattern(vg_backend *backend, vg_backend_frame *dst,
 *                                 const vg_pattern_params *params);
 *     int vg_backend_blend(vg_backend *backend, vg_backend_frame *dst,
 *                          const vg_backend_frame *a,
 *                          const vg_backend_frame *b,
 *                          const vg_blend_params *params);
 * Frames must belong to `backend`, have the row's formats (and, for
 * SAME_SIZE kernels, the destination's size), no source may be the
 * destination, and the destination may not have a download in flight;
 * parameters must be valid (docs/kernels.md).  A slot the plugin does not
 * provide returns VG_ERR_UNSUPPORTED. */
#define VG_BACKEND_KERNEL_PARAMS_SRC0(params_type)                             \
    (vg_backend * backend, vg_backend_frame * dst, const params_type *params)
#define VG_BACKEND_KERNEL_PARAMS_SRC1(params_type)                             \
    (vg_backend * backend, vg_backend_frame * dst,                             \
     const vg_backend_frame *src, const params_type *params)
#define VG_BACKEND_KERNEL_PARAMS_SRC2(params_type)                             \
    (vg_backend * backend, vg_backend_frame * dst, const vg_backend_frame *a,  \
     const vg_backend_frame *b, const params_type *params)
#define VG_BACKEND_DECLARE_KERNEL_(x, name, presence, since, ptype, shape,     \
                                   dst_format, src_format, size_rule)          \
    VG_API int vg_backend_##name VG_BACKEND_KERNEL_PARAMS_##shape(ptype);
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VG_BACKEND_DECLARE_KERNEL_, )
#undef VG_BACKEND_DECLARE_KERNEL_

VG_API int vg_backend_sync(vg_backend *backend);

/* After a failed self-test: ask the plugin to delete the cached code the
 * backend was built from (its optional discard_cached_code slot).  Returns
 * 1 when it did (a new open builds from source), 0 when there was none or
 * the plugin has no such slot. */
VG_API int vg_backend_discard_cached_code(vg_backend *backend);

#ifdef __cplusplus
}
#endif

#endif /* VG_BACKEND_H */

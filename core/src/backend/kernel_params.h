/*
 * kernel_params.h - the core's check of each kernel's parameters
 * (internal to libvg).
 *
 * One function per KERNEL row of VG_PLUGIN_SLOTS (vg/plugin.h), declared
 * here from the table and defined beside the kernel's cases, in
 * core/reference/cases/<kernel>.c (vg_kernel_cases.h):
 *
 *     int vg_check_<kernel>_params(const <params_type> *params,
 *                                  const vg_frame_desc *dst,
 *                                  char *msg, size_t msg_size);
 *
 * 0 when the parameters are valid for a destination frame `dst`; otherwise
 * VG_ERR_INVALID_ARGUMENT or VG_ERR_LIMIT with a one-line message.  The
 * generated wrappers in backend.c call it after checking the frames, so a
 * plugin never sees parameters outside what docs/kernels.md defines.  A
 * kernel row without its function fails to link.
 */
#ifndef VG_KERNEL_PARAMS_H
#define VG_KERNEL_PARAMS_H

#include <stddef.h>

#include "vg/plugin.h"

#define VG_DECLARE_PARAM_CHECK_(x, name, presence, since, ptype, shape,        \
                                dst_format, src_format, size_rule)             \
    int vg_check_##name##_params(const ptype *params,                          \
                                 const vg_frame_desc *dst, char *msg,          \
                                 size_t msg_size);
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VG_DECLARE_PARAM_CHECK_, )
#undef VG_DECLARE_PARAM_CHECK_

#endif /* VG_KERNEL_PARAMS_H */

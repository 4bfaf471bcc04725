/*
 * selftest.h - run every kernel once on a backend and compare its bytes with
 * the reference (internal; used by selection).
 */
#ifndef VG_SELFTEST_H
#define VG_SELFTEST_H

#include <stddef.h>

#include "vg/api.h"
#include "vg/backend.h"

/* How many kernel calls one self-test makes: the sum of its case tables,
 * one per kernel row of VG_PLUGIN_SLOTS.  Exported for the tests that make
 * the Nth kernel call of the faulty plugin fail (they count past it). */
VG_API int vg_selftest_kernel_calls(void);
#define VG_SELFTEST_KERNEL_CALLS (vg_selftest_kernel_calls())

/* 0 when every kernel produced the reference bytes; otherwise
 * VG_ERR_MISMATCH (reason names the kernel and the first differing byte) or
 * the kernel's own error. */
int vg_selftest_run(vg_backend *backend, char *reason, size_t reason_size);

#endif /* VG_SELFTEST_H */

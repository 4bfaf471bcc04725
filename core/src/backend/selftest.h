/*
 * selftest.h - run every kernel once on a backend and compare its bytes with
 * the reference (internal; used by selection).
 */
#ifndef VG_SELFTEST_H
#define VG_SELFTEST_H

#include <stddef.h>

#include "vg/backend.h"

/* How many kernel calls one self-test makes (pattern 2, warp 2, blend 3,
 * blur 1, conversions 2): tests that make the Nth call fail count past it. */
#define VG_SELFTEST_KERNEL_CALLS 10

/* 0 when every kernel produced the reference bytes; otherwise
 * VG_ERR_MISMATCH (reason names the kernel and the first differing byte) or
 * the kernel's own error. */
int vg_selftest_run(vg_backend *backend, char *reason, size_t reason_size);

#endif /* VG_SELFTEST_H */

/*
 * selftest.h - run every kernel once on a backend and compare its bytes with
 * the reference (internal; used by selection).
 */
#ifndef VG_SELFTEST_H
#define VG_SELFTEST_H

#include <stddef.h>

#include "vg/backend.h"

/* How many kernel calls one self-test makes: at each of its 3 sizes,
 * pattern 2, warp 6 (3 maps, 2 edge rules), blend 3, blur 4 (size
 * classes), conversions 8 (2 matrices x 2 ranges, both ways).  Tests that
 * make the Nth call fail count past it. */
#define VG_SELFTEST_SIZES 3
#define VG_SELFTEST_KERNEL_CALLS (VG_SELFTEST_SIZES * (2 + 6 + 3 + 4 + 8))

/* 0 when every kernel produced the reference bytes; otherwise
 * VG_ERR_MISMATCH (reason names the kernel and the first differing byte) or
 * the kernel's own error. */
int vg_selftest_run(vg_backend *backend, char *reason, size_t reason_size);

#endif /* VG_SELFTEST_H */

/*
 * vg/debug.h - test hooks of libvg.  Not for production use.
 *
 * Allocation-failure injection: every allocation libvg itself makes
 * (malloc, calloc, realloc, aligned_alloc, strdup, strndup, asprintf) is
 * counted once armed, and the n-th returns NULL, as when memory runs out.
 * A test arms n = 1, 2, ... in turn around one call (vg_config_load,
 * vg_job_load, vg_search_path_create...) until the call makes fewer than n
 * allocations, and checks that each failure is a clear error and, under
 * AddressSanitizer, leaks nothing (tests/test_alloc_failure.c).
 *
 * Thread-safety: the counter is atomic; arming is meant for single-threaded
 * tests.
 */
#ifndef VG_DEBUG_H
#define VG_DEBUG_H

#include <stdint.h>

#include "vg/api.h"

/* Make the n-th allocation from now fail (only that one); 0 disarms. */
VG_API void vg_debug_fail_allocation(uint64_t n);

/* Allocations made since the last vg_debug_fail_allocation. */
VG_API uint64_t vg_debug_allocation_count(void);

#endif /* VG_DEBUG_H */

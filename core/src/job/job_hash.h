/*
 * job_hash.h - the hash a job's fingerprint is built with (internal to
 * libvg; job_fingerprint.c, and each source kind's part of it).
 *
 * FNV-1a over values in a fixed little-endian encoding, so the same model
 * hashes alike on every machine.  Every put appends to the running hash:
 * what a kind hashes, and in which order, is part of the fingerprint's
 * format (FINGERPRINT_FORMAT in job_fingerprint.c).
 */
#ifndef VG_JOB_HASH_H
#define VG_JOB_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "vg/image.h"

typedef struct vg_hasher {
    uint64_t h;
} vg_hasher;

void vg_hash_bytes(vg_hasher *s, const void *data, size_t size);
void vg_hash_u64(vg_hasher *s, uint64_t v);
void vg_hash_u32(vg_hasher *s, uint32_t v);
void vg_hash_i32(vg_hasher *s, int32_t v);
/* -0.0 and 0.0 hash alike: they render alike. */
void vg_hash_double(vg_hasher *s, double v);
void vg_hash_string(vg_hasher *s, const char *text);
/* Format, size and the visible pixels of every plane, row by row (strides
 * and padding are not part of the picture). */
void vg_hash_image(vg_hasher *s, const vg_image *img);

#endif /* VG_JOB_HASH_H */

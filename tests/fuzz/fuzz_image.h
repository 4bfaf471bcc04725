/*
 * fuzz_image.h - limits the picture fuzzers decode under: small enough
 * that one input costs milliseconds, so the fuzzer explores instead of
 * waiting on one huge picture.
 */
#ifndef VG_FUZZ_IMAGE_H
#define VG_FUZZ_IMAGE_H

#include "vg/limits.h"

static inline vg_limits fuzz_limits(void)
{
    vg_limits l = vg_limits_default();
    l.max_picture_pixels = 1u << 20;
    l.png_max_chunk_bytes = 1u << 20;
    l.jpeg_max_scans = 32;
    return l;
}

#endif /* VG_FUZZ_IMAGE_H */

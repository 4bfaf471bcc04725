/*
 * fuzz_image.h - what the picture fuzzers share: the limits they decode
 * under, small enough that one input costs milliseconds, so the fuzzer
 * explores instead of waiting on one huge picture; and the harness that
 * decodes any bytes from memory (fmemopen) with one decoder.
 */
#ifndef VG_FUZZ_IMAGE_H
#define VG_FUZZ_IMAGE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vg/image.h"
#include "vg/limits.h"

static inline vg_limits fuzz_limits(void)
{
    vg_limits l = vg_limits_default();
    l.max_picture_pixels = 1u << 20;
    l.png_max_chunk_bytes = 1u << 20;
    l.jpeg_max_scans = 32;
    return l;
}

/* A decoder as io/image_codec.h declares them (vg_png_decode, ...). */
typedef int (*fuzz_image_decoder)(FILE *file, const vg_limits *limits,
                                  vg_image *out, char *problem,
                                  size_t problem_size);

/* Decode `data` with `decode` under fuzz_limits(); a picture it accepts
 * must be RGBA8 and not empty, or the input is a crash.  Returns 0, as
 * LLVMFuzzerTestOneInput does.  The includer defines _GNU_SOURCE first
 * (fmemopen). */
static inline int fuzz_decode_image(const uint8_t *data, size_t size,
                                    fuzz_image_decoder decode)
{
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    vg_limits limits = fuzz_limits();
    vg_image image = {0};
    char problem[512];
    if (decode(f, &limits, &image, problem, sizeof problem) == 0) {
        if (image.format != VG_FORMAT_RGBA8 || image.width < 1)
            abort();
        vg_image_free(&image);
    }
    fclose(f);
    return 0;
}

#endif /* VG_FUZZ_IMAGE_H */

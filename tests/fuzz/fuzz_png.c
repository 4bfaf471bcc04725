/*
 * fuzz_png.c - libFuzzer target: any bytes as a PNG picture, decoded from
 * memory (fmemopen) by the same decoder vg_image_read uses.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_image.h"
#include "io/image_codec.h"
#include "vg/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    vg_limits limits = fuzz_limits();
    vg_image image = {0};
    char problem[512];
    if (vg_png_decode(f, &limits, &image, problem, sizeof problem) == 0) {
        if (image.format != VG_FORMAT_RGBA8 || image.width < 1)
            abort();
        vg_image_free(&image);
    }
    fclose(f);
    return 0;
}

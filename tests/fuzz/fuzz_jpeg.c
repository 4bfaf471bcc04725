/*
 * fuzz_jpeg.c - libFuzzer target: any bytes as a JPEG picture, decoded from
 * memory (fmemopen) by the same decoder vg_image_read uses.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "fuzz_image.h"
#include "io/image_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode_image(data, size, vg_jpeg_decode);
}

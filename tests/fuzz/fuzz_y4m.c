/*
 * fuzz_y4m.c - libFuzzer target: any bytes as a Y4M video input: the
 * header checks on open, then every frame read and converted.
 *
 * The reader works on a file descriptor (pread), so each input is written
 * to one temporary file first.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "io/y4m_read.h"
#include "vg/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void make_path(void)
{
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/vg-fuzz-y4m-%ld.y4m", (long)getpid());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    make_path();
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    char err[1024];
    vg_y4m_reader *r = NULL;
    if (vg_y4m_reader_open(path, 1u << 20, &r, err, sizeof err) == 0) {
        vg_image frame = {0};
        if (vg_image_alloc(VG_FORMAT_I420, vg_y4m_reader_width(r),
                           vg_y4m_reader_height(r), &frame) == 0) {
            uint32_t count = vg_y4m_reader_frame_count(r);
            for (uint32_t i = 0; i < count && i < 4; i++)
                if (vg_y4m_reader_read(r, i, &frame, err, sizeof err) != 0)
                    break;
            vg_image_free(&frame);
        }
        vg_y4m_reader_close(&r);
    }
    return 0;
}

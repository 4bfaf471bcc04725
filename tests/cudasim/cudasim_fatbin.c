/*
 * cudasim_fatbin.c - read which images a fatbinary holds, and choose one
 * for a device the way the driver does.
 *
 * The layout, as nvcc 12 and 13 write it (fatbinary_section.h declares the
 * wrapper; the rest is what cuobjdump reads):
 *   wrapper  {int magic 0x466243b1; int version; const u64 *data; ...}
 *   header   {u32 magic 0xba55ed50; u16 version; u16 header_size;
 *             u64 entries_size}
 *   entries  {u16 kind (1 PTX, 2 ELF/SASS); u16; u32 header_size;
 *             u64 payload_size; ... u32 arch at byte 28 (75 = sm_75)},
 *             each followed by its payload.
 * Only the kind and the architecture matter here.
 */
#include "cudasim.h"

#include <string.h>

#define WRAPPER_MAGIC 0x466243b1
#define FATBIN_MAGIC 0xba55ed50u
#define KIND_PTX 1
#define KIND_ELF 2

typedef struct wrapper {
    int magic;
    int version;
    const unsigned long long *data;
    void *filename_or_fatbins;
} wrapper;

static uint32_t read_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t read_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

int cudasim_fatbin_images(const void *fat, cudasim_image *out, int max)
{
    const wrapper *w = fat;
    if (!w || w->magic != WRAPPER_MAGIC || !w->data)
        return -1;
    const unsigned char *base = (const unsigned char *)w->data;
    if (read_u32(base) != FATBIN_MAGIC)
        return -1;
    uint32_t header_size = read_u32(base + 4) >> 16;
    uint64_t size = read_u64(base + 8);
    const unsigned char *p = base + header_size, *end = p + size;
    int count = 0;
    while (p + 32 <= end) {
        uint32_t kind = read_u32(p) & 0xffff;
        uint32_t entry_header = read_u32(p + 4);
        uint64_t payload = read_u64(p + 8);
        uint32_t arch = read_u32(p + 28);
        if (entry_header < 32 || (kind != KIND_PTX && kind != KIND_ELF))
            return -1;
        if (count == max)
            return -1;
        out[count].ptx = kind == KIND_PTX;
        out[count].cc = (int)arch;
        count++;
        p += entry_header + payload;
    }
    return count;
}

const cudasim_image *cudasim_choose_image(const cudasim_image *images,
                                          int count, int cc)
{
    const cudasim_image *sass = NULL, *ptx = NULL;
    for (int i = 0; i < count; i++) {
        const cudasim_image *im = &images[i];
        if (!im->ptx && im->cc / 10 == cc / 10 && im->cc <= cc &&
            (!sass || im->cc > sass->cc))
            sass = im;
        if (im->ptx && im->cc <= cc && (!ptx || im->cc > ptx->cc))
            ptx = im;
    }
    return sass ? sass : ptx;
}

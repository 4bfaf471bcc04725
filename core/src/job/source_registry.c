/*
 * source_registry.c - the table of clip source kinds, built from
 * VG_SOURCE_KINDS (source.h), and the lookups the job layer makes in it.
 */
#include <stdio.h>

#include "job/source.h"

#define VG_SOURCE_ROW(name, is_generated)                                      \
    {.key = #name,                                                             \
     .own_keys = vg_source_##name##_keys,                                      \
     .generated = is_generated,                                                \
     .parse = vg_source_##name##_parse,                                        \
     .open = vg_source_##name##_open,                                          \
     .size = vg_source_##name##_size,                                          \
     .memory = vg_source_##name##_memory,                                      \
     .fingerprint = vg_source_##name##_fingerprint,                            \
     .upload = vg_source_##name##_upload,                                      \
     .frame = vg_source_##name##_frame,                                        \
     .release = vg_source_##name##_release,                                    \
     .destroy = vg_source_##name##_destroy},

static const vg_source_ops kinds[] = {VG_SOURCE_KINDS(VG_SOURCE_ROW)};

#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

size_t vg_source_kind_count(void)
{
    return KIND_COUNT;
}

const vg_source_ops *vg_source_kind_at(size_t index)
{
    return index < KIND_COUNT ? &kinds[index] : NULL;
}

uint32_t vg_source_kind_number(const vg_source_ops *kind)
{
    return (uint32_t)(kind - kinds) + 1u;
}

void vg_source_kind_names(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < KIND_COUNT && used < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == KIND_COUNT ? " or " : ", ";
        int n = snprintf(out + used, size - used, "%s%s", sep, kinds[i].key);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}

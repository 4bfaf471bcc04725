/*
 * config_limits.c - the limits: section of a config file (vg/limits.h).
 *
 * One table holds every key with its field, its width and its range, so a
 * new limit is one line here, one field in vg_limits, one default in
 * limits.c and one line in config.yaml and docs/config.md.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_limits.h"
#include "vg/plugin.h"

typedef struct limit_key {
    const char *name;
    size_t offset;
    bool is_u32; /* else uint64_t */
    uint64_t min, max;
} limit_key;

#define U64(name, min, max)                                                    \
    {                                                                          \
#name, offsetof(vg_limits, name), false, min, max                      \
    }
#define U32(name, min, max)                                                    \
    {                                                                          \
#name, offsetof(vg_limits, name), true, min, max                       \
    }

static const limit_key limit_keys[] = {
    U64(max_picture_pixels, 1, (uint64_t)VG_MAX_DIMENSION *VG_MAX_DIMENSION),
    U64(png_max_chunk_bytes, 4096, 1ull << 31),
    U32(png_max_ancillary_chunks, 1, 1000000),
    U32(jpeg_max_scans, 1, 100000),
    U64(max_job_file_bytes, 64, 1ull << 31),
    U32(yaml_max_depth, 4, 256),
    U64(yaml_max_nodes, 16, 100000000),
    U64(memory_budget_bytes, 1ull << 20, 1ull << 50),
};

static bool parse_u64(const char *text, uint64_t *out)
{
    if (!isdigit((unsigned char)text[0]))
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

typedef struct limits_loader {
    const vg_yaml_doc *doc;
    vg_limits *limits;
} limits_loader;

static int load_key(void *ctx, const void *row, const vg_yaml_node *value,
                    const char *path)
{
    const limits_loader *ld = ctx;
    const limit_key *key = row;
    uint64_t v;
    if (value->kind != VG_YAML_SCALAR || !parse_u64(value->text, &v) ||
        v < key->min || v > key->max) {
        char what[64];
        snprintf(what, sizeof what, "an integer from %llu to %llu",
                 (unsigned long long)key->min, (unsigned long long)key->max);
        return vg_yaml_expected(ld->doc, value, path, what);
    }
    char *field = (char *)ld->limits + key->offset;
    if (key->is_u32)
        *(uint32_t *)(void *)field = (uint32_t)v;
    else
        *(uint64_t *)(void *)field = v;
    return 0;
}

int vg_config_load_limits(const vg_yaml_doc *doc, const vg_yaml_node *node,
                          const char *path, vg_limits *limits)
{
    if (node->kind == VG_YAML_SCALAR && node->is_null)
        return 0; /* every key commented out */
    limits_loader ld = {doc, limits};
    return vg_yaml_walk_keys(doc, node, path, limit_keys,
                             sizeof limit_keys / sizeof limit_keys[0],
                             sizeof limit_keys[0], load_key, &ld);
}

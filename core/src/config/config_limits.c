/*
 * config_limits.c - the limits: section of a config file (vg/limits.h).
 *
 * One table holds every key with its field, its width and its range, so a
 * new limit is one line here, one field in vg_limits, one default in
 * limits.c and one line in config.yaml and docs/config.md.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
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

static int load_key(const limit_key *key, const vg_yaml_node *value,
                    const char *file, const char *path, vg_limits *limits,
                    char *err, size_t err_size)
{
    uint64_t v;
    if (value->kind != VG_YAML_SCALAR || !parse_u64(value->text, &v) ||
        v < key->min || v > key->max) {
        char got[80];
        vg_yaml_describe(value, got, sizeof got);
        vg_diag_errorf(err, err_size, file, value->line, value->column, path,
                       "expected an integer from %llu to %llu, got %s",
                       (unsigned long long)key->min,
                       (unsigned long long)key->max, got);
        return VG_ERR_CONFIG;
    }
    char *field = (char *)limits + key->offset;
    if (key->is_u32)
        *(uint32_t *)(void *)field = (uint32_t)v;
    else
        *(uint64_t *)(void *)field = v;
    return 0;
}

int vg_config_load_limits(const vg_yaml_node *node, const char *file,
                          const char *path, vg_limits *limits, char *err,
                          size_t err_size)
{
    if (node->kind == VG_YAML_SCALAR && node->is_null)
        return 0; /* every key commented out */
    if (node->kind != VG_YAML_MAPPING) {
        char got[80];
        vg_yaml_describe(node, got, sizeof got);
        vg_diag_errorf(err, err_size, file, node->line, node->column, path,
                       "expected a mapping, got %s", got);
        return VG_ERR_CONFIG;
    }
    size_t count = sizeof limit_keys / sizeof limit_keys[0];
    for (size_t i = 0; i < node->child_count; i += 2) {
        const vg_yaml_node *name = node->children[i];
        char child[VG_KEY_PATH_MAX];
        vg_key_path_join(child, sizeof child, path, name->text);
        const limit_key *key = NULL;
        for (size_t k = 0; k < count && !key; k++)
            if (strcmp(limit_keys[k].name, name->text) == 0)
                key = &limit_keys[k];
        if (!key) {
            char expected[VG_TEXT_MAX] = "";
            size_t used = 0;
            for (size_t k = 0; k < count && used < sizeof expected; k++)
                used +=
                    (size_t)snprintf(expected + used, sizeof expected - used,
                                     "%s%s", k ? ", " : "", limit_keys[k].name);
            vg_diag_errorf(err, err_size, file, name->line, name->column, child,
                           "unknown key '%s' (expected one of: %s)", name->text,
                           expected);
            return VG_ERR_CONFIG;
        }
        int rc = load_key(key, node->children[i + 1], file, child, limits, err,
                          err_size);
        if (rc != 0)
            return rc;
    }
    return 0;
}

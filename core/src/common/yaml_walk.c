/*
 * yaml_walk.c - messages at YAML nodes, the key-table walker shared by the
 * config and job loaders, and the config's typed values (vg/config_key.h).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "common/yaml_walk.h"
#include "vg/error.h"
#include "vg/plugin.h"

/* Room for "got ..." texts (vg_yaml_describe cuts long values). */
#define DESCRIBE_MAX 80

int vg_yaml_fail(const vg_yaml_doc *doc, const vg_yaml_node *node,
                 const char *path, const char *fmt, ...)
{
    char problem[VG_TEXT_MAX * 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    vg_diag_errorf(doc->err, doc->err_size, doc->file, node ? node->line : 0,
                   node ? node->column : 0, path, "%s", problem);
    return VG_ERR_CONFIG;
}

int vg_yaml_expected(const vg_yaml_doc *doc, const vg_yaml_node *node,
                     const char *path, const char *what)
{
    char got[DESCRIBE_MAX];
    vg_yaml_describe(node, got, sizeof got);
    return vg_yaml_fail(doc, node, path, "expected %s, got %s", what, got);
}

int vg_yaml_expected_text(char *problem, size_t size, const char *what,
                          const char *got)
{
    if (got == NULL)
        snprintf(problem, size, "expected %s, got a sequence", what);
    else
        snprintf(problem, size, "expected %s, got '%s'", what, got);
    return VG_ERR_CONFIG;
}

int vg_yaml_no_memory(const vg_yaml_doc *doc)
{
    vg_diag_errorf(doc->err, doc->err_size, doc->file, 0, 0, NULL,
                   "out of memory");
    return VG_ERR_NO_MEMORY;
}

static const char *row_name(const void *table, size_t stride, size_t i)
{
    const char *const *name =
        (const char *const *)(const void *)((const char *)table + i * stride);
    return *name;
}

int vg_yaml_walk_keys(const vg_yaml_doc *doc, const vg_yaml_node *node,
                      const char *path, const void *table, size_t count,
                      size_t stride, vg_yaml_key_fn fn, void *ctx)
{
    if (node->kind != VG_YAML_MAPPING)
        return vg_yaml_expected(doc, node, path, "a mapping");
    for (size_t i = 0; i < node->child_count; i += 2) {
        const vg_yaml_node *key = node->children[i];
        char key_path[VG_KEY_PATH_MAX];
        vg_key_path_join(key_path, sizeof key_path, path, key->text);
        size_t row = 0;
        while (row < count && strcmp(row_name(table, stride, row), key->text))
            row++;
        if (row == count) {
            char expected[VG_TEXT_MAX] = "";
            size_t used = 0;
            for (size_t k = 0; k < count; k++)
                used = vg_append(expected, sizeof expected, used, "%s%s",
                                 k ? ", " : "", row_name(table, stride, k));
            return vg_yaml_fail(doc, key, key_path,
                                "unknown key '%s' (expected one of: %s)",
                                key->text, expected);
        }
        if (!fn)
            continue;
        int rc = fn(ctx, (const char *)table + row * stride,
                    node->children[i + 1], key_path);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int vg_yaml_check_keys(const vg_yaml_doc *doc, const vg_yaml_node *node,
                       const char *path, const char *const *names)
{
    size_t count = 0;
    while (names[count])
        count++;
    return vg_yaml_walk_keys(doc, node, path, names, count, sizeof *names, NULL,
                             NULL);
}

void vg_yaml_key_what(const vg_config_key *key, char *out, size_t size)
{
    if (key->what != NULL) {
        snprintf(out, size, "%s", key->what);
        return;
    }
    switch (key->type) {
    case VG_CONFIG_BOOL:
        snprintf(out, size, "true or false");
        break;
    case VG_CONFIG_SWITCH:
        snprintf(out, size, "%s or %s", key->words[0], key->words[1]);
        break;
    case VG_CONFIG_NUMBER:
        snprintf(out, size, "a number from %g to %g", key->low, key->high);
        break;
    case VG_CONFIG_NAME:
        snprintf(out, size, "a name");
        break;
    default:
        snprintf(out, size, "an integer from %lld to %lld", key->min, key->max);
        break;
    }
}

/* Decimal digits only (no sign, no blank); with `suffixes`, one k, M or G
 * after them multiplies by 1000s (bit rates are written 8M). */
static bool parse_count(const char *text, bool suffixes,
                        unsigned long long *out)
{
    if (!isdigit((unsigned char)text[0]))
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    unsigned long long scale = 1;
    if (suffixes && *end != '\0' && end[1] == '\0') {
        scale = *end == 'k'   ? 1000
                : *end == 'M' ? 1000000
                : *end == 'G' ? 1000000000
                              : 0;
        if (scale != 0)
            end++;
    }
    if (errno != 0 || *end != '\0' || scale == 0 || v > ULLONG_MAX / scale)
        return false;
    *out = v * scale;
    return true;
}

/* The integer types: parsed, in the row's range, stored at its width. */
static bool load_integer(const vg_config_key *key, const char *text,
                         void *field)
{
    unsigned long long v;
    if (!parse_count(text, key->type == VG_CONFIG_RATE, &v) ||
        (key->min > 0 && v < (unsigned long long)key->min) || key->max < 0 ||
        v > (unsigned long long)key->max)
        return false;
    if (key->type == VG_CONFIG_INT)
        *(int *)field = (int)v;
    else if (key->type == VG_CONFIG_U32)
        *(uint32_t *)field = (uint32_t)v;
    else if (key->type == VG_CONFIG_U64)
        *(uint64_t *)field = v;
    else
        *(long long *)field = (long long)v;
    return true;
}

/* strtod alone, as the key always took it; the range rules out inf and
 * nan. */
static bool load_number(const vg_config_key *key, const char *text,
                        double *field)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 ||
        !(v >= key->low && v <= key->high))
        return false;
    *field = v;
    return true;
}

int vg_yaml_load_key(const vg_yaml_doc *doc, const vg_config_key *key,
                     const vg_yaml_node *value, const char *path, void *base)
{
    void *field = (char *)base + key->offset;
    const char *text =
        value->kind == VG_YAML_SCALAR && !value->is_null ? value->text : NULL;
    bool ok = false;
    if (text != NULL) {
        switch (key->type) {
        case VG_CONFIG_BOOL:
            ok = vg_yaml_parse_bool(text, field);
            break;
        case VG_CONFIG_SWITCH:
            ok = strcmp(text, key->words[0]) == 0 ||
                 strcmp(text, key->words[1]) == 0;
            if (ok)
                *(bool *)field = strcmp(text, key->words[0]) == 0;
            break;
        case VG_CONFIG_NUMBER:
            ok = load_number(key, text, field);
            break;
        case VG_CONFIG_NAME: {
            if (text[0] == '\0')
                break;
            char *copy = vg_strdup(text);
            if (copy == NULL)
                return vg_yaml_no_memory(doc);
            free(*(char **)field);
            *(char **)field = copy;
            ok = true;
            break;
        }
        default:
            ok = load_integer(key, text, field);
            break;
        }
    }
    if (ok)
        return 0;
    char what[VG_TEXT_MAX];
    vg_yaml_key_what(key, what, sizeof what);
    return vg_yaml_expected(doc, value, path, what);
}

const vg_yaml_node *vg_yaml_get(const vg_yaml_node *node, const char *key)
{
    if (!node || node->kind != VG_YAML_MAPPING)
        return NULL;
    for (size_t i = 0; i < node->child_count; i += 2)
        if (strcmp(node->children[i]->text, key) == 0)
            return node->children[i + 1];
    return NULL;
}

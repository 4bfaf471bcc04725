/*
 * yaml_walk.c - messages at YAML nodes and the key-table walker shared by
 * the config and job loaders.
 */
#include <stdarg.h>
#include <stdio.h>
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

const vg_yaml_node *vg_yaml_get(const vg_yaml_node *node, const char *key)
{
    if (!node || node->kind != VG_YAML_MAPPING)
        return NULL;
    for (size_t i = 0; i < node->child_count; i += 2)
        if (strcmp(node->children[i]->text, key) == 0)
            return node->children[i + 1];
    return NULL;
}

/*
 * yaml_walk.h - walking a YAML tree with messages at its nodes: the one set
 * of helpers the config and job loaders share (internal to libvg).
 *
 * Every message reads "FILE:LINE:COLUMN: KEY.PATH: problem" (diag.h).
 * Thread-safety: no shared state.
 */
#ifndef VG_YAML_WALK_H
#define VG_YAML_WALK_H

#include <stddef.h>

#include "common/diag.h"
#include "common/yaml.h"
#include "vg/config_key.h"

/* The file being walked and where its messages go. */
typedef struct vg_yaml_doc {
    const char *file; /* name in messages */
    char *err;
    size_t err_size;
} vg_yaml_doc;

/* "FILE:LINE:COLUMN: PATH: problem" at node (no position when node is
 * NULL); returns VG_ERR_CONFIG. */
int vg_yaml_fail(const vg_yaml_doc *doc, const vg_yaml_node *node,
                 const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "expected WHAT, got ..." at node; returns VG_ERR_CONFIG. */
int vg_yaml_expected(const vg_yaml_doc *doc, const vg_yaml_node *node,
                     const char *path, const char *what);

/* "expected WHAT, got 'GOT'" (got NULL: "got a sequence") into `problem`,
 * for a value that has no node (a plugin option kept as text, a plugin's
 * declared default); returns VG_ERR_CONFIG. */
int vg_yaml_expected_text(char *problem, size_t size, const char *what,
                          const char *got);

/* "FILE: out of memory"; returns VG_ERR_NO_MEMORY. */
int vg_yaml_no_memory(const vg_yaml_doc *doc);

/* Called for each key of a mapping with the table row that names it. */
typedef int (*vg_yaml_key_fn)(void *ctx, const void *row,
                              const vg_yaml_node *value, const char *path);

/*
 * The one key-table walker.  `node` must be a mapping whose every key names
 * a row of `table` (`count` rows, `stride` bytes apart, each starting with
 * its `const char *` name); an unknown key is an error at the key that
 * lists the known ones.  With `fn`, each value is handed to it with its
 * row and key path (PATH.KEY), in file order, stopping at the first
 * failure.  Returns 0, VG_ERR_CONFIG or fn's code.
 */
int vg_yaml_walk_keys(const vg_yaml_doc *doc, const vg_yaml_node *node,
                      const char *path, const void *table, size_t count,
                      size_t stride, vg_yaml_key_fn fn, void *ctx);

/* vg_yaml_walk_keys over a NULL-terminated list of names, checking only. */
int vg_yaml_check_keys(const vg_yaml_doc *doc, const vg_yaml_node *node,
                       const char *path, const char *const *names);

/* What a typed key accepts, for "expected WHAT" ("true or false", "an
 * integer from 0 to 63", the row's own text...). */
void vg_yaml_key_what(const vg_config_key *key, char *out, size_t size);

/* Check `value` against the typed row `key` (vg/config_key.h) and store it
 * in the member at base + key->offset (a NAME's old text is freed).  Returns
 * 0, VG_ERR_CONFIG ("expected WHAT, got ..." at value) or
 * VG_ERR_NO_MEMORY. */
int vg_yaml_load_key(const vg_yaml_doc *doc, const vg_config_key *key,
                     const vg_yaml_node *value, const char *path, void *base);

/* The value of `key` in mapping `node`; NULL when absent or not a mapping. */
const vg_yaml_node *vg_yaml_get(const vg_yaml_node *node, const char *key);

#endif /* VG_YAML_WALK_H */

/*
 * yaml.h - YAML text to a small tree of nodes with 1-based positions.
 *
 * libyaml's event parser does the parsing; this layer applies vg's rules for
 * every YAML file it reads (config.yaml, and job files later), so that
 * loaders only walk a plain tree:
 *   - one document at most; an empty stream (or only comments) is no tree;
 *   - anchors, aliases and explicit tags are rejected: a config file is read
 *     by people, and a value that is defined somewhere else (or retyped) is
 *     exactly what makes "which setting is in force" hard to see;
 *   - mapping keys are scalars and unique within their mapping;
 *   - nesting is limited, so a hostile file cannot exhaust the stack.
 * Errors read "NAME:LINE:COLUMN: KEY.PATH: problem".
 *
 * Internal to libvg.  Thread-safety: no shared state.
 */
#ifndef VG_YAML_H
#define VG_YAML_H

#include <stdbool.h>
#include <stddef.h>

typedef enum vg_yaml_kind {
    VG_YAML_SCALAR = 1,
    VG_YAML_SEQUENCE = 2,
    VG_YAML_MAPPING = 3,
} vg_yaml_kind;

typedef struct vg_yaml_node vg_yaml_node;
struct vg_yaml_node {
    vg_yaml_kind kind;
    int line;   /* 1-based position where the node starts */
    int column; /* 1-based */
    char *text; /* SCALAR: its value, NUL-terminated */
    /* SCALAR: written plain (unquoted) as nothing, ~ or null.  Quoted ""
     * is an empty string, not null. */
    bool is_null;
    /* SEQUENCE: the items.  MAPPING: keys (scalars) at even indices, each
     * followed by its value. */
    vg_yaml_node **children;
    size_t child_count;
};

/* Parse `size` bytes of `text`.  *root is NULL when the stream holds no
 * document or a null one.  `name` (a path) prefixes error messages.
 * Returns 0, VG_ERR_CONFIG or VG_ERR_NO_MEMORY. */
int vg_yaml_parse(const char *text, size_t size, const char *name,
                  vg_yaml_node **root, char *err, size_t err_size);

/* Free a tree and clear the pointer.  NULL is a no-op. */
void vg_yaml_node_destroy(vg_yaml_node **node);

/* "a sequence", "a mapping", or the scalar quoted: for "got ..." texts. */
void vg_yaml_describe(const vg_yaml_node *node, char *buf, size_t size);

/* Names a user may write for booleans, case-insensitive: true/false and the
 * YAML 1.1 yes/no.  on/off are left out: "device: off" reads as a name.
 * Returns false when `text` is none of them. */
bool vg_yaml_parse_bool(const char *text, bool *out);

#endif /* VG_YAML_H */

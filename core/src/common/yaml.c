/*
 * yaml.c - YAML text to a vg_yaml_node tree, with vg's rules (see
 * yaml.h), on libyaml's event parser.
 *
 * The event parser rather than libyaml's document API: the document API
 * resolves aliases silently and forgets anchors, so it cannot say where an
 * alias was written; events carry every anchor, alias and tag with its mark.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "common/diag.h"
#include "common/yaml.h"
#include "vg/error.h"
#include "vg/limits.h"

/* Whatever a caller asks for, the recursion below stays this shallow so it
 * cannot exhaust the stack. */
#define VG_YAML_HARD_MAX_DEPTH 256

/* A value quoted in a message is cut to this many characters. */
#define VG_YAML_DESCRIBE_MAX 60

/* The keys seen so far in every mapping of the document, in one open-
 * addressing hash table keyed by (mapping, key text), so the duplicate-key
 * check costs the same per key however large a mapping grows (a linear
 * search per key made 80,000 keys take a minute). */
typedef struct key_slot {
    const vg_yaml_node *mapping; /* NULL: the slot is free */
    const vg_yaml_node *key;
} key_slot;

typedef struct key_table {
    key_slot *slots;
    size_t capacity; /* a power of two, or 0 */
    size_t used;
} key_table;

typedef struct builder {
    yaml_parser_t parser;
    const char *text;
    size_t size;
    const char *name;
    char *err;
    size_t err_size;
    vg_yaml_limits limits;
    uint64_t nodes; /* built so far */
    key_table keys;
} builder;

/* libyaml marks are 0-based; messages are 1-based like compilers'. */
static int one_based(size_t zero_based)
{
    return zero_based >= (size_t)INT_MAX ? INT_MAX : (int)zero_based + 1;
}

/* 1-based line and column of byte `offset`, counting columns in characters
 * as libyaml's marks do (UTF-8 continuation bytes do not start one). */
static void offset_to_mark(const builder *b, size_t offset, int *line,
                           int *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset && i < b->size; i++) {
        unsigned char c = (unsigned char)b->text[i];
        if (c == '\n') {
            (*line)++;
            *column = 1;
        } else if ((c & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}

static int syntax_error(builder *b)
{
    const yaml_parser_t *p = &b->parser;
    const char *problem = p->problem != NULL ? p->problem : "invalid YAML";
    int line;
    int column;

    switch (p->error) {
    case YAML_MEMORY_ERROR:
        vg_diag_errorf(b->err, b->err_size, b->name, 0, 0, NULL,
                       "out of memory");
        return VG_ERR_NO_MEMORY;
    case YAML_READER_ERROR:
        /* The reader reports a byte offset, not a mark. */
        offset_to_mark(b, p->problem_offset, &line, &column);
        vg_diag_errorf(b->err, b->err_size, b->name, line, column, NULL, "%s",
                       problem);
        return VG_ERR_CONFIG;
    default:
        break;
    }
    line = one_based(p->problem_mark.line);
    column = one_based(p->problem_mark.column);
    if (p->context != NULL)
        vg_diag_errorf(b->err, b->err_size, b->name, line, column, NULL,
                       "%s (%s that starts at %d:%d)", problem, p->context,
                       one_based(p->context_mark.line),
                       one_based(p->context_mark.column));
    else
        vg_diag_errorf(b->err, b->err_size, b->name, line, column, NULL, "%s",
                       problem);
    return VG_ERR_CONFIG;
}

static int next_event(builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev))
        return syntax_error(b);
    return 0;
}

static int no_memory(builder *b)
{
    vg_diag_errorf(b->err, b->err_size, b->name, 0, 0, NULL, "out of memory");
    return VG_ERR_NO_MEMORY;
}

/* Anchors, aliases and tags: rejected, see yaml.h. */
static int check_plain_event(builder *b, const yaml_event_t *ev,
                             const char *path)
{
    const yaml_char_t *anchor = NULL;
    const yaml_char_t *tag = NULL;

    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        vg_diag_errorf(b->err, b->err_size, b->name,
                       one_based(ev->start_mark.line),
                       one_based(ev->start_mark.column), path,
                       "YAML aliases (*%s) are not supported; write the "
                       "value out",
                       (const char *)ev->data.alias.anchor);
        return VG_ERR_CONFIG;
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
        break;
    default:
        /* libyaml only hands out node events where a node is expected. */
        vg_diag_errorf(
            b->err, b->err_size, b->name, one_based(ev->start_mark.line),
            one_based(ev->start_mark.column), path, "unexpected YAML event");
        return VG_ERR_CONFIG;
    }
    if (anchor != NULL) {
        vg_diag_errorf(
            b->err, b->err_size, b->name, one_based(ev->start_mark.line),
            one_based(ev->start_mark.column), path,
            "YAML anchors (&%s) are not supported", (const char *)anchor);
        return VG_ERR_CONFIG;
    }
    if (tag != NULL) {
        vg_diag_errorf(b->err, b->err_size, b->name,
                       one_based(ev->start_mark.line),
                       one_based(ev->start_mark.column), path,
                       "YAML tags (%s) are not supported", (const char *)tag);
        return VG_ERR_CONFIG;
    }
    return 0;
}

/* Capacity doubles, so a mapping or sequence of n children costs O(n)
 * copying, not O(n^2) (growing by one is quadratic wherever realloc
 * cannot extend in place). */
static int append_child(vg_yaml_node *parent, vg_yaml_node *child)
{
    if (parent->child_count == parent->child_capacity) {
        size_t capacity =
            parent->child_capacity ? 2 * parent->child_capacity : 4;
        vg_yaml_node **grown =
            realloc(parent->children, capacity * sizeof(*parent->children));
        if (grown == NULL)
            return VG_ERR_NO_MEMORY;
        parent->children = grown;
        parent->child_capacity = capacity;
    }
    parent->children[parent->child_count++] = child;
    return 0;
}

static int set_scalar(builder *b, vg_yaml_node *node, const yaml_event_t *ev,
                      const char *path)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t length = ev->data.scalar.length;

    /* A "\0" escape would silently cut every C string made from it. */
    if (memchr(value, '\0', length) != NULL) {
        vg_diag_errorf(b->err, b->err_size, b->name, node->line, node->column,
                       path, "NUL characters are not allowed");
        return VG_ERR_CONFIG;
    }
    node->kind = VG_YAML_SCALAR;
    node->text = malloc(length + 1);
    if (node->text == NULL)
        return no_memory(b);
    memcpy(node->text, value, length);
    node->text[length] = '\0';
    node->is_null =
        ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        (length == 0 || strcmp(node->text, "~") == 0 ||
         strcmp(node->text, "null") == 0 || strcmp(node->text, "Null") == 0 ||
         strcmp(node->text, "NULL") == 0);
    return 0;
}

static int build_node(builder *b, yaml_event_t *ev, const char *path, int depth,
                      vg_yaml_node **out);

/* Read the next event of a collection into *ev: 1 (the event consumed)
 * when it is `end`, the collection's end; 0 when it starts a child; or an
 * error. */
static int next_child_event(builder *b, yaml_event_t *ev, yaml_event_type_t end)
{
    int rc = next_event(b, ev);
    if (rc < 0)
        return rc;
    if (ev->type == end) {
        yaml_event_delete(ev);
        return 1;
    }
    return 0;
}

/* Build the node that starts with *ev and append it to `parent`. */
static int build_child(builder *b, vg_yaml_node *parent, yaml_event_t *ev,
                       const char *path, int depth)
{
    vg_yaml_node *child;
    int rc = build_node(b, ev, path, depth, &child);
    if (rc < 0)
        return rc;
    if (append_child(parent, child) < 0) {
        vg_yaml_node_destroy(&child);
        return no_memory(b);
    }
    return 0;
}

static int build_sequence(builder *b, vg_yaml_node *node, const char *path,
                          int depth)
{
    for (;;) {
        yaml_event_t ev;
        int rc = next_child_event(b, &ev, YAML_SEQUENCE_END_EVENT);
        if (rc != 0)
            return rc < 0 ? rc : 0;
        rc = build_child(b, node, &ev, path, depth + 1);
        if (rc < 0)
            return rc;
    }
}

static size_t key_hash(const vg_yaml_node *mapping, const char *key)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)key; *c; c++)
        h = (h ^ *c) * 1099511628211ull;
    h ^= (uint64_t)(uintptr_t)mapping * 0x9e3779b97f4a7c15ull;
    return (size_t)(h ^ (h >> 29));
}

static key_slot *key_lookup(key_slot *slots, size_t capacity,
                            const vg_yaml_node *mapping, const char *key)
{
    size_t mask = capacity - 1;
    for (size_t i = key_hash(mapping, key) & mask;; i = (i + 1) & mask) {
        key_slot *slot = &slots[i];
        if (!slot->mapping ||
            (slot->mapping == mapping && strcmp(slot->key->text, key) == 0))
            return slot;
    }
}

static int key_table_grow(key_table *t)
{
    size_t capacity = t->capacity ? t->capacity * 2 : 64;
    key_slot *slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return VG_ERR_NO_MEMORY;
    for (size_t i = 0; i < t->capacity; i++)
        if (t->slots[i].mapping)
            *key_lookup(slots, capacity, t->slots[i].mapping,
                        t->slots[i].key->text) = t->slots[i];
    free(t->slots);
    t->slots = slots;
    t->capacity = capacity;
    return 0;
}

/* Record `key` in `mapping`; *first is the earlier key of that name, if
 * any (then nothing is recorded). */
static int key_table_add(key_table *t, const vg_yaml_node *mapping,
                         const vg_yaml_node *key, const vg_yaml_node **first)
{
    *first = NULL;
    if ((t->used + 1) * 2 > t->capacity && key_table_grow(t) != 0)
        return VG_ERR_NO_MEMORY;
    key_slot *slot = key_lookup(t->slots, t->capacity, mapping, key->text);
    if (slot->mapping) {
        *first = slot->key;
        return 0;
    }
    *slot = (key_slot){mapping, key};
    t->used++;
    return 0;
}

static int build_mapping(builder *b, vg_yaml_node *node, const char *path,
                         int depth)
{
    for (;;) {
        yaml_event_t ev;
        int rc = next_child_event(b, &ev, YAML_MAPPING_END_EVENT);
        if (rc != 0)
            return rc < 0 ? rc : 0;

        vg_yaml_node *key;
        rc = build_node(b, &ev, path, depth + 1, &key);
        if (rc < 0)
            return rc;
        if (key->kind != VG_YAML_SCALAR) {
            vg_diag_errorf(b->err, b->err_size, b->name, key->line, key->column,
                           path, "mapping keys must be scalars");
            vg_yaml_node_destroy(&key);
            return VG_ERR_CONFIG;
        }
        char child_path[VG_KEY_PATH_MAX];
        vg_key_path_join(child_path, sizeof(child_path), path, key->text);
        const vg_yaml_node *first = NULL;
        if (key_table_add(&b->keys, node, key, &first) != 0) {
            vg_yaml_node_destroy(&key);
            return no_memory(b);
        }
        if (first != NULL) {
            vg_diag_errorf(b->err, b->err_size, b->name, key->line, key->column,
                           child_path, "duplicate key '%s' (first at %d:%d)",
                           key->text, first->line, first->column);
            vg_yaml_node_destroy(&key);
            return VG_ERR_CONFIG;
        }
        if (append_child(node, key) < 0) {
            vg_yaml_node_destroy(&key);
            return no_memory(b);
        }

        rc = next_event(b, &ev);
        if (rc < 0)
            return rc;
        rc = build_child(b, node, &ev, child_path, depth + 1);
        if (rc < 0)
            return rc;
    }
}

/* Build the node that starts with *ev; the event is consumed either way. */
static int build_node(builder *b, yaml_event_t *ev, const char *path, int depth,
                      vg_yaml_node **out)
{
    *out = NULL;
    int rc = check_plain_event(b, ev, path);
    if (rc < 0) {
        yaml_event_delete(ev);
        return rc;
    }
    if ((uint32_t)depth > b->limits.max_depth) {
        vg_diag_errorf(
            b->err, b->err_size, b->name, one_based(ev->start_mark.line),
            one_based(ev->start_mark.column), path,
            "nested deeper than %u levels%s", b->limits.max_depth,
            b->limits.configurable ? " (limits.yaml_max_depth)" : "");
        yaml_event_delete(ev);
        return VG_ERR_CONFIG;
    }
    if (++b->nodes > b->limits.max_nodes) {
        vg_diag_errorf(
            b->err, b->err_size, b->name, one_based(ev->start_mark.line),
            one_based(ev->start_mark.column), path,
            "more than %llu YAML nodes%s",
            (unsigned long long)b->limits.max_nodes,
            b->limits.configurable ? " (limits.yaml_max_nodes)" : "");
        yaml_event_delete(ev);
        return VG_ERR_CONFIG;
    }

    vg_yaml_node *node = calloc(1, sizeof(*node));
    if (node == NULL) {
        yaml_event_delete(ev);
        return no_memory(b);
    }
    node->line = one_based(ev->start_mark.line);
    node->column = one_based(ev->start_mark.column);

    yaml_event_type_t type = ev->type;
    if (type == YAML_SCALAR_EVENT)
        rc = set_scalar(b, node, ev, path);
    yaml_event_delete(ev);
    if (type == YAML_SEQUENCE_START_EVENT) {
        node->kind = VG_YAML_SEQUENCE;
        rc = build_sequence(b, node, path, depth);
    } else if (type == YAML_MAPPING_START_EVENT) {
        node->kind = VG_YAML_MAPPING;
        rc = build_mapping(b, node, path, depth);
    }
    if (rc < 0) {
        vg_yaml_node_destroy(&node);
        return rc;
    }
    *out = node;
    return 0;
}

/* After the root node: the document's end, then the stream's. */
static int expect_end(builder *b)
{
    yaml_event_t ev;
    int rc = next_event(b, &ev); /* DOCUMENT-END: libyaml checks it */
    if (rc < 0)
        return rc;
    yaml_event_delete(&ev);
    rc = next_event(b, &ev);
    if (rc < 0)
        return rc;
    if (ev.type != YAML_STREAM_END_EVENT) {
        vg_diag_errorf(b->err, b->err_size, b->name,
                       one_based(ev.start_mark.line),
                       one_based(ev.start_mark.column), NULL,
                       "only one YAML document is allowed");
        rc = VG_ERR_CONFIG;
    }
    yaml_event_delete(&ev);
    return rc;
}

static int parse_stream(builder *b, vg_yaml_node **root)
{
    yaml_event_t ev;
    int rc = next_event(b, &ev); /* STREAM-START */
    if (rc < 0)
        return rc;
    yaml_event_delete(&ev);

    rc = next_event(b, &ev);
    if (rc < 0)
        return rc;
    if (ev.type == YAML_STREAM_END_EVENT) { /* empty, or only comments */
        yaml_event_delete(&ev);
        return 0;
    }
    yaml_event_delete(&ev); /* DOCUMENT-START */

    rc = next_event(b, &ev);
    if (rc < 0)
        return rc;
    rc = build_node(b, &ev, "", 0, root);
    if (rc < 0)
        return rc;
    rc = expect_end(b);
    if (rc < 0) {
        vg_yaml_node_destroy(root);
        return rc;
    }
    if ((*root)->kind == VG_YAML_SCALAR && (*root)->is_null)
        vg_yaml_node_destroy(root);
    return 0;
}

int vg_yaml_parse(const char *text, size_t size, const char *name,
                  vg_yaml_node **root, char *err, size_t err_size)
{
    vg_yaml_limits limits = {.max_depth = VG_CONFIG_YAML_MAX_DEPTH,
                             .max_nodes = VG_CONFIG_YAML_MAX_NODES};
    return vg_yaml_parse_limited(text, size, name, &limits, root, err,
                                 err_size);
}

int vg_yaml_parse_limited(const char *text, size_t size, const char *name,
                          const vg_yaml_limits *limits, vg_yaml_node **root,
                          char *err, size_t err_size)
{
    *root = NULL;
    builder b = {.text = text,
                 .size = size,
                 .name = name,
                 .err = err,
                 .err_size = err_size,
                 .limits = *limits};
    if (b.limits.max_depth > VG_YAML_HARD_MAX_DEPTH)
        b.limits.max_depth = VG_YAML_HARD_MAX_DEPTH;
    if (!yaml_parser_initialize(&b.parser))
        return no_memory(&b);
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, size);
    int rc = parse_stream(&b, root);
    yaml_parser_delete(&b.parser);
    free(b.keys.slots);
    return rc;
}

void vg_yaml_node_destroy(vg_yaml_node **node)
{
    if (*node == NULL)
        return;
    for (size_t i = 0; i < (*node)->child_count; i++)
        vg_yaml_node_destroy(&(*node)->children[i]);
    free((*node)->children);
    free((*node)->text);
    free(*node);
    *node = NULL;
}

void vg_yaml_describe(const vg_yaml_node *node, char *buf, size_t size)
{
    if (node->kind == VG_YAML_SEQUENCE)
        snprintf(buf, size, "a sequence");
    else if (node->kind == VG_YAML_MAPPING)
        snprintf(buf, size, "a mapping");
    else if (node->is_null && node->text[0] == '\0')
        snprintf(buf, size, "nothing");
    else if (strlen(node->text) > VG_YAML_DESCRIBE_MAX)
        snprintf(buf, size, "'%.*s...'", VG_YAML_DESCRIBE_MAX - 3, node->text);
    else
        snprintf(buf, size, "'%s'", node->text);
}

/* ASCII-only, unlike strcasecmp, whose answer depends on the locale (a
 * Turkish locale does not fold 'I' to 'i'). */
static bool equals_ignoring_case(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char ca = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char cb = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (ca != cb)
            return false;
    }
    return *a == *b;
}

bool vg_yaml_parse_bool(const char *text, bool *out)
{
    if (equals_ignoring_case(text, "true") ||
        equals_ignoring_case(text, "yes")) {
        *out = true;
        return true;
    }
    if (equals_ignoring_case(text, "false") ||
        equals_ignoring_case(text, "no")) {
        *out = false;
        return true;
    }
    return false;
}

/*
 * yaml.c - YAML text to a vg_yaml_node tree, with vg's rules (see
 * yaml.h), on libyaml's event parser.
 *
 * The event parser rather than libyaml's document API: the document API
 * resolves aliases silently and forgets anchors, so it cannot say where an
 * alias was written; events carry every anchor, alias and tag with its mark.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "common/diag.h"
#include "vg/error.h"
#include "common/yaml.h"

/* Deeper than any vg file needs (config.yaml nests three levels), shallow
 * enough that the recursion below cannot exhaust the stack. */
#define VG_YAML_MAX_DEPTH 32

/* A value quoted in a message is cut to this many characters. */
#define VG_YAML_DESCRIBE_MAX 60

typedef struct builder {
    yaml_parser_t parser;
    const char *text;
    size_t size;
    const char *name;
    char *err;
    size_t err_size;
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

static int append_child(vg_yaml_node *parent, vg_yaml_node *child)
{
    vg_yaml_node **grown =
        realloc(parent->children,
                (parent->child_count + 1) * sizeof(*parent->children));
    if (grown == NULL)
        return VG_ERR_NO_MEMORY;
    parent->children = grown;
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

static int build_sequence(builder *b, vg_yaml_node *node, const char *path,
                          int depth)
{
    for (;;) {
        yaml_event_t ev;
        int rc = next_event(b, &ev);
        if (rc < 0)
            return rc;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        vg_yaml_node *item;
        rc = build_node(b, &ev, path, depth + 1, &item);
        if (rc < 0)
            return rc;
        if (append_child(node, item) < 0) {
            vg_yaml_node_destroy(&item);
            return no_memory(b);
        }
    }
}

static const vg_yaml_node *find_key(const vg_yaml_node *mapping,
                                    const char *key)
{
    for (size_t i = 0; i < mapping->child_count; i += 2) {
        if (strcmp(mapping->children[i]->text, key) == 0)
            return mapping->children[i];
    }
    return NULL;
}

static int build_mapping(builder *b, vg_yaml_node *node, const char *path,
                         int depth)
{
    for (;;) {
        yaml_event_t ev;
        int rc = next_event(b, &ev);
        if (rc < 0)
            return rc;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }

        vg_yaml_node *key;
        rc = build_node(b, &ev, path, depth + 1, &key);
        if (rc < 0)
            return rc;
        if (key->kind != VG_YAML_SCALAR) {
            vg_diag_errorf(b->err, b->err_size, b->name, key->line,
                             key->column, path, "mapping keys must be scalars");
            vg_yaml_node_destroy(&key);
            return VG_ERR_CONFIG;
        }
        char child_path[VG_KEY_PATH_MAX];
        vg_key_path_join(child_path, sizeof(child_path), path, key->text);
        const vg_yaml_node *first = find_key(node, key->text);
        if (first != NULL) {
            vg_diag_errorf(b->err, b->err_size, b->name, key->line,
                             key->column, child_path,
                             "duplicate key '%s' (first at %d:%d)", key->text,
                             first->line, first->column);
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
        vg_yaml_node *value;
        rc = build_node(b, &ev, child_path, depth + 1, &value);
        if (rc < 0)
            return rc;
        if (append_child(node, value) < 0) {
            vg_yaml_node_destroy(&value);
            return no_memory(b);
        }
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
    if (depth > VG_YAML_MAX_DEPTH) {
        vg_diag_errorf(b->err, b->err_size, b->name,
                         one_based(ev->start_mark.line),
                         one_based(ev->start_mark.column), path,
                         "nested deeper than %d levels", VG_YAML_MAX_DEPTH);
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
    *root = NULL;
    builder b = {.text = text,
                 .size = size,
                 .name = name,
                 .err = err,
                 .err_size = err_size};
    if (!yaml_parser_initialize(&b.parser))
        return no_memory(&b);
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, size);
    int rc = parse_stream(&b, root);
    yaml_parser_delete(&b.parser);
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

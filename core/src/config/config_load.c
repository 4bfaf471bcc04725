/*
 * config_load.c - read a config file over the built-in defaults.
 *
 * common/yaml.c turns the text into a tree (syntax, duplicate keys, anchors
 * and tags are its business); this file walks the tree with one table of
 * keys per mapping (common/yaml_walk.c).  Plain keys are typed rows
 * generated from their section's list in vg/config.h and vg/limits.h, read
 * by vg_yaml_load_key; the others have handlers here.  A new top-level
 * section is one entry in top_level_keys and its handler.  Each value is
 * checked completely, so a message names the exact node:
 * "FILE:LINE:COLUMN: KEY.PATH: problem".
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text_file.h"
#include "common/yaml.h"
#include "common/yaml_walk.h"
#include "config/config_internal.h"
#include "config/config_output.h"
#include "job/job_parse.h"

typedef struct loader {
    vg_config *cfg;
    vg_yaml_doc doc; /* file: the name in messages and marks, cfg->source */
    /* The config file's directory, for relative plugin_dirs; NULL when
     * they stay as written (a file in the working directory, a string). */
    const char *base_dir;
} loader;

typedef int (*key_load_fn)(loader *ld, const vg_yaml_node *value,
                           const char *path);

/* One key of a mapping: a typed row (its name first, for
 * vg_yaml_walk_keys), and a handler for the keys that are not one plain
 * value (NULL for typed rows). */
typedef struct key_entry {
    vg_config_key key;
    key_load_fn load;
} key_entry;

/* A typed row of a list in vg/config.h whose member is in vg_config, or in
 * its output or limits struct. */
#define TYPED_(key, field, type, default_value, constraint)                    \
    {VG_CONFIG_KEY_INIT(vg_config, , key, field, type, default_value,          \
                        constraint),                                           \
     NULL},
#define OUTPUT_TYPED_(key, field, type, default_value, constraint)             \
    {VG_CONFIG_KEY_INIT(vg_config, output., key, field, type, default_value,   \
                        constraint),                                           \
     NULL},
#define LIMITS_TYPED_(key, field, type, default_value, constraint)             \
    {VG_CONFIG_KEY_INIT(vg_config, limits., key, field, type, default_value,   \
                        constraint),                                           \
     NULL},

#define COUNT_(table) (sizeof(table) / sizeof((table)[0]))

static int fail_at(loader *ld, const vg_yaml_node *node, const char *path,
                   const char *problem)
{
    return vg_yaml_fail(&ld->doc, node, path, "%s", problem);
}

static int fail_expected(loader *ld, const vg_yaml_node *node, const char *path,
                         const char *what)
{
    return vg_yaml_expected(&ld->doc, node, path, what);
}

static int no_memory(loader *ld)
{
    return vg_yaml_no_memory(&ld->doc);
}

static int load_key(void *ctx, const void *row, const vg_yaml_node *value,
                    const char *path)
{
    loader *ld = ctx;
    const key_entry *entry = row;
    if (entry->load != NULL)
        return entry->load(ld, value, path);
    return vg_yaml_load_key(&ld->doc, &entry->key, value, path, ld->cfg);
}

/* A mapping whose keys are all in `keys`.  A null value (a section whose
 * keys are all commented out) is an empty mapping. */
static int load_mapping(loader *ld, const vg_yaml_node *node, const char *path,
                        const key_entry *keys, size_t count)
{
    if (node->kind == VG_YAML_SCALAR && node->is_null)
        return 0;
    return vg_yaml_walk_keys(&ld->doc, node, path, keys, count, sizeof *keys,
                             load_key, ld);
}

/* ---- video_generation ---------------------------------------------------- */

static const key_entry video_generation_keys[] = {
    VG_CONFIG_VIDEO_GENERATION_KEYS(TYPED_)};

static int load_video_generation(loader *ld, const vg_yaml_node *value,
                                 const char *path)
{
    return load_mapping(ld, value, path, video_generation_keys,
                        COUNT_(video_generation_keys));
}

/* ---- backends and plugin_dirs -------------------------------------------- */

/* A list of plain values (`list` names it, `item` one entry); a null value
 * is an empty list. */
static int check_scalar_list(loader *ld, const vg_yaml_node *value,
                             const char *path, const char *list,
                             const char *item)
{
    if (value->kind == VG_YAML_SCALAR && value->is_null)
        return 0;
    if (value->kind != VG_YAML_SEQUENCE)
        return fail_expected(ld, value, path, list);
    for (size_t i = 0; i < value->child_count; i++) {
        const vg_yaml_node *child = value->children[i];
        if (child->kind != VG_YAML_SCALAR || child->is_null)
            return fail_expected(ld, child, path, item);
    }
    return 0;
}

static size_t list_length(const vg_yaml_node *value)
{
    return value->kind == VG_YAML_SEQUENCE ? value->child_count : 0;
}

/* Loads the list of backend names at value into *names_out and *count_out,
 * each name checked (known, not repeated); the old list is freed. */
static int load_backend_names(loader *ld, const vg_yaml_node *value,
                              const char *path, char ***names_out,
                              size_t *count_out)
{
    size_t count = list_length(value);
    char **names = calloc(count ? count : 1, sizeof(*names));
    size_t filled = 0;
    int rc;
    if (names == NULL)
        return no_memory(ld);
    for (size_t i = 0; i < count; i++) {
        const vg_yaml_node *item = value->children[i];
        char problem[VG_TEXT_MAX];
        rc = vg_config_check_backend(item->text, names, filled, problem,
                                     sizeof(problem));
        if (rc < 0) {
            fail_at(ld, item, path, problem);
            goto fail;
        }
        names[filled] = vg_strdup(item->text);
        if (names[filled] == NULL) {
            rc = no_memory(ld);
            goto fail;
        }
        filled++;
    }
    vg_strv_free(names_out, count_out);
    *names_out = names;
    *count_out = filled;
    return 0;

fail:
    vg_strv_free(&names, &filled);
    return rc;
}

static int load_backends(loader *ld, const vg_yaml_node *value,
                         const char *path)
{
    int rc = check_scalar_list(ld, value, path, "a list of backend names",
                               "a backend name");
    if (rc < 0)
        return rc;
    if (list_length(value) == 0)
        return fail_at(ld, value, path, "at least one backend is required");
    return load_backend_names(ld, value, path, &ld->cfg->backends,
                              &ld->cfg->backend_count);
}

/* `dir` as the loader will search it: relative entries are taken from the
 * config file's directory, so a config and its plugins can move together. */
static char *resolve_dir(const loader *ld, const char *dir)
{
    if (ld->base_dir == NULL || dir[0] == '/')
        return vg_strdup(dir);
    size_t base_length = strlen(ld->base_dir);
    bool has_slash = base_length > 0 && ld->base_dir[base_length - 1] == '/';
    size_t size = base_length + 1 + strlen(dir) + 1;
    char *joined = malloc(size);
    if (joined != NULL)
        snprintf(joined, size, "%s%s%s", ld->base_dir, has_slash ? "" : "/",
                 dir);
    return joined;
}

static int load_plugin_dirs(loader *ld, const vg_yaml_node *value,
                            const char *path)
{
    int rc = check_scalar_list(ld, value, path, "a list of directories",
                               "a directory");
    if (rc < 0)
        return rc;
    size_t count = list_length(value);
    char **dirs = NULL;
    size_t filled = 0;
    if (count > 0) {
        dirs = calloc(count, sizeof(*dirs));
        if (dirs == NULL)
            return no_memory(ld);
    }
    for (size_t i = 0; i < count; i++) {
        const vg_yaml_node *item = value->children[i];
        if (item->text[0] == '\0') {
            rc = fail_at(ld, item, path, "empty directory name");
            goto fail;
        }
        dirs[filled] = resolve_dir(ld, item->text);
        if (dirs[filled] == NULL) {
            rc = no_memory(ld);
            goto fail;
        }
        filled++;
    }
    vg_strv_free(&ld->cfg->plugin_dirs, &ld->cfg->plugin_dir_count);
    ld->cfg->plugin_dirs = dirs;
    ld->cfg->plugin_dir_count = filled;
    return 0;

fail:
    vg_strv_free(&dirs, &filled);
    return rc;
}

/* ---- backend_options ----------------------------------------------------- */

static vg_config_mark mark_of(const loader *ld, const vg_yaml_node *node)
{
    return (vg_config_mark){ld->doc.file, node->line, node->column};
}

/* One raw option, kept as written; the plugin's table judges it later.
 * Marked at its key, where a reader looks for the setting. */
static int load_option(loader *ld, vg_config_option *option,
                       const vg_yaml_node *key, const vg_yaml_node *value,
                       const char *path)
{
    option->mark = mark_of(ld, key);
    option->key = vg_strdup(key->text);
    if (option->key == NULL)
        return no_memory(ld);

    if (value->kind == VG_YAML_SCALAR) {
        option->scalar = vg_strdup(value->text);
        return option->scalar == NULL ? no_memory(ld) : 0;
    }
    if (value->kind != VG_YAML_SEQUENCE)
        return fail_expected(ld, value, path, "a value or a list of values");

    option->is_sequence = true;
    if (value->child_count == 0)
        return 0;
    option->items = calloc(value->child_count, sizeof(*option->items));
    if (option->items == NULL)
        return no_memory(ld);
    for (size_t i = 0; i < value->child_count; i++) {
        const vg_yaml_node *item = value->children[i];
        if (item->kind != VG_YAML_SCALAR)
            return fail_expected(ld, item, path, "a plain value in the list");
        option->item_count++; /* counted first: freed on any failure */
        option->items[i] = vg_strdup(item->text);
        if (option->items[i] == NULL)
            return no_memory(ld);
    }
    return 0;
}

static int load_backend_entry(loader *ld, vg_config_backend_options *entry,
                              const vg_yaml_node *key,
                              const vg_yaml_node *value, const char *path)
{
    if (!vg_is_backend_name(key->text)) {
        char problem[VG_TEXT_MAX];
        vg_config_check_backend(key->text, NULL, 0, problem, sizeof(problem));
        return fail_at(ld, key, path, problem);
    }
    entry->mark = mark_of(ld, key);
    entry->backend = vg_strdup(key->text);
    if (entry->backend == NULL)
        return no_memory(ld);

    if (value->kind == VG_YAML_SCALAR && value->is_null)
        return 0;
    if (value->kind != VG_YAML_MAPPING)
        return fail_expected(ld, value, path, "a mapping of options");
    size_t count = value->child_count / 2;
    if (count == 0)
        return 0;
    entry->options = calloc(count, sizeof(*entry->options));
    if (entry->options == NULL)
        return no_memory(ld);
    for (size_t i = 0; i < count; i++) {
        const vg_yaml_node *option_key = value->children[2 * i];
        char option_path[VG_KEY_PATH_MAX];
        vg_key_path_join(option_path, sizeof(option_path), path,
                         option_key->text);
        entry->option_count++; /* counted first: freed on any failure */
        int rc = load_option(ld, &entry->options[i], option_key,
                             value->children[2 * i + 1], option_path);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int load_backend_options(loader *ld, const vg_yaml_node *value,
                                const char *path)
{
    if (value->kind == VG_YAML_SCALAR && value->is_null)
        return 0;
    if (value->kind != VG_YAML_MAPPING)
        return fail_expected(ld, value, path, "a mapping of backend names");

    /* The defaults hold no backend options (plugins declare their own), so
     * the file's entries are the whole set. */
    vg_config *cfg = ld->cfg;
    size_t count = value->child_count / 2;
    if (count == 0)
        return 0;
    cfg->backend_options = calloc(count, sizeof(*cfg->backend_options));
    if (cfg->backend_options == NULL)
        return no_memory(ld);
    for (size_t i = 0; i < count; i++) {
        const vg_yaml_node *key = value->children[2 * i];
        char entry_path[VG_KEY_PATH_MAX];
        vg_key_path_join(entry_path, sizeof(entry_path), path, key->text);
        cfg->backend_options_count++; /* counted first: freed on failure */
        int rc = load_backend_entry(ld, &cfg->backend_options[i], key,
                                    value->children[2 * i + 1], entry_path);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- job ----------------------------------------------------------------- */

/* The job is checked here so a mistake in it is reported when the config is
 * loaded, with its line and column; vg_job_create_from_config builds it
 * (and opens its inputs) when a job is run. */
static int load_job(loader *ld, const vg_yaml_node *value, const char *path)
{
    if (value->kind == VG_YAML_SCALAR && value->is_null)
        return 0; /* every key commented out: the built-in job */
    vg_job_parser p = {.doc = ld->doc, .base_dir = ld->base_dir};
    vg_job *job = NULL;
    int rc = vg_job_parse(&p, value, path, &job);
    vg_job_destroy(&job);
    return rc;
}

/* ---- isolation ----------------------------------------------------------- */

/* Backend names, possibly none. */
static int load_inprocess_backends(loader *ld, const vg_yaml_node *value,
                                   const char *path)
{
    int rc = check_scalar_list(ld, value, path, "a list of backend names",
                               "a backend name");
    if (rc < 0)
        return rc;
    return load_backend_names(ld, value, path, &ld->cfg->inprocess_backends,
                              &ld->cfg->inprocess_backend_count);
}

/* clang-format off: the typed rows, then the handled key */
static const key_entry isolation_keys[] = {
    VG_CONFIG_ISOLATION_KEYS(TYPED_){{.name = "inprocess_backends"},
                                     load_inprocess_backends},
};
/* clang-format on */

static int load_isolation(loader *ld, const vg_yaml_node *value,
                          const char *path)
{
    return load_mapping(ld, value, path, isolation_keys,
                        COUNT_(isolation_keys));
}

/* ---- output and limits -------------------------------------------------- */

static const key_entry output_keys[] = {VG_CONFIG_OUTPUT_KEYS(OUTPUT_TYPED_)};

static int load_output(loader *ld, const vg_yaml_node *value, const char *path)
{
    int rc = load_mapping(ld, value, path, output_keys, COUNT_(output_keys));
    if (rc == 0)
        rc = vg_config_check_output(&ld->doc, value, path, &ld->cfg->output);
    return rc;
}

static const key_entry limits_keys[] = {VG_LIMITS_KEYS(LIMITS_TYPED_)};

static int load_limits(loader *ld, const vg_yaml_node *value, const char *path)
{
    return load_mapping(ld, value, path, limits_keys, COUNT_(limits_keys));
}

/* ---- the file ------------------------------------------------------------ */

static const key_entry top_level_keys[] = {
    {{.name = "video_generation"}, load_video_generation},
    {{.name = "backends"}, load_backends},
    {{.name = "plugin_dirs"}, load_plugin_dirs},
    {{.name = "backend_options"}, load_backend_options},
    {{.name = "isolation"}, load_isolation},
    {{.name = "job"}, load_job},
    {{.name = "output"}, load_output},
    {{.name = "limits"}, load_limits},
    VG_CONFIG_TOP_LEVEL_KEYS(TYPED_)};

static int load_text(const char *text, size_t size, const char *name,
                     const char *base_dir, vg_config **out, char *err,
                     size_t err_size)
{
    vg_yaml_node *root = NULL;
    vg_config *cfg = NULL;
    int rc = vg_config_create_default(&cfg);
    if (rc < 0) {
        vg_diag_errorf(err, err_size, name, 0, 0, NULL, "out of memory");
        return rc;
    }
    cfg->source = vg_strdup(name);
    if (cfg->source == NULL) {
        vg_diag_errorf(err, err_size, name, 0, 0, NULL, "out of memory");
        rc = VG_ERR_NO_MEMORY;
        goto fail;
    }

    rc = vg_yaml_parse(text, size, name, &root, err, err_size);
    if (rc < 0)
        goto fail;
    if (root != NULL) { /* an empty file is the defaults */
        loader ld = {cfg, {cfg->source, err, err_size}, base_dir};
        rc =
            load_mapping(&ld, root, "", top_level_keys, COUNT_(top_level_keys));
        if (rc < 0)
            goto fail;
    }
    vg_yaml_node_destroy(&root);
    *out = cfg;
    return 0;

fail:
    vg_yaml_node_destroy(&root);
    vg_config_destroy(&cfg);
    return rc;
}

int vg_config_load_string(const char *yaml, const char *name, vg_config **out,
                          char *err, size_t err_size)
{
    if (out != NULL)
        *out = NULL;
    if (name == NULL)
        name = "<string>";
    if (yaml == NULL || out == NULL) {
        vg_diag_errorf(err, err_size, name, 0, 0, NULL,
                       "no text or no result pointer given");
        return VG_ERR_INVALID_ARGUMENT;
    }
    return load_text(yaml, strlen(yaml), name, NULL, out, err, err_size);
}

int vg_config_load(const char *path, vg_config **out, char *err,
                   size_t err_size)
{
    if (out != NULL)
        *out = NULL;
    if (path == NULL || out == NULL) {
        vg_diag_errorf(err, err_size, "<config>", 0, 0, NULL,
                       "no path or no result pointer given");
        return VG_ERR_INVALID_ARGUMENT;
    }

    char *text;
    size_t size;
    /* Read before its own limits: section is known: a fixed cap. */
    int rc = vg_read_text_file(path, VG_CONFIG_MAX_FILE_BYTES, "config file",
                               &text, &size, err, err_size);
    if (rc < 0)
        return rc;

    char *base_dir = NULL;
    const char *slash = strrchr(path, '/');
    if (slash != NULL) {
        /* "/x.yaml" lives in "/", not in "" */
        size_t length = slash == path ? 1 : (size_t)(slash - path);
        base_dir = malloc(length + 1);
        if (base_dir == NULL) {
            free(text);
            vg_diag_errorf(err, err_size, path, 0, 0, NULL, "out of memory");
            return VG_ERR_NO_MEMORY;
        }
        memcpy(base_dir, path, length);
        base_dir[length] = '\0';
    }
    rc = load_text(text, size, path, base_dir, out, err, err_size);
    free(base_dir);
    free(text);
    return rc;
}

/*
 * config_defaults.c - the built-in defaults, and freeing a config.
 *
 * These values equal the top-level config.yaml (tests/test_config.c loads
 * it and compares), so a config file need only hold the keys it changes.
 * The typed keys' defaults are their rows' (vg/config.h, vg/limits.h).
 * backend_options stays empty here: each plugin declares its own defaults in
 * its option table, and vg_config_plugin_options fills them in.
 */
#include <stdlib.h>

#include "config/config_internal.h"

/* GPU APIs first, fastest first; the CPU backend always works, so it ends
 * the chain (docs/design.md, "Selection"). */
static const char *const default_backends[] = {"cuda", "opencl", "cpu"};

/* The built-in cpu backend is the last resort, so a worker process would
 * only turn its crash into a cleaner error, and it would cost the default
 * job a copy of every output frame (docs/benchmarks.md, "Isolation"). */
static const char *const default_inprocess[] = {"cpu"};

/* Setting a typed member to its row's default: NAME rows own a copy. */
#define SET_BOOL(member, value) member = value;
#define SET_SWITCH SET_BOOL
#define SET_INT SET_BOOL
#define SET_U32 SET_BOOL
#define SET_U64 SET_BOOL
#define SET_RATE SET_BOOL
#define SET_NUMBER SET_BOOL
#define SET_NAME(member, value)                                                \
    if (!copy_default(&member, value))                                         \
        goto fail;
#define DEFAULT_(key, field, type, default_value, constraint)                  \
    SET_##type(cfg->field, default_value)
#define OUTPUT_DEFAULT_(key, field, type, default_value, constraint)           \
    SET_##type(cfg->output.field, default_value)

/* Freeing a typed member: only NAME rows own memory. */
#define FREE_BOOL(member)
#define FREE_SWITCH FREE_BOOL
#define FREE_INT FREE_BOOL
#define FREE_U32 FREE_BOOL
#define FREE_U64 FREE_BOOL
#define FREE_RATE FREE_BOOL
#define FREE_NUMBER FREE_BOOL
#define FREE_NAME(member) free(member);
#define FREE_(key, field, type, default_value, constraint) FREE_##type(c->field)
#define OUTPUT_FREE_(key, field, type, default_value, constraint)              \
    FREE_##type(c->output.field)

/* *member = a copy of value (NULL stays NULL); false when out of memory. */
static bool copy_default(char **member, const char *value)
{
    *member = value != NULL ? vg_strdup(value) : NULL;
    return value == NULL || *member != NULL;
}

int vg_config_create_default(vg_config **out)
{
    size_t count = sizeof(default_backends) / sizeof(default_backends[0]);
    vg_config *cfg = calloc(1, sizeof(*cfg));
    if (cfg == NULL)
        goto fail;

    VG_CONFIG_VIDEO_GENERATION_KEYS(DEFAULT_)
    VG_CONFIG_TOP_LEVEL_KEYS(DEFAULT_)
    VG_CONFIG_ISOLATION_KEYS(DEFAULT_)
    VG_CONFIG_OUTPUT_KEYS(OUTPUT_DEFAULT_)
    cfg->limits = vg_limits_default();

    cfg->backends = calloc(count, sizeof(*cfg->backends));
    if (cfg->backends == NULL)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        cfg->backends[i] = vg_strdup(default_backends[i]);
        if (cfg->backends[i] == NULL)
            goto fail;
        cfg->backend_count++;
    }

    cfg->inprocess_backends = calloc(1, sizeof(*cfg->inprocess_backends));
    if (cfg->inprocess_backends == NULL ||
        (cfg->inprocess_backends[0] = vg_strdup(default_inprocess[0])) == NULL)
        goto fail;
    cfg->inprocess_backend_count = 1;

    *out = cfg;
    return 0;

fail:
    vg_config_destroy(&cfg);
    *out = NULL;
    return VG_ERR_NO_MEMORY;
}

void vg_config_destroy(vg_config **cfg)
{
    if (cfg == NULL || *cfg == NULL)
        return;
    vg_config *c = *cfg;
    vg_strv_free(&c->backends, &c->backend_count);
    vg_strv_free(&c->plugin_dirs, &c->plugin_dir_count);
    vg_strv_free(&c->inprocess_backends, &c->inprocess_backend_count);
    for (size_t i = 0; i < c->backend_options_count; i++)
        vg_config_backend_options_clear(&c->backend_options[i]);
    free(c->backend_options);
    VG_CONFIG_VIDEO_GENERATION_KEYS(FREE_)
    VG_CONFIG_TOP_LEVEL_KEYS(FREE_)
    VG_CONFIG_ISOLATION_KEYS(FREE_)
    VG_CONFIG_OUTPUT_KEYS(OUTPUT_FREE_)
    free(c->source);
    free(c);
    *cfg = NULL;
}

/*
 * config_defaults.c - the built-in defaults, and freeing a config.
 *
 * These values equal the top-level config.yaml (tests/test_config.c loads
 * it and compares), so a config file need only hold the keys it changes.
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

int vg_config_create_default(vg_config **out)
{
    size_t count = sizeof(default_backends) / sizeof(default_backends[0]);
    vg_config *cfg = calloc(1, sizeof(*cfg));
    if (cfg == NULL)
        goto fail;

#define VG_CONFIG_DEFAULT_(key, default_value) cfg->key = default_value;
    VG_CONFIG_VIDEO_GENERATION_KEYS(VG_CONFIG_DEFAULT_)
#undef VG_CONFIG_DEFAULT_
    cfg->isolate_backends = true;
    cfg->timeout_scale = 1.0;

    cfg->output.crf = -1;
    cfg->output.codec = vg_strdup("auto");
    cfg->output.pix_fmt = vg_strdup("yuv420p");
    if (cfg->output.codec == NULL || cfg->output.pix_fmt == NULL)
        goto fail;

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
    vg_config_output_clear(&c->output);
    free(c->source);
    free(c);
    *cfg = NULL;
}

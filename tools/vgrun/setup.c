/*
 * setup.c - which configuration vgrun uses, and the backend order.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "vgrun.h"

/* --config, else $VG_CONFIG, else ./config.yaml when present (the file a
 * user edits beside their job), else the built-in defaults. */
static const char *config_path(const vgrun_options *opts)
{
    if (opts->config_path)
        return opts->config_path;
    const char *env = getenv("VG_CONFIG");
    if (env && *env)
        return env;
    if (access("config.yaml", R_OK) == 0)
        return "config.yaml";
    return NULL;
}

int vgrun_load_config(const vgrun_options *opts, vg_config **out)
{
    char err[1024];
    const char *path = config_path(opts);
    int rc = path ? vg_config_load(path, out, err, sizeof err)
                  : vg_config_create_default(out);
    if (rc != 0) {
        fprintf(stderr, "vgrun: %s\n", path ? err : vg_strerror(rc));
        return VGRUN_EXIT_USAGE;
    }
    const char *env = getenv("VG_BACKENDS");
    if (opts->backends)
        rc = vg_config_set_backends(*out, opts->backends, "--backend", err,
                                    sizeof err);
    else if (env && *env)
        rc = vg_config_set_backends(*out, env, "VG_BACKENDS", err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "vgrun: %s\n", err);
        vg_config_destroy(out);
        return VGRUN_EXIT_USAGE;
    }
    return 0;
}

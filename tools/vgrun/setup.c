/*
 * setup.c - which configuration vgrun uses, and the backend order.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "vgrun.h"

/* The file comes from vg_config_locate (--config, $VG_CONFIG, the user's
 * and the system's config; never the current directory).  -v says which. */
int vgrun_load_config(const vgrun_options *opts, vg_config **out)
{
    char err[1024];
    char *path = NULL;
    const char *origin = NULL;
    int rc = vg_config_locate(opts->config_path, &path, &origin);
    if (rc == 0)
        rc = path ? vg_config_load(path, out, err, sizeof err)
                  : vg_config_create_default(out);
    if (rc != 0) {
        fprintf(stderr, "vgrun: %s\n", path ? err : vg_strerror(rc));
        free(path);
        return VGRUN_EXIT_USAGE;
    }
    if (opts->verbose && !opts->quiet && path)
        fprintf(stderr, "vgrun: config %s (%s)\n", path, origin);
    else if (opts->verbose && !opts->quiet)
        fprintf(stderr, "vgrun: config: none, the built-in defaults\n");
    free(path);
    (*out)->reprobe = opts->reprobe;
    if (opts->has_verify)
        (*out)->verify = opts->verify;
    const char *env = secure_getenv("VG_BACKENDS");
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

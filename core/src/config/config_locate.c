/*
 * config_locate.c - which config file a program uses when none is given.
 *
 * The search never looks in the current directory: a checkout or download
 * unpacked there could otherwise add plugin_dirs and so run its own code,
 * and any unrelated config.yaml (a static-site generator's) would make
 * every command fail.  The order is the XDG one: the user's file, then the
 * system's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vg/config.h"

static char *existing_file(const char *dir, const char *tail)
{
    char *path = NULL;
    if (asprintf(&path, "%s%s", dir, tail) < 0)
        return NULL;
    struct stat st;
    /* A missing file means "not configured here"; anything else at that
     * name (a directory, a FIFO) is still returned, so the loader reports
     * it instead of it being skipped silently. */
    if (stat(path, &st) != 0 && errno == ENOENT) {
        free(path);
        return NULL;
    }
    return path;
}

int vg_config_locate(const char *explicit_path, char **path_out,
                     const char **origin_out)
{
    *path_out = NULL;
    *origin_out = "built-in defaults";
    const char *origin = NULL;
    char *path = NULL;
    const char *env = secure_getenv("VG_CONFIG");
    const char *xdg = secure_getenv("XDG_CONFIG_HOME");
    const char *home = secure_getenv("HOME");
    if (explicit_path) {
        origin = "--config";
        path = strdup(explicit_path);
    } else if (env && *env) {
        origin = "VG_CONFIG";
        path = strdup(env);
    } else {
        /* XDG: a relative XDG_CONFIG_HOME is invalid and ignored. */
        if (xdg && xdg[0] == '/') {
            origin = "XDG_CONFIG_HOME";
            path = existing_file(xdg, "/vg/config.yaml");
        } else if (home && home[0] == '/') {
            origin = "~/.config";
            path = existing_file(home, "/.config/vg/config.yaml");
        }
        if (!path) {
            origin = "system config";
            path = existing_file(VG_SYSCONF_DIR, "/vg/config.yaml");
        }
        if (!path)
            return 0;
    }
    if (!path)
        return VG_ERR_NO_MEMORY;
    *path_out = path;
    *origin_out = origin;
    return 0;
}

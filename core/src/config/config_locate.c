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

#include "loader/library_location.h"
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

/* <sysconfdir>/vg/config.yaml of the vg this libvg was installed with,
 * found from libvg's own location (VG_LIBDIR_TO_SYSCONFDIR is the path from
 * <libdir> to <sysconfdir>: "../etc" under /usr/local, "../../etc" from
 * /usr/lib/<arch>).  A libvg running from its build tree reads no system
 * file, as it loads no installed plugin. */
static char *system_config(void)
{
    char *lib = vg_library_dir();
    if (!lib || vg_library_dir_is_build_tree(lib)) {
        free(lib);
        return NULL;
    }
    char *dir = NULL;
    int n = asprintf(&dir, "%s/%s", lib, VG_LIBDIR_TO_SYSCONFDIR);
    free(lib);
    if (n < 0)
        return NULL;
    char *real = realpath(dir, NULL); /* "/usr/local/etc", not "lib/../etc" */
    char *path = real ? existing_file(real, "/vg/config.yaml") : NULL;
    free(real);
    free(dir);
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
            path = system_config();
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

/*
 * search_path.c - where plugin files are looked for, and the naming rule.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/strutil.h"
#include "loader/library_location.h"
#include "vg/loader.h"

struct vg_search_path {
    vg_search_dir *dirs; /* path strings owned here */
    size_t count;
};

static int add_dir(vg_search_path *sp, const char *path, const char *origin)
{
    if (!*path)
        return 0;
    for (size_t i = 0; i < sp->count; i++)
        if (strcmp(sp->dirs[i].path, path) == 0)
            return 0; /* the first occurrence decides; later ones add nothing */
    vg_search_dir *grown = realloc(sp->dirs, (sp->count + 1) * sizeof *grown);
    if (!grown)
        return VG_ERR_NO_MEMORY;
    sp->dirs = grown;
    char *copy = strdup(path);
    if (!copy)
        return VG_ERR_NO_MEMORY;
    sp->dirs[sp->count++] = (vg_search_dir){.path = copy, .origin = origin};
    return 0;
}

/* VG_PLUGIN_PATH, colon-separated.  Unlike $PATH, an empty element (a
 * leading, trailing or doubled colon) does not mean the current directory,
 * and neither does a relative one: only absolute directories are taken, so
 * the directory vgrun happens to run in never supplies code. */
static int add_env_dirs(vg_search_path *sp)
{
    const char *env = secure_getenv("VG_PLUGIN_PATH");
    if (!env)
        return 0;
    char *copy = strdup(env);
    if (!copy)
        return VG_ERR_NO_MEMORY;
    int rc = 0;
    char *rest = copy;
    for (char *dir; rc == 0 && (dir = strsep(&rest, ":")) != NULL;)
        if (dir[0] == '/')
            rc = add_dir(sp, dir, "VG_PLUGIN_PATH");
    free(copy);
    return rc;
}

/* The plugin directory of this libvg: beside it when installed, the build
 * tree's when running from the build tree (never both, so tests are not
 * affected by what is installed on the machine). */
static int add_own_plugin_dir(vg_search_path *sp)
{
    const char *origin = NULL;
    char *dir = vg_default_plugin_dir(&origin);
    if (!dir)
        return 0; /* libvg cannot locate itself: only explicit directories */
    int rc = add_dir(sp, dir, origin);
    free(dir);
    return rc;
}

int vg_search_path_create(const vg_config *cfg, vg_search_path **out)
{
    *out = NULL;
    vg_search_path *sp = calloc(1, sizeof *sp);
    if (!sp)
        return VG_ERR_NO_MEMORY;
    int rc = 0;
    /* The config loader has already resolved relative plugin_dirs against
     * the config file's directory. */
    for (size_t i = 0; cfg && i < cfg->plugin_dir_count && rc == 0; i++)
        rc = add_dir(sp, cfg->plugin_dirs[i], "plugin_dirs");
    if (rc == 0)
        rc = add_env_dirs(sp);
    if (rc == 0)
        rc = add_own_plugin_dir(sp);
    if (rc != 0) {
        vg_search_path_destroy(&sp);
        return rc;
    }
    *out = sp;
    return 0;
}

void vg_search_path_destroy(vg_search_path **sp)
{
    if (!sp || !*sp)
        return;
    for (size_t i = 0; i < (*sp)->count; i++)
        free((char *)(*sp)->dirs[i].path);
    free((*sp)->dirs);
    free(*sp);
    *sp = NULL;
}

size_t vg_search_path_count(const vg_search_path *sp)
{
    return sp->count;
}

const vg_search_dir *vg_search_path_dir(const vg_search_path *sp, size_t index)
{
    return index < sp->count ? &sp->dirs[index] : NULL;
}

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int vg_search_path_find(const vg_search_path *sp, const char *name,
                        char **path_out, char *reason, size_t reason_size)
{
    *path_out = NULL;
    char file[VG_NAME_MAX + 16];
    snprintf(file, sizeof file, "%s%s%s", VG_PLUGIN_FILE_PREFIX, name,
             VG_PLUGIN_FILE_SUFFIX);
    for (size_t i = 0; i < sp->count; i++) {
        char *candidate = vg_path_join(sp->dirs[i].path, file);
        if (!candidate)
            return VG_ERR_NO_MEMORY;
        if (is_regular_file(candidate)) {
            *path_out = candidate;
            return 0;
        }
        free(candidate);
    }
    size_t used =
        vg_append(reason, reason_size, 0, "plugin file %s not found in", file);
    for (size_t i = 0; i < sp->count; i++)
        used = vg_append(reason, reason_size, used, "%s %s (%s)", i ? "," : "",
                         sp->dirs[i].path, sp->dirs[i].origin);
    return VG_ERR_NOT_FOUND;
}

bool vg_plugin_name_from_path(const char *path, char *name, size_t name_size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t prefix = strlen(VG_PLUGIN_FILE_PREFIX);
    size_t suffix = strlen(VG_PLUGIN_FILE_SUFFIX);
    size_t len = strlen(base);
    if (len <= prefix + suffix ||
        strncmp(base, VG_PLUGIN_FILE_PREFIX, prefix) != 0 ||
        strcmp(base + len - suffix, VG_PLUGIN_FILE_SUFFIX) != 0)
        return false;
    size_t name_len = len - prefix - suffix;
    if (name_len + 1 > name_size)
        return false;
    memcpy(name, base + prefix, name_len);
    name[name_len] = '\0';
    return vg_is_backend_name(name);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The plugin files of one directory, sorted so listings are stable. */
static int list_dir(const char *dir, char ***paths, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* a missing directory in the path is normal */
    size_t first = *count;
    int rc = 0;
    struct dirent *entry;
    char name[VG_NAME_MAX];
    while (rc == 0 && (entry = readdir(d))) {
        if (!vg_plugin_name_from_path(entry->d_name, name, sizeof name))
            continue;
        char **grown = realloc(*paths, (*count + 1) * sizeof *grown);
        char *path = vg_path_join(dir, entry->d_name);
        if (!grown || !path) {
            free(path);
            if (grown)
                *paths = grown;
            rc = VG_ERR_NO_MEMORY;
            break;
        }
        *paths = grown;
        (*paths)[(*count)++] = path;
    }
    closedir(d);
    if (rc == 0)
        qsort(*paths + first, *count - first, sizeof **paths, compare_strings);
    return rc;
}

int vg_search_path_list(const vg_search_path *sp, char ***paths_out,
                        size_t *count_out)
{
    char **paths = NULL;
    size_t count = 0;
    int rc = 0;
    for (size_t i = 0; i < sp->count && rc == 0; i++)
        rc = list_dir(sp->dirs[i].path, &paths, &count);
    if (rc != 0) {
        vg_string_list_free(&paths, count);
        count = 0;
    }
    *paths_out = paths;
    *count_out = count;
    return rc;
}

void vg_string_list_free(char ***list, size_t count)
{
    if (!list || !*list)
        return;
    for (size_t i = 0; i < count; i++)
        free((*list)[i]);
    free(*list);
    *list = NULL;
}

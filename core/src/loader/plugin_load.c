/*
 * plugin_load.c - dlopen a plugin file and negotiate its ABI.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "loader/loaded_plugin.h"

/* dlerror() text is precise but cryptic; say in plain words which of the
 * usual cases it is, and keep the original for the details. */
static const char *classify_dlopen_error(const char *path, const char *text)
{
    if (strstr(text, "invalid ELF header") || strstr(text, "file too short") ||
        strstr(text, "not an ELF"))
        return "not a shared object";
    if (strstr(text, "wrong ELF class") || strstr(text, "ELF file's phentsize"))
        return "built for another architecture";
    if (strstr(text, "undefined symbol"))
        return "unresolved symbol (built against another version?)";
    if (strstr(text, "cannot open shared object file")) {
        /* dlerror names the library it could not open first; if that is not
         * the plugin itself, a dependency is missing. */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (strncmp(text, path, strlen(path)) != 0 &&
            strncmp(text, base, strlen(base)) != 0)
            return "missing dependency";
        return "cannot open";
    }
    return "cannot load";
}

static int negotiate(vg_loaded_plugin *lp, char *reason, size_t reason_size)
{
    dlerror();
    void *sym = dlsym(lp->handle, VG_PLUGIN_ENTRY_NAME);
    if (!sym) {
        snprintf(reason, reason_size,
                 "%s: not a vg plugin: no '%s' entry symbol", lp->path,
                 VG_PLUGIN_ENTRY_NAME);
        return VG_ERR_PLUGIN;
    }
    /* POSIX guarantees dlsym results convert to function pointers. */
    vg_plugin_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry);
    const vg_plugin *raw = entry(VG_PLUGIN_ABI_VERSION);
    if (!raw) {
        snprintf(reason, reason_size,
                 "%s: the plugin supports no ABI version this vg speaks (1 to "
                 "%u)",
                 lp->path, VG_PLUGIN_ABI_VERSION);
        return VG_ERR_PLUGIN;
    }
    int rc =
        vg_plugin_validate(raw, lp->path, &lp->desc_copy, reason, reason_size);
    if (rc != 0)
        return rc;
    lp->desc = &lp->desc_copy;
    char file_name[VG_NAME_MAX];
    if (vg_plugin_name_from_path(lp->path, file_name, sizeof file_name) &&
        strcmp(file_name, lp->desc->name) != 0) {
        snprintf(reason, reason_size,
                 "%s: the file name says backend '%s' but the plugin calls "
                 "itself '%s'",
                 lp->path, file_name, lp->desc->name);
        return VG_ERR_PLUGIN;
    }
    return 0;
}

int vg_plugin_load(const char *path, vg_loaded_plugin **out, char *reason,
                   size_t reason_size)
{
    *out = NULL;
    vg_loaded_plugin *lp = calloc(1, sizeof *lp);
    if (!lp || !(lp->path = strdup(path))) {
        free(lp);
        snprintf(reason, reason_size, "%s: out of memory", path);
        return VG_ERR_NO_MEMORY;
    }
    /* RTLD_NOW: an unresolved symbol fails here, not mid-render.
     * RTLD_LOCAL: two plugins' internals can never collide. */
    lp->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lp->handle) {
        const char *text = dlerror();
        text = text ? text : "unknown dlopen error";
        snprintf(reason, reason_size, "%s: %s: %s", path,
                 classify_dlopen_error(path, text), text);
        vg_plugin_unload(&lp);
        return VG_ERR_PLUGIN;
    }
    int rc = negotiate(lp, reason, reason_size);
    if (rc != 0) {
        vg_plugin_unload(&lp);
        return rc;
    }
    *out = lp;
    return 0;
}

const vg_plugin *vg_loaded_plugin_descriptor(const vg_loaded_plugin *lp)
{
    return lp->desc;
}

const char *vg_loaded_plugin_path(const vg_loaded_plugin *lp)
{
    return lp->path;
}

const vg_option_value *vg_loaded_plugin_options(const vg_loaded_plugin *lp)
{
    return lp->options;
}

int vg_loaded_plugin_configure(vg_loaded_plugin *lp, const vg_config *cfg,
                               char *reason, size_t reason_size)
{
    vg_option_values_destroy(&lp->options, lp->desc->option_count);
    return vg_config_plugin_options(cfg, lp->desc, &lp->options, reason,
                                    reason_size);
}

void vg_plugin_unload(vg_loaded_plugin **lp)
{
    if (!lp || !*lp)
        return;
    vg_worker_destroy(&(*lp)->worker);
    for (size_t i = 0; i < (*lp)->retired_count; i++)
        vg_worker_destroy(&(*lp)->retired[i]);
    free((*lp)->retired);
    if ((*lp)->desc)
        vg_option_values_destroy(&(*lp)->options, (*lp)->desc->option_count);
    /* The shared object itself stays mapped for the life of the process
     * (GStreamer does the same): GPU runtimes linked into plugins (the CUDA
     * runtime, the OpenCL ICD loader and its drivers) keep global state and
     * threads that cannot be unloaded safely.  A later load of the same file
     * gets the same mapping back from dlopen. */
    free((*lp)->path);
    free(*lp);
    *lp = NULL;
}

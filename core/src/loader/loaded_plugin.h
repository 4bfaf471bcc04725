/*
 * loaded_plugin.h - the loader's record of one dlopen'ed plugin (internal).
 */
#ifndef VG_LOADED_PLUGIN_H
#define VG_LOADED_PLUGIN_H

#include "vg/loader.h"

struct vg_loaded_plugin {
    void *handle;            /* dlopen handle */
    char *path;
    const vg_plugin *desc;   /* static data inside the plugin */
    vg_option_value *options; /* validated values, one per declared option */
};

/* Check a descriptor returned by an entry point: version, size, required
 * slots, name and option table.  Writes "PATH: problem" to reason. */
int vg_plugin_validate(const vg_plugin *desc, const char *path, char *reason,
                       size_t reason_size);

#endif /* VG_LOADED_PLUGIN_H */

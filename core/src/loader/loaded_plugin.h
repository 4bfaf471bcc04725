/*
 * loaded_plugin.h - the loader's record of one dlopen'ed plugin (internal).
 */
#ifndef VG_LOADED_PLUGIN_H
#define VG_LOADED_PLUGIN_H

#include "vg/loader.h"

struct vg_loaded_plugin {
    void *handle; /* dlopen handle */
    char *path;
    /* The plugin's descriptor as validated: a copy of exactly the slots of
     * the ABI version it claims, the rest NULL (vg_plugin_validate). */
    vg_plugin desc_copy;
    const vg_plugin *desc;    /* &desc_copy once validated, else NULL */
    vg_option_value *options; /* validated values, one per declared option */
};

/* Check a descriptor returned by an entry point: version, size, name, kind,
 * required slots and option table, and copy into *copy the part of it that
 * its ABI version defines (every later slot NULL).  Writes "PATH: problem"
 * to reason.  Only the copy may be used afterwards. */
int vg_plugin_validate(const vg_plugin *raw, const char *path, vg_plugin *copy,
                       char *reason, size_t reason_size);

/* The descriptor size ABI version `abi_version` defines: the end of its
 * last slot.  A descriptor of that version is at least this long. */
size_t vg_plugin_size_for_abi(uint32_t abi_version);

#endif /* VG_LOADED_PLUGIN_H */

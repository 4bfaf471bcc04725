/*
 * cpu_entry.c - the CPU backend's one exported symbol.
 */
#include "cpu_internal.h"

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version);

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version)
{
    return loader_abi_version >= 1 ? &cpu_plugin_descriptor : NULL;
}

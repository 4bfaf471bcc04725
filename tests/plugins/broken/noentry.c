/*
 * noentry.c - a shared object without the vg_plugin_entry symbol, as a
 * plugin built against a different header (or with a typo) would be.  The
 * loader must report "not a vg plugin" and move on.
 */
#include "vg/plugin.h"

VG_PLUGIN_EXPORT const vg_plugin *faulty_plugin_entry(uint32_t abi);

VG_PLUGIN_EXPORT const vg_plugin *faulty_plugin_entry(uint32_t abi)
{
    (void)abi;
    return NULL;
}

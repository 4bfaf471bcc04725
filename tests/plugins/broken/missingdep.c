/*
 * missingdep.c - a plugin that links a library which is absent at run time
 * (vg_test_gone_dependency, built without an rpath to it).  dlopen fails
 * naming the library; the loader must report it as a missing dependency.
 */
#include "vg/plugin.h"

int vg_gone_dependency_value(void);

/* Referenced so the linker keeps the dependency. */
VG_PLUGIN_EXPORT int (*const missingdep_dependency)(void);
VG_PLUGIN_EXPORT int (*const missingdep_dependency)(void) =
    vg_gone_dependency_value;

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t abi);

/* Never reached: dlopen fails first. */
VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t abi)
{
    (void)abi;
    return NULL;
}

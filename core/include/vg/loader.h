/*
 * vg/loader.h - find plugin files and load them safely.
 *
 * File naming: the backend called NAME lives in a file named vg_NAME.so.
 * Search path, in order (first match wins): the config's plugin_dirs, then
 * the colon-separated VG_PLUGIN_PATH, then the plugin directory that belongs
 * to the loaded libvg: <libdir>/vg/plugins beside an installed libvg (found
 * at run time, so an installed tree can be moved), or the build tree's
 * vg-plugins/ when libvg runs from the build tree (so a fresh build runs
 * uninstalled and never picks up installed plugins).
 *
 * Loading validates everything before the descriptor is used: the file is a
 * shared object whose dependencies resolve (dlopen RTLD_NOW | RTLD_LOCAL), it
 * exports VG_PLUGIN_ENTRY_NAME, the entry returns a descriptor, the
 * descriptor's ABI version is one this loader speaks, its struct_size covers
 * that version, and every required slot is set.  Each failure is a reason
 * naming the file.
 *
 * Ownership: vg_search_path and vg_loaded_plugin are created here and freed
 * with their _destroy / vg_plugin_unload.  Thread-safety: none; use from one
 * thread.
 */
#ifndef VG_LOADER_H
#define VG_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "vg/api.h"
#include "vg/config.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The file name prefix and suffix of a plugin: vg_NAME.so */
#define VG_PLUGIN_FILE_PREFIX "vg_"
#define VG_PLUGIN_FILE_SUFFIX ".so"

typedef struct vg_search_path vg_search_path;

/* One directory of the search path and where it came from. */
typedef struct vg_search_dir {
    const char *path;
    const char
        *origin; /* "plugin_dirs", "VG_PLUGIN_PATH", "install", "build" */
} vg_search_dir;

/* Build the search path for `cfg` (its plugin_dirs, resolved against the
 * config file's directory when relative) and the environment.  Returns 0 or
 * VG_ERR_NO_MEMORY. */
VG_API int vg_search_path_create(const vg_config *cfg, vg_search_path **out);
VG_API void vg_search_path_destroy(vg_search_path **sp);
VG_API size_t vg_search_path_count(const vg_search_path *sp);
VG_API const vg_search_dir *vg_search_path_dir(const vg_search_path *sp,
                                               size_t index);

/* The first existing vg_<name>.so along the search path: a malloc'ed path
 * in *path_out, or VG_ERR_NOT_FOUND with a reason listing the directories
 * searched. */
VG_API int vg_search_path_find(const vg_search_path *sp, const char *name,
                               char **path_out, char *reason,
                               size_t reason_size);

/* Every vg_*.so file along the search path, in search order (a name may
 * appear more than once: the first one shadows the others).  *paths_out is
 * a malloc'ed array of malloc'ed strings; free with vg_string_list_free. */
VG_API int vg_search_path_list(const vg_search_path *sp, char ***paths_out,
                               size_t *count_out);
VG_API void vg_string_list_free(char ***list, size_t count);

/* The backend name a plugin file name implies ("/x/vg_cpu.so" -> "cpu"),
 * written to `name`; false when the file name does not follow the
 * convention. */
VG_API bool vg_plugin_name_from_path(const char *path, char *name,
                                     size_t name_size);

typedef struct vg_loaded_plugin vg_loaded_plugin;

/* dlopen `path` and validate its descriptor.  On failure *out stays NULL,
 * the return is VG_ERR_PLUGIN (or VG_ERR_NO_MEMORY) and reason says what is
 * wrong, naming the file. */
VG_API int vg_plugin_load(const char *path, vg_loaded_plugin **out,
                          char *reason, size_t reason_size);

/* Load `path` and probe it, without letting it take the host down.
 * With cfg->isolate_backends (isolation.mode: process), the plugin is loaded
 * and probed in its own vg-worker process, which then serves every later
 * call (check, open, kernels) unless isolation.inprocess_backends names it;
 * this process maps the file only for its descriptor.  Otherwise it is
 * loaded and probed in a forked child first and then loaded here.  A plugin
 * that crashes, hangs, exits or prints fails with VG_ERR_CRASHED and a
 * reason naming the file and the call ("/x/vg_cuda.so: crashed in probe
 * (SIGSEGV)").  The probe result is returned in *probe_out.  Option values
 * come from `cfg` (an invalid option is VG_ERR_CONFIG with the config
 * position).  On success `reason` holds the probe's reason ("" when it gave
 * none), whole when the plugin has probe_with_reason (up to VG_REASON_MAX - 1
 * bytes).  With VG_PLUGIN_SCAN=inprocess nothing is isolated (debuggers). */
VG_API int vg_plugin_load_and_probe(const char *path, const vg_config *cfg,
                                    vg_loaded_plugin **out,
                                    vg_probe_result *probe_out, char *reason,
                                    size_t reason_size);

VG_API const vg_plugin *vg_loaded_plugin_descriptor(const vg_loaded_plugin *lp);
VG_API const char *vg_loaded_plugin_path(const vg_loaded_plugin *lp);

/* The validated option values for this plugin (one per declared option;
 * NULL when it declares none).  Set by vg_plugin_load_and_probe, or by
 * vg_loaded_plugin_configure. */
VG_API const vg_option_value *
vg_loaded_plugin_options(const vg_loaded_plugin *lp);

/* Validate and store the plugin's options from cfg.  Returns 0 or
 * VG_ERR_CONFIG with a "file:line:column: key: problem" reason. */
VG_API int vg_loaded_plugin_configure(vg_loaded_plugin *lp,
                                      const vg_config *cfg, char *reason,
                                      size_t reason_size);

/* Free the record and clear the pointer; NULL is a no-op.  Every backend
 * opened from the plugin must be closed first.  The shared object stays
 * mapped (GPU runtimes cannot be unloaded safely); loading it again reuses
 * the mapping. */
VG_API void vg_plugin_unload(vg_loaded_plugin **lp);

#ifdef __cplusplus
}
#endif

#endif /* VG_LOADER_H */

/*
 * library_location.h - where the loaded libvg lies, so that an installed vg
 * finds its plugins (and helper programs) relative to itself and keeps
 * working when the whole prefix is moved (internal).
 */
#ifndef VG_LIBRARY_LOCATION_H
#define VG_LIBRARY_LOCATION_H

#include <stdbool.h>

/* The directory holding the libvg this code runs in, symlinks resolved,
 * malloc'ed; NULL when the dynamic linker cannot say or memory ran out. */
char *vg_library_dir(void);

/* Whether `library_dir` (from vg_library_dir) is the build tree this libvg
 * was compiled in: only then is the build tree's plugin directory searched,
 * so an installed vg never loads plugins from a stale build. */
bool vg_library_dir_is_build_tree(const char *library_dir);

/* The plugin directory that belongs to this libvg: the build tree's
 * vg-plugins/ when running from the build tree, else <libdir>/vg/plugins
 * beside the library.  malloc'ed; NULL as vg_library_dir.  *origin is
 * "build" or "install". */
char *vg_default_plugin_dir(const char **origin);

#endif /* VG_LIBRARY_LOCATION_H */

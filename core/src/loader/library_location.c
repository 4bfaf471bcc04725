/*
 * library_location.c - find libvg's own directory with dladdr, and the
 * plugin directory that goes with it.
 *
 * Nothing here depends on the install prefix chosen at configure time: an
 * install into /opt/vg, a DESTDIR staging tree later moved into place, or a
 * tarball unpacked anywhere all find <libdir>/vg/plugins beside libvg.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "loader/library_location.h"

char *vg_library_dir(void)
{
    Dl_info info;
    /* Any function of libvg names the library's file; this one will do. */
    if (dladdr((void *)(uintptr_t)vg_library_dir, &info) == 0 ||
        !info.dli_fname || !*info.dli_fname)
        return NULL;
    char *file = realpath(info.dli_fname, NULL);
    if (!file)
        return NULL;
    char *dir = vg_dirname_dup(file);
    free(file);
    return dir;
}

bool vg_library_dir_is_build_tree(const char *library_dir)
{
    /* Compared after resolving symlinks; a deleted build tree resolves to
     * nothing and so never matches. */
    char *build = realpath(VG_BUILD_LIBRARY_DIR, NULL);
    bool same = build && strcmp(build, library_dir) == 0;
    free(build);
    return same;
}

char *vg_default_plugin_dir(const char **origin)
{
    char *libdir = vg_library_dir();
    if (!libdir)
        return NULL;
    char *dir;
    if (vg_library_dir_is_build_tree(libdir)) {
        *origin = "build";
        dir = strdup(VG_BUILD_PLUGIN_DIR);
    } else {
        *origin = "install";
        dir = vg_path_join(libdir, VG_PLUGIN_SUBDIR);
    }
    free(libdir);
    return dir;
}

/*
 * selftest_cache.h - remember which (plugin file, device, driver, options)
 * passed the self-test, so its cost is paid once (internal; used by
 * selection).
 */
#ifndef VG_SELFTEST_CACHE_H
#define VG_SELFTEST_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "vg/loader.h"

/* Where the pass of `plugin` on `device` is recorded.  The key hashes the
 * plugin file's resolved path, size, modification time, inode and whole
 * content; the device's name, vendor, driver and detail; the plugin-wide
 * probe detail; every option value; and libvg's version and self-test
 * revision: anything that could make the same self-test come out
 * differently.  Returns false when there is no usable cache directory
 * ($XDG_CACHE_HOME/vg/selftest or ~/.cache/vg/selftest, created 0700, owned
 * by the user and writable by nobody else); `why` then says why. */
bool vg_selftest_cache_entry(const vg_loaded_plugin *plugin, uint32_t device,
                             const vg_probe_result *probe, char *path,
                             size_t path_size, char *why, size_t why_size);

/* Whether a pass is recorded at `path`. */
bool vg_selftest_cache_has_pass(const char *path);

/* Record a pass (a failure is never recorded: it is re-tested every run).
 * Best effort: a cache that cannot be written costs time, nothing else. */
void vg_selftest_cache_store_pass(const char *path);

#endif /* VG_SELFTEST_CACHE_H */

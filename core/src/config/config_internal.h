/*
 * config_internal.h - helpers shared by the config_*.c files of libvg.
 *
 * config_common.c: backend names and option entries;
 * config_defaults.c: the built-in defaults and freeing;
 * config_backends.c: the backend order (vg_config_set_backends);
 * config_load.c: the walk over a YAML file;
 * config_output.c: the output: section's crf-or-bitrate rule;
 * config_options.c: plugin options checked against a plugin's table.
 *
 * Internal to libvg (hidden).  Thread-safety: no shared state.
 */
#ifndef VG_CONFIG_INTERNAL_H
#define VG_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/diag.h"
#include "common/strutil.h"
#include "common/yaml.h"
#include "common/yaml_walk.h"
#include "vg/config.h"

/* The file name in marks of values that come from the built-in defaults. */
#define VG_CONFIG_DEFAULTS_NAME "<defaults>"

/* Check one entry of a backend list, given the entries before it: a valid
 * name, not repeated.  Returns 0, or VG_ERR_CONFIG with the problem in
 * `problem` ("backend 'cpu' is listed twice"), for the caller to prefix with
 * where the list came from. */
int vg_config_check_backend(const char *name, char *const *earlier,
                            size_t earlier_count, char *problem, size_t size);

/* Free what one backend_options entry owns (not the entry itself). */
void vg_config_backend_options_clear(vg_config_backend_options *entry);

#endif /* VG_CONFIG_INTERNAL_H */

/*
 * config_internal.h - helpers shared by the config_*.c files of libvg.
 *
 * config_common.c: messages, strings, names and booleans;
 * config_defaults.c: the built-in defaults and freeing;
 * config_backends.c: the backend order (vg_config_set_backends);
 * config_load.c: the walk over a YAML file;
 * config_options.c: plugin options checked against a plugin's table.
 *
 * Internal to libvg (hidden).  Thread-safety: no shared state.
 */
#ifndef VG_CONFIG_INTERNAL_H
#define VG_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "vg/config.h"

/* The file name in marks of values that come from the built-in defaults. */
#define VG_CONFIG_DEFAULTS_NAME "<defaults>"

/* Room for a key path such as "backend_options.opencl.device_types"; longer
 * paths (only possible with made-up keys) are cut short in messages. */
#define VG_CONFIG_PATH_MAX 256

/* Write "FILE:LINE:COLUMN: PATH: message" to err (err may be NULL or
 * err_size 0).  "FILE: " alone when line is 0; no "PATH: " when path is NULL
 * or empty. */
void vg_config_errorf(char *err, size_t err_size, const char *file, int line,
                      int column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* out = "parent.key" (or "key" when parent is empty), cut to size. */
void vg_config_path_join(char *out, size_t size, const char *parent,
                         const char *key);

/* strdup, which C11 lacks.  NULL when out of memory. */
char *vg_config_strdup(const char *s);

/* Free `count` strings and the array; clear both.  NULL is a no-op. */
void vg_config_strv_free(char ***strv, size_t *count);

/* Backend names are [a-z0-9_]+: they name plugin files (vg_<name>.so) and
 * config keys, so nothing that needs quoting or escaping is allowed. */
bool vg_config_backend_name_valid(const char *name);

/* Check one entry of a backend list, given the entries before it: a valid
 * name, not repeated.  Returns 0, or VG_ERR_CONFIG with the problem in
 * `problem` ("backend 'cpu' is listed twice"), for the caller to prefix with
 * where the list came from. */
int vg_config_check_backend(const char *name, char *const *earlier,
                            size_t earlier_count, char *problem, size_t size);

/* Names a user may write for booleans, case-insensitive: true/false and the
 * YAML 1.1 yes/no.  on/off are left out: "device: off" reads as a name.
 * Returns false when `text` is none of them. */
bool vg_config_parse_bool(const char *text, bool *out);

/* Free what one backend_options entry owns (not the entry itself). */
void vg_config_backend_options_clear(vg_config_backend_options *entry);

/* Free the strings of an output: section (not the struct). */
void vg_config_output_clear(vg_config_output *output);

#endif /* VG_CONFIG_INTERNAL_H */

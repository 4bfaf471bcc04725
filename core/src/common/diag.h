/*
 * diag.h - messages that point into a YAML file, shared by the config and
 * job loaders (internal to libvg).  Thread-safety: no shared state.
 */
#ifndef VG_DIAG_H
#define VG_DIAG_H

#include <stddef.h>

/* Room for a key path such as "backend_options.opencl.device_types"; longer
 * paths (only possible with made-up keys) are cut short in messages. */
#define VG_KEY_PATH_MAX 256

/* Write "FILE:LINE:COLUMN: PATH: message" to err (err may be NULL or
 * err_size 0).  "FILE: " alone when line is 0; no "PATH: " when path is NULL
 * or empty. */
void vg_diag_errorf(char *err, size_t err_size, const char *file, int line,
                    int column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* out = "parent.key" (or "key" when parent is empty), cut to size. */
void vg_key_path_join(char *out, size_t size, const char *parent,
                      const char *key);

#endif /* VG_DIAG_H */

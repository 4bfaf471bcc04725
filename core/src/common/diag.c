/*
 * diag.c - "FILE:LINE:COLUMN: KEY.PATH: problem" messages for every YAML
 * file vg reads (config and jobs).
 */
#include <stdarg.h>
#include <stdio.h>

#include "common/diag.h"

void vg_diag_errorf(char *err, size_t err_size, const char *file, int line,
                    int column, const char *path, const char *fmt, ...)
{
    if (err == NULL || err_size == 0)
        return;

    int used;
    if (file == NULL)
        file = "<config>";
    if (line > 0)
        used = snprintf(err, err_size, "%s:%d:%d: ", file, line, column);
    else
        used = snprintf(err, err_size, "%s: ", file);
    if (used >= 0 && (size_t)used < err_size && path != NULL && *path != '\0')
        used += snprintf(err + used, err_size - (size_t)used, "%s: ", path);
    if (used < 0 || (size_t)used >= err_size)
        return;

    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, err_size - (size_t)used, fmt, ap);
    va_end(ap);
}

void vg_key_path_join(char *out, size_t size, const char *parent,
                      const char *key)
{
    if (parent == NULL || *parent == '\0')
        snprintf(out, size, "%s", key);
    else
        snprintf(out, size, "%s.%s", parent, key);
}

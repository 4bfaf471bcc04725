#define _GNU_SOURCE
#include "common/strutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg/plugin.h"

char *vg_path_join(const char *dir, const char *name)
{
    char *out = NULL;
    size_t len = strlen(dir);
    const char *sep = (len > 0 && dir[len - 1] == '/') ? "" : "/";
    if (asprintf(&out, "%s%s%s", dir, sep, name) < 0)
        return NULL;
    return out;
}

char *vg_dirname_dup(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

bool vg_is_backend_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len >= VG_NAME_MAX)
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            return false;
    return true;
}

size_t vg_append(char *buf, size_t size, size_t used, const char *fmt, ...)
{
    if (used >= size)
        return used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    if (n < 0)
        return used;
    size_t written = (size_t)n;
    return used + (written < size - used ? written : size - used - 1);
}

char *vg_strdup(const char *s)
{
    size_t size = strlen(s) + 1;
    char *copy = malloc(size);
    if (copy != NULL)
        memcpy(copy, s, size);
    return copy;
}

void vg_strv_free(char ***strv, size_t *count)
{
    if (*strv != NULL) {
        for (size_t i = 0; i < *count; i++)
            free((*strv)[i]);
        free(*strv);
    }
    *strv = NULL;
    *count = 0;
}

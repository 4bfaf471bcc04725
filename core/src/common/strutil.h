/*
 * strutil.h - small string and path helpers used across libvg (internal).
 */
#ifndef VG_STRUTIL_H
#define VG_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* "dir/name", malloc'ed; NULL on allocation failure. */
char *vg_path_join(const char *dir, const char *name);

/* The directory part of `path` ("." when it has none), malloc'ed. */
char *vg_dirname_dup(const char *path);

/* A backend name is [a-z0-9_]+, at most VG_NAME_MAX - 1 bytes. */
bool vg_is_backend_name(const char *name);

/* snprintf that never overflows and returns the bytes actually written
 * (not the would-be length), so calls can be chained with used += ... */
size_t vg_append(char *buf, size_t size, size_t used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* strdup, which C11 lacks.  NULL when out of memory. */
char *vg_strdup(const char *s);

/* Free `count` strings and the array; clear both.  NULL is a no-op. */
void vg_strv_free(char ***strv, size_t *count);

#endif /* VG_STRUTIL_H */

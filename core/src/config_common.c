/*
 * config_common.c - messages, strings, names and booleans for the config
 * code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

void vg_config_errorf(char *err, size_t err_size, const char *file, int line,
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

void vg_config_path_join(char *out, size_t size, const char *parent,
                         const char *key)
{
    if (parent == NULL || *parent == '\0')
        snprintf(out, size, "%s", key);
    else
        snprintf(out, size, "%s.%s", parent, key);
}

char *vg_config_strdup(const char *s)
{
    size_t size = strlen(s) + 1;
    char *copy = malloc(size);
    if (copy != NULL)
        memcpy(copy, s, size);
    return copy;
}

void vg_config_strv_free(char ***strv, size_t *count)
{
    if (*strv != NULL) {
        for (size_t i = 0; i < *count; i++)
            free((*strv)[i]);
        free(*strv);
    }
    *strv = NULL;
    *count = 0;
}

bool vg_config_backend_name_valid(const char *name)
{
    if (*name == '\0')
        return false;
    for (const char *p = name; *p != '\0'; p++) {
        bool ok =
            (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
        if (!ok)
            return false;
    }
    return true;
}

/* ASCII-only, unlike strcasecmp, whose answer depends on the locale (a
 * Turkish locale does not fold 'I' to 'i'). */
static bool equals_ignoring_case(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char ca = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char cb = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (ca != cb)
            return false;
    }
    return *a == *b;
}

bool vg_config_parse_bool(const char *text, bool *out)
{
    if (equals_ignoring_case(text, "true") ||
        equals_ignoring_case(text, "yes")) {
        *out = true;
        return true;
    }
    if (equals_ignoring_case(text, "false") ||
        equals_ignoring_case(text, "no")) {
        *out = false;
        return true;
    }
    return false;
}

void vg_config_backend_options_clear(vg_config_backend_options *entry)
{
    for (size_t i = 0; i < entry->option_count; i++) {
        vg_config_option *option = &entry->options[i];
        free(option->key);
        free(option->scalar);
        vg_config_strv_free(&option->items, &option->item_count);
    }
    free(entry->options);
    free(entry->backend);
    entry->options = NULL;
    entry->option_count = 0;
    entry->backend = NULL;
}

/*
 * config_backends.c - the backend order: checking names, and replacing the
 * order from a comma-separated list (vgrun --backend, VG_BACKENDS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

int vg_config_check_backend(const char *name, char *const *earlier,
                            size_t earlier_count, char *problem, size_t size)
{
    /* [a-z0-9_]+: names plugin files (vg_<name>.so) and config keys, so
     * nothing that needs quoting or escaping; one check for every name. */
    if (!vg_is_backend_name(name)) {
        snprintf(problem, size,
                 "invalid backend name '%s' (use lowercase letters, digits "
                 "and _)",
                 name);
        return VG_ERR_CONFIG;
    }
    for (size_t i = 0; i < earlier_count; i++) {
        if (strcmp(earlier[i], name) == 0) {
            snprintf(problem, size, "backend '%s' is listed twice", name);
            return VG_ERR_CONFIG;
        }
    }
    return 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A copy of [start, end) without surrounding blanks; NULL when out of
 * memory. */
static char *copy_trimmed(const char *start, const char *end)
{
    while (start < end && is_blank(*start))
        start++;
    while (end > start && is_blank(end[-1]))
        end--;
    size_t length = (size_t)(end - start);
    char *copy = malloc(length + 1);
    if (copy != NULL) {
        memcpy(copy, start, length);
        copy[length] = '\0';
    }
    return copy;
}

static bool all_blank(const char *s)
{
    for (; *s != '\0'; s++) {
        if (!is_blank(*s))
            return false;
    }
    return true;
}

int vg_config_set_backends(vg_config *cfg, const char *list, const char *origin,
                           char *err, size_t err_size)
{
    if (origin == NULL)
        origin = "backend list";
    if (cfg == NULL || list == NULL) {
        vg_diag_errorf(err, err_size, origin, 0, 0, NULL,
                       "no configuration or no list given");
        return VG_ERR_INVALID_ARGUMENT;
    }
    if (all_blank(list)) {
        vg_diag_errorf(err, err_size, origin, 0, 0, NULL,
                       "at least one backend is required");
        return VG_ERR_CONFIG;
    }

    size_t capacity = 1;
    for (const char *p = list; *p != '\0'; p++)
        capacity += *p == ',';
    char **names = calloc(capacity, sizeof(*names));
    size_t count = 0;
    int rc;
    if (names == NULL)
        goto fail_memory;

    for (const char *start = list;;) {
        const char *end = strchr(start, ',');
        if (end == NULL)
            end = start + strlen(start);
        char *name = copy_trimmed(start, end);
        if (name == NULL)
            goto fail_memory;
        char problem[VG_TEXT_MAX];
        rc = vg_config_check_backend(name, names, count, problem,
                                     sizeof(problem));
        names[count++] = name;
        if (rc < 0) {
            vg_diag_errorf(err, err_size, origin, 0, 0, NULL, "%s", problem);
            goto fail;
        }
        if (*end == '\0')
            break;
        start = end + 1;
    }

    vg_strv_free(&cfg->backends, &cfg->backend_count);
    cfg->backends = names;
    cfg->backend_count = count;
    return 0;

fail_memory:
    rc = VG_ERR_NO_MEMORY;
    vg_diag_errorf(err, err_size, origin, 0, 0, NULL, "out of memory");
fail:
    vg_strv_free(&names, &count);
    return rc;
}

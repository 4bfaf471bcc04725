/*
 * config_common.c - backend names and option entries for the config code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

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

void vg_config_backend_options_clear(vg_config_backend_options *entry)
{
    for (size_t i = 0; i < entry->option_count; i++) {
        vg_config_option *option = &entry->options[i];
        free(option->key);
        free(option->scalar);
        vg_strv_free(&option->items, &option->item_count);
    }
    free(entry->options);
    free(entry->backend);
    entry->options = NULL;
    entry->option_count = 0;
    entry->backend = NULL;
}

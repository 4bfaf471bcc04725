/*
 * config_common.c - option entries for the config code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

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

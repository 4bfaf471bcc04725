/*
 * config_options.c - backend_options.<plugin> checked against the plugin's
 * declared option table (vg_option_desc), defaults filled in.
 *
 * The config keeps plugin options raw because only the plugin knows its
 * keys; the checking is done here, in the core, so every plugin gets the
 * same types, the same messages and the same file:line:column, and a plugin
 * can trust the values it is handed (docs/design.md, "The core checks, the
 * plugin trusts").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

/* A FLAGS bitmask has one bit per choice in a non-negative int64. */
#define MAX_CHOICES 63

/* One value to convert: the raw option, or a declared default (a scalar). */
typedef struct raw_value {
    bool is_sequence;
    const char *scalar;
    char *const *items;
    size_t item_count;
} raw_value;

static size_t count_choices(const char *const *choices)
{
    size_t n = 0;
    while (choices[n] != NULL)
        n++;
    return n;
}

/* "a, b, c" into buf, cut to size. */
static void join_choices(const char *const *choices, uint64_t mask_or_all,
                         char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; choices[i] != NULL && used < size; i++) {
        if ((mask_or_all & (UINT64_C(1) << i)) == 0)
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 used > 0 ? ", " : "", choices[i]);
    }
}

/* What a value of this option must look like, for "expected ..." texts. */
static void describe_type(const vg_option_desc *desc, char *buf, size_t size)
{
    char choices[VG_TEXT_MAX];
    switch (desc->type) {
    case VG_OPTION_BOOL:
        snprintf(buf, size, "true or false");
        break;
    case VG_OPTION_INT:
        snprintf(buf, size, "an integer from %lld to %lld",
                 (long long)desc->min, (long long)desc->max);
        break;
    case VG_OPTION_ENUM:
        join_choices(desc->choices, UINT64_MAX, choices, sizeof(choices));
        snprintf(buf, size, "one of: %s", choices);
        break;
    case VG_OPTION_FLAGS:
        join_choices(desc->choices, UINT64_MAX, choices, sizeof(choices));
        snprintf(buf, size, "a list of: %s", choices);
        break;
    default:
        snprintf(buf, size, "a single value");
        break;
    }
}

static int expected(const vg_option_desc *desc, const char *got, char *problem,
                    size_t size)
{
    char what[VG_TEXT_MAX + 32];
    describe_type(desc, what, sizeof(what));
    return vg_yaml_expected_text(problem, size, what, got);
}

/* Decimal only: "010" is ten, and "0x10" is an error rather than sixteen. */
static bool parse_int64(const char *text, int64_t *out)
{
    const char *p = text;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (*p == '\0')
        return false;
    uint64_t magnitude = 0;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned digit = (unsigned)(*p - '0');
        if (magnitude > (limit - digit) / 10)
            return false;
        magnitude = magnitude * 10 + digit;
    }
    *out = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    return true;
}

static int find_choice(const char *const *choices, const char *text)
{
    for (int i = 0; choices[i] != NULL; i++) {
        if (strcmp(choices[i], text) == 0)
            return i;
    }
    return -1;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Add one FLAGS item, [start, end) trimmed, to *mask. */
static int add_flag(const vg_option_desc *desc, const char *start,
                    const char *end, uint64_t *mask, char *problem, size_t size)
{
    while (start < end && is_blank(*start))
        start++;
    while (end > start && is_blank(end[-1]))
        end--;
    char item[VG_NAME_MAX];
    snprintf(item, sizeof(item), "%.*s", (int)(end - start), start);
    int index = find_choice(desc->choices, item);
    if (index < 0 || (size_t)(end - start) >= sizeof(item))
        return expected(desc, item, problem, size);
    *mask |= UINT64_C(1) << index;
    return 0;
}

/* FLAGS from a sequence, or from a comma-separated scalar ("gpu, cpu", as a
 * declared default is written); blank is the empty set. */
static int parse_flags(const vg_option_desc *desc, const raw_value *raw,
                       uint64_t *mask, char *problem, size_t size)
{
    *mask = 0;
    if (raw->is_sequence) {
        for (size_t i = 0; i < raw->item_count; i++) {
            const char *item = raw->items[i];
            int rc =
                add_flag(desc, item, item + strlen(item), mask, problem, size);
            if (rc < 0)
                return rc;
        }
        return 0;
    }
    const char *p = raw->scalar;
    while (is_blank(*p))
        p++;
    if (*p == '\0')
        return 0;
    for (const char *start = raw->scalar;;) {
        const char *end = strchr(start, ',');
        if (end == NULL)
            end = start + strlen(start);
        int rc = add_flag(desc, start, end, mask, problem, size);
        if (rc < 0)
            return rc;
        if (*end == '\0')
            return 0;
        start = end + 1;
    }
}

/* Convert one value.  Returns 0, VG_ERR_CONFIG with `problem` set, or
 * VG_ERR_NO_MEMORY. */
static int convert(const vg_option_desc *desc, const raw_value *raw,
                   vg_option_value *value, char *problem, size_t size)
{
    char text[VG_TEXT_MAX];
    const char *string = text;
    bool flag;
    int64_t integer;
    uint64_t mask;

    if (raw->is_sequence && desc->type != VG_OPTION_FLAGS)
        return expected(desc, NULL, problem, size);

    switch (desc->type) {
    case VG_OPTION_BOOL:
        if (!vg_yaml_parse_bool(raw->scalar, &flag))
            return expected(desc, raw->scalar, problem, size);
        value->integer = flag;
        string = flag ? "true" : "false";
        break;
    case VG_OPTION_INT:
        if (!parse_int64(raw->scalar, &integer) || integer < desc->min ||
            integer > desc->max)
            return expected(desc, raw->scalar, problem, size);
        value->integer = integer;
        snprintf(text, sizeof(text), "%lld", (long long)integer);
        break;
    case VG_OPTION_STRING:
        value->integer = 0;
        string = raw->scalar;
        break;
    case VG_OPTION_ENUM:
        value->integer = find_choice(desc->choices, raw->scalar);
        if (value->integer < 0)
            return expected(desc, raw->scalar, problem, size);
        string = desc->choices[value->integer];
        break;
    case VG_OPTION_FLAGS:
        if (parse_flags(desc, raw, &mask, problem, size) < 0)
            return VG_ERR_CONFIG;
        value->integer = (int64_t)mask;
        /* Normalised to declaration order, so equal sets read the same. */
        join_choices(desc->choices, mask, text, sizeof(text));
        break;
    }

    value->string = vg_strdup(string);
    return value->string == NULL ? VG_ERR_NO_MEMORY : 0;
}

static bool declared_before(const vg_plugin *plugin, uint32_t index)
{
    for (uint32_t i = 0; i < index; i++) {
        if (strcmp(plugin->options[i].name, plugin->options[index].name) == 0)
            return true;
    }
    return false;
}

/* A table the core cannot use is the plugin's bug; say so by name. */
static int check_table(const vg_plugin *plugin, char *err, size_t err_size)
{
    char who[VG_NAME_MAX + 16];
    snprintf(who, sizeof(who), "plugin '%s'", plugin->name);
    if (plugin->option_count > 0 && plugin->options == NULL) {
        vg_diag_errorf(err, err_size, who, 0, 0, NULL,
                       "declares %u options but no option table",
                       (unsigned)plugin->option_count);
        return VG_ERR_PLUGIN;
    }
    for (uint32_t i = 0; i < plugin->option_count; i++) {
        const vg_option_desc *desc = &plugin->options[i];
        const char *problem = NULL;
        bool has_choices =
            desc->type == VG_OPTION_ENUM || desc->type == VG_OPTION_FLAGS;
        if (desc->name == NULL)
            problem = "has no name";
        else if (declared_before(plugin, i))
            problem = "is declared twice";
        else if (desc->type < VG_OPTION_BOOL || desc->type > VG_OPTION_FLAGS)
            problem = "has an unknown type";
        else if (desc->type == VG_OPTION_INT && desc->min > desc->max)
            problem = "has min greater than max";
        else if (has_choices && desc->choices == NULL)
            problem = "has no choices";
        else if (has_choices && (count_choices(desc->choices) == 0 ||
                                 count_choices(desc->choices) > MAX_CHOICES))
            problem = "must have 1 to 63 choices";
        if (problem != NULL) {
            vg_diag_errorf(err, err_size, who, 0, 0, NULL, "option %u (%s) %s",
                           (unsigned)i,
                           desc->name != NULL ? desc->name : "unnamed",
                           problem);
            return VG_ERR_PLUGIN;
        }
    }
    return 0;
}

static const vg_config_backend_options *find_backend(const vg_config *cfg,
                                                     const char *name)
{
    for (size_t i = 0; i < cfg->backend_options_count; i++) {
        if (strcmp(cfg->backend_options[i].backend, name) == 0)
            return &cfg->backend_options[i];
    }
    return NULL;
}

static const vg_config_option *
find_option(const vg_config_backend_options *entry, const char *key)
{
    for (size_t i = 0; entry != NULL && i < entry->option_count; i++) {
        if (strcmp(entry->options[i].key, key) == 0)
            return &entry->options[i];
    }
    return NULL;
}

static void option_path(char *buf, size_t size, const char *backend,
                        const char *key)
{
    snprintf(buf, size, "backend_options.%s.%s", backend, key);
}

/* Every raw key must be one the plugin declares. */
static int check_known(const vg_plugin *plugin,
                       const vg_config_backend_options *entry, char *err,
                       size_t err_size)
{
    for (size_t i = 0; entry != NULL && i < entry->option_count; i++) {
        const vg_config_option *option = &entry->options[i];
        bool known = false;
        for (uint32_t k = 0; k < plugin->option_count && !known; k++)
            known = strcmp(plugin->options[k].name, option->key) == 0;
        if (known)
            continue;

        char names[VG_TEXT_MAX] = "";
        size_t used = 0;
        for (uint32_t k = 0; k < plugin->option_count && used < sizeof(names);
             k++)
            used +=
                (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
                                 k > 0 ? ", " : "", plugin->options[k].name);
        char path[VG_KEY_PATH_MAX];
        option_path(path, sizeof(path), plugin->name, option->key);
        if (plugin->option_count == 0)
            vg_diag_errorf(err, err_size, option->mark.file, option->mark.line,
                           option->mark.column, path,
                           "unknown option '%s' for backend '%s' (it takes "
                           "no options)",
                           option->key, plugin->name);
        else
            vg_diag_errorf(err, err_size, option->mark.file, option->mark.line,
                           option->mark.column, path,
                           "unknown option '%s' for backend '%s' (expected "
                           "one of: %s)",
                           option->key, plugin->name, names);
        return VG_ERR_CONFIG;
    }
    return 0;
}

/* Value i: the raw option if given, else the declared default. */
static int fill_value(const vg_plugin *plugin, const vg_option_desc *desc,
                      const vg_config_option *option, vg_option_value *value,
                      char *err, size_t err_size)
{
    char problem[VG_TEXT_MAX * 2];
    raw_value raw = {
        false, desc->default_value != NULL ? desc->default_value : "", NULL, 0};
    if (option != NULL)
        raw = (raw_value){option->is_sequence, option->scalar, option->items,
                          option->item_count};

    int rc = convert(desc, &raw, value, problem, sizeof(problem));
    if (rc == VG_ERR_NO_MEMORY) {
        vg_diag_errorf(err, err_size, plugin->name, 0, 0, NULL,
                       "out of memory");
    } else if (rc < 0 && option != NULL) {
        char path[VG_KEY_PATH_MAX];
        option_path(path, sizeof(path), plugin->name, desc->name);
        vg_diag_errorf(err, err_size, option->mark.file, option->mark.line,
                       option->mark.column, path, "%s", problem);
    } else if (rc < 0) {
        char who[VG_NAME_MAX + 16];
        snprintf(who, sizeof(who), "plugin '%s'", plugin->name);
        vg_diag_errorf(err, err_size, who, 0, 0, NULL,
                       "invalid default for option '%s': %s", desc->name,
                       problem);
        rc = VG_ERR_PLUGIN;
    }
    return rc;
}

int vg_config_plugin_options(const vg_config *cfg, const vg_plugin *plugin,
                             vg_option_value **values_out, char *err,
                             size_t err_size)
{
    if (values_out != NULL)
        *values_out = NULL;
    if (cfg == NULL || plugin == NULL || plugin->name == NULL ||
        values_out == NULL) {
        vg_diag_errorf(err, err_size, "backend_options", 0, 0, NULL,
                       "no configuration, plugin or result pointer given");
        return VG_ERR_INVALID_ARGUMENT;
    }
    int rc = check_table(plugin, err, err_size);
    if (rc < 0)
        return rc;
    const vg_config_backend_options *entry = find_backend(cfg, plugin->name);
    rc = check_known(plugin, entry, err, err_size);
    if (rc < 0 || plugin->option_count == 0)
        return rc;

    size_t count = plugin->option_count;
    vg_option_value *values = calloc(count, sizeof(*values));
    if (values == NULL) {
        vg_diag_errorf(err, err_size, plugin->name, 0, 0, NULL,
                       "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < count; i++) {
        const vg_option_desc *desc = &plugin->options[i];
        rc = fill_value(plugin, desc, find_option(entry, desc->name),
                        &values[i], err, err_size);
        if (rc < 0) {
            vg_option_values_destroy(&values, count);
            return rc;
        }
    }
    *values_out = values;
    return 0;
}

void vg_option_values_destroy(vg_option_value **values, size_t count)
{
    if (values == NULL || *values == NULL)
        return;
    for (size_t i = 0; i < count; i++)
        free((char *)(*values)[i].string);
    free(*values);
    *values = NULL;
}

/*
 * test_plugin_defaults.c - config.yaml documents every option of every
 * built-in plugin with the plugin's own default, so the built-in defaults
 * and the shipped config.yaml can never disagree.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/loader.h"

static void check_plugin(const char *name)
{
    char path[1024], err[1024];
    snprintf(path, sizeof path, "%s/vg_%s.so", VG_TEST_PLUGIN_DIR, name);
    if (access(path, R_OK) != 0)
        cr_skip_test("%s was not built here", path);
    vg_loaded_plugin *lp = NULL;
    cr_assert_eq(vg_plugin_load(path, &lp, err, sizeof err), 0, "%s", err);
    const vg_plugin *desc = vg_loaded_plugin_descriptor(lp);

    vg_config *defaults = NULL, *shipped = NULL;
    cr_assert_eq(vg_config_create_default(&defaults), 0);
    cr_assert_eq(vg_config_load(VG_TEST_SOURCE_DIR "/config.yaml", &shipped,
                                err, sizeof err),
                 0, "%s", err);
    vg_option_value *from_defaults = NULL, *from_shipped = NULL;
    cr_assert_eq(vg_config_plugin_options(defaults, desc, &from_defaults, err,
                                          sizeof err),
                 0, "%s", err);
    cr_assert_eq(
        vg_config_plugin_options(shipped, desc, &from_shipped, err, sizeof err),
        0, "%s", err);
    for (uint32_t i = 0; i < desc->option_count; i++) {
        cr_assert_eq(from_defaults[i].integer, from_shipped[i].integer, "%s.%s",
                     name, desc->options[i].name);
        cr_assert_str_eq(from_defaults[i].string, from_shipped[i].string,
                         "%s.%s", name, desc->options[i].name);
    }

    /* every option is written out in config.yaml, so users can see it */
    const vg_config_backend_options *section = NULL;
    for (size_t i = 0; i < shipped->backend_options_count; i++)
        if (strcmp(shipped->backend_options[i].backend, name) == 0)
            section = &shipped->backend_options[i];
    cr_assert_not_null(section, "config.yaml has no backend_options.%s", name);
    cr_assert_eq(section->option_count, desc->option_count,
                 "config.yaml lists %zu options for %s, the plugin has %u",
                 section->option_count, name, desc->option_count);

    vg_option_values_destroy(&from_defaults, desc->option_count);
    vg_option_values_destroy(&from_shipped, desc->option_count);
    vg_config_destroy(&defaults);
    vg_config_destroy(&shipped);
    vg_plugin_unload(&lp);
}

Test(plugin_defaults, cpu)
{
    check_plugin("cpu");
}

Test(plugin_defaults, opencl)
{
    check_plugin("opencl");
}

Test(plugin_defaults, cuda)
{
    check_plugin("cuda");
}

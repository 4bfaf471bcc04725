/*
 * main.c - vgrun: render a video job on the best backend that works here.
 */
#include <stdio.h>

#include "vgrun.h"

int main(int argc, char **argv)
{
    vgrun_options opts;
    int rc = vgrun_parse_args(argc, argv, &opts);
    if (rc != 0)
        return rc;
    if (opts.mode == VGRUN_HELP) {
        vgrun_print_help(stdout);
        return VGRUN_EXIT_OK;
    }
    if (opts.mode == VGRUN_VERSION) {
        printf("vgrun %s (plugin ABI %u)\n", VG_VERSION_STRING,
               VG_PLUGIN_ABI_VERSION);
        return VGRUN_EXIT_OK;
    }
    vg_config *cfg = NULL;
    rc = vgrun_load_config(&opts, &cfg);
    if (rc != 0)
        return rc;
    switch (opts.mode) {
    case VGRUN_LIST_BACKENDS:
        rc = vgrun_list_backends(&opts, cfg);
        break;
    case VGRUN_DOCTOR:
        rc = vgrun_doctor(cfg);
        break;
    case VGRUN_INFO:
        rc = vgrun_info(&opts, cfg);
        break;
    default:
        rc = vgrun_render(&opts, cfg);
    }
    vg_config_destroy(&cfg);
    return rc;
}

/*
 * main.c - vg-conformance: check a backend plugin against the reference,
 * with only an installed vg (no source tree, no test framework).
 *
 *   vg-conformance ./vg_mine.so          a plugin file
 *   vg-conformance mine                  a backend on the plugin search path
 *
 * Exit status: 0 every check passed; 1 a check failed (the first difference
 * is named: kernel, case, size, plane, row, byte, got and expected); 2 bad
 * arguments; 3 the plugin is not usable here (the stage and reason are
 * printed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"
#include "vg/loader.h"
#include "vg/version.h"

enum { EXIT_PASS = 0, EXIT_MISMATCH = 1, EXIT_USAGE = 2, EXIT_UNUSABLE = 3 };

static void print_help(FILE *out)
{
    fputs("Usage: vg-conformance [OPTION]... PLUGIN\n"
          "Check a vg backend plugin: every kernel at many sizes, on random "
          "and\n"
          "worst-case inputs, compared byte for byte with the reference.\n"
          "PLUGIN is a plugin file (vg_NAME.so, given with a '/') or a "
          "backend name\n"
          "looked up on the plugin search path.\n"
          "\n"
          "  -k, --check NAME      run only this check (repeatable):",
          out);
    /* the check names: upload_download and one per kernel */
    for (int k = 0, column = 57; k < VGC_CHECK_COUNT; k++) {
        const char *name = vgc_check_name((vgc_check)k);
        size_t len = strlen(name) + 2;
        if (column + (int)len > 78) {
            fputs("\n                       ", out);
            column = 23;
        }
        fprintf(out, " %s%s", name, k + 1 < VGC_CHECK_COUNT ? "," : "\n");
        column += (int)len;
    }
    fputs("  -O, --options YAML    the plugin's options as a YAML mapping, "
          "e.g.\n"
          "                        '{device_types: [all]}'\n"
          "  -h, --help            show this help\n"
          "  -V, --version         show the version\n"
          "\n"
          "Exit status: 0 every check passed; 1 a check failed (the first "
          "difference\n"
          "is named); 2 bad arguments; 3 the plugin is not usable here.\n",
          out);
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "vg-conformance: %s '%s'\nTry 'vg-conformance --help'.\n",
            what, arg);
    return EXIT_USAGE;
}

/* PLUGIN given as a file: its backend name and its directory (absolute,
 * so the search path does not depend on the working directory). */
static int plugin_from_file(const char *arg, char *name, size_t name_size,
                            char **dir)
{
    if (!vg_plugin_name_from_path(arg, name, name_size))
        return usage_error("not a plugin file name (expected vg_NAME.so):",
                           arg);
    char *full = realpath(arg, NULL);
    if (!full) {
        fprintf(stderr, "vg-conformance: cannot open '%s': %s\n", arg,
                strerror(errno));
        return EXIT_USAGE;
    }
    *strrchr(full, '/') = '\0';
    *dir = full[0] ? full : strcpy(full, "/");
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"check", required_argument, NULL, 'k'},
        {"options", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    bool selected[VGC_CHECK_COUNT] = {false};
    bool any_selected = false;
    const char *options_yaml = NULL;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":k:O:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'k': {
            vgc_check check = vgc_check_from_name(optarg);
            if (check == VGC_CHECK_COUNT)
                return usage_error("unknown check", optarg);
            selected[check] = any_selected = true;
            break;
        }
        case 'O':
            options_yaml = optarg;
            break;
        case 'h':
            print_help(stdout);
            return EXIT_PASS;
        case 'V':
            printf("vg-conformance %s (plugin ABI %u)\n", vg_version(),
                   VG_PLUGIN_ABI_VERSION);
            return EXIT_PASS;
        case ':':
            return usage_error("option needs a value:", argv[optind - 1]);
        default:
            return usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc) {
        fputs("vg-conformance: give exactly one PLUGIN (a vg_NAME.so file or "
              "a backend name)\nTry 'vg-conformance --help'.\n",
              stderr);
        return EXIT_USAGE;
    }
    const char *arg = argv[optind];
    char name[VG_NAME_MAX];
    char *dir = NULL;
    if (strchr(arg, '/')) {
        int rc = plugin_from_file(arg, name, sizeof name, &dir);
        if (rc != 0)
            return rc;
    } else if (snprintf(name, sizeof name, "%s", arg) >= (int)sizeof name) {
        return usage_error("backend name too long:", arg);
    }

    char reason[2048];
    vgc_session *session = NULL;
    int rc = vgc_session_create(name, dir, options_yaml, &session, reason,
                                sizeof reason);
    free(dir);
    if (rc != 0) {
        fprintf(stderr, "vg-conformance: %s\n", reason);
        return rc == VG_ERR_CONFIG ? EXIT_USAGE : EXIT_UNUSABLE;
    }
    int status = EXIT_PASS;
    for (int k = 0; k < VGC_CHECK_COUNT && status == EXIT_PASS; k++) {
        if (any_selected && !selected[k])
            continue;
        char msg[1024];
        rc = vgc_run(session, (vgc_check)k, msg, sizeof msg);
        if (rc == 0) {
            printf("PASS %s\n", vgc_check_name((vgc_check)k));
        } else {
            printf("FAIL %s: %s\n", vgc_check_name((vgc_check)k), msg);
            status = EXIT_MISMATCH;
        }
        fflush(stdout);
    }
    if (status == EXIT_PASS)
        printf("%s conforms: every byte equals the reference\n", name);
    vgc_session_destroy(&session);
    return status;
}

/*
 * test_man_pages.c - the installed man pages say what the programs do.
 *
 * The OPTIONS sections of vgrun(1), vg-conformance(1) and vgjoin(1) must list
 * exactly
 * the long options of the program's --help, so neither can gain or lose an
 * option alone; every page must format without a groff warning.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define MAX_OPTIONS 64

typedef struct option_set {
    char *names[MAX_OPTIONS];
    size_t count;
} option_set;

static void add_name(option_set *set, const char *start, size_t len)
{
    for (size_t i = 0; i < set->count; i++)
        if (strlen(set->names[i]) == len &&
            strncmp(set->names[i], start, len) == 0)
            return;
    cr_assert_lt(set->count, MAX_OPTIONS);
    set->names[set->count++] = strndup(start, len);
}

/* Every "--name" in `line`; in roff text a dash may be written "\-". */
static void collect_long_options(const char *line, option_set *set)
{
    char plain[512];
    size_t n = 0;
    for (const char *p = line; *p && n + 1 < sizeof plain; p++) {
        if (p[0] == '\\' && p[1] == '-')
            continue; /* "\-" is a dash */
        plain[n++] = *p;
    }
    plain[n] = '\0';
    for (const char *p = strstr(plain, "--"); p; p = strstr(p, "--")) {
        const char *start = p + 2;
        size_t len = strspn(start, "abcdefghijklmnopqrstuvwxyz-");
        if (len > 0 && (p == plain || p[-1] == ' ' || p[-1] == '"'))
            add_name(set, start, len);
        p = start + len;
    }
}

static void free_set(option_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        free(set->names[i]);
}

static bool contains(const option_set *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->names[i], name) == 0)
            return true;
    return false;
}

/* The option lines of --help: those that start with spaces and a dash. */
static void help_options(const char *program, option_set *set)
{
    const char *argv[] = {program, "--help", NULL};
    vgt_run_result r = vgt_run(argv, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *save = NULL;
    for (char *line = strtok_r(r.out, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        const char *p = line + strspn(line, " ");
        if (p != line && *p == '-')
            collect_long_options(p, set);
    }
    vgt_run_result_free(&r);
}

/* The tagged lines (the line after each .TP) of the OPTIONS section. */
static void man_options(const char *page, option_set *set)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/man/%s", VG_TEST_SOURCE_DIR, page);
    size_t size = 0;
    char *text = vgt_read_file(path, &size);
    cr_assert_not_null(text, "cannot read %s", path);
    bool in_options = false, tag_next = false;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, ".SH", 3) == 0) {
            in_options = strcmp(line, ".SH OPTIONS") == 0;
            continue;
        }
        if (!in_options)
            continue;
        if (strcmp(line, ".TP") == 0) {
            tag_next = true;
            continue;
        }
        if (tag_next)
            collect_long_options(line, set);
        tag_next = false;
    }
    free(text);
}

/* The long options of `program --help` and of `page`'s OPTIONS section
 * are the same set; `at_least` catches a --help the parser misread. */
static void expect_same_options(const char *program, const char *page,
                                size_t at_least)
{
    option_set help = {0}, man = {0};
    help_options(program, &help);
    man_options(page, &man);
    cr_assert_geq(help.count, at_least, "%s --help lists only %zu long options",
                  program, help.count);
    for (size_t i = 0; i < help.count; i++)
        cr_expect(contains(&man, help.names[i]),
                  "%s --help has --%s but %s's OPTIONS does not", program,
                  help.names[i], page);
    for (size_t i = 0; i < man.count; i++)
        cr_expect(contains(&help, man.names[i]),
                  "%s's OPTIONS has --%s but %s --help does not", page,
                  man.names[i], program);
    free_set(&help);
    free_set(&man);
}

Test(man_pages, vgrun_options_match_help)
{
    expect_same_options(VG_TEST_VGRUN, "vgrun.1", 10);
}

Test(man_pages, vg_conformance_options_match_help)
{
    expect_same_options(VG_TEST_CONFORMANCE, "vg-conformance.1", 4);
}

Test(man_pages, vgjoin_options_match_help)
{
    expect_same_options(VG_TEST_VGJOIN, "vgjoin.1", 3);
}

Test(man_pages, pages_format_without_warnings)
{
    static const char *const pages[] = {"vgrun.1", "vg-conformance.1",
                                        "vgjoin.1", "vg-plugin.7"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/docs/man/%s", VG_TEST_SOURCE_DIR,
                 pages[i]);
        /* groff reports unknown requests and bad escapes on stderr. */
        const char *argv[] = {
            "/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", path, NULL};
        vgt_run_result r = vgt_run(argv, NULL);
        cr_expect_eq(r.exit_code, 0, "groff failed on %s", pages[i]);
        cr_expect_str_empty(r.err, "groff warns about %s: %s", pages[i], r.err);
        vgt_run_result_free(&r);
    }
}

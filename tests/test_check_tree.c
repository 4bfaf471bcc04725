/*
 * test_check_tree.c - scripts/check-tree.sh, the structural checks CI runs,
 * passes on this tree and fails, naming the place, on a small tree with one
 * of each problem: an upward include, a slot list written out by hand, a
 * broken relative link or anchor, and (VG_CHECK_FORMAT=1) an unformatted
 * C file.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

#define SCRIPT VG_TEST_SOURCE_DIR "/scripts/check-tree.sh"

static vgt_run_result check(const char *root, bool format)
{
    char *root_env = NULL;
    cr_assert(asprintf(&root_env, "VG_CHECK_ROOT=%s", root) > 0);
    const char *argv[] = {"/bin/bash", SCRIPT, NULL};
    const char *env[] = {root ? root_env : "VG_CHECK_ROOT",
                         format ? "VG_CHECK_FORMAT=1" : "VG_CHECK_FORMAT",
                         NULL};
    vgt_run_result r = vgt_run(argv, env);
    free(root_env);
    return r;
}

static void put(const char *root, const char *rel, const char *text)
{
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/%s", root, rel) > 0);
    /* mkdir -p of the parent */
    for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    vgt_write_file(path, text, strlen(text));
    free(path);
}

static void copy_in(const char *root, const char *rel)
{
    char *from = NULL;
    cr_assert(asprintf(&from, "%s/%s", VG_TEST_SOURCE_DIR, rel) > 0);
    size_t size = 0;
    char *text = vgt_read_file(from, &size);
    cr_assert_not_null(text, "cannot read %s", from);
    put(root, rel, text);
    free(text);
    free(from);
}

static void expect_finding(const vgt_run_result *r, const char *text)
{
    cr_assert(strstr(r->err, text) != NULL, "no '%s' in:\n%s", text, r->err);
}

Test(check_tree, this_tree_passes)
{
    vgt_run_result r = check(NULL, false);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "check-tree: ok") != NULL, "%s", r.out);
    vgt_run_result_free(&r);
}

static char *broken_tree(void)
{
    char *root = vgt_make_temp_dir("check-tree");
    copy_in(root, "core/include/vg/plugin.h");
    copy_in(root, ".clang-format");
    /* layers: common/ may not include job/ */
    put(root, "core/src/common/low.c", "#include \"job/high.h\"\n");
    put(root, "core/src/job/high.h", "/* high */\n");
    /* a descriptor written out by hand */
    put(root, "plugins/x/x_entry.c",
        "static const vg_plugin p = {\n"
        "    .probe = x_probe,\n"
        "    .open = x_open,\n"
        "    .blur = x_blur,\n"
        "};\n");
    /* links: one missing file, one missing anchor, one good anchor, and a
     * code span and a code block that are not links */
    put(root, "docs/a.md",
        "# A\n"
        "See [b](b.md#present) and [c](c.md).\n"
        "Also [b again](b.md#absent) and `[not](a-link.md)`.\n"
        "```\n[not](either.md)\n```\n"
        "[web](https://example.com/x.md) [self](#a)\n");
    put(root, "docs/b.md", "# B\n\n## Present\n");
    /* an unformatted C file */
    put(root, "tools/ugly.c", "int   ugly ( void ) {return 0;}\n");
    return root;
}

Test(check_tree, each_problem_is_found_and_placed)
{
    char *root = broken_tree();
    vgt_run_result r = check(root, false);
    cr_assert_eq(r.exit_code, 1, "%s", r.err);
    expect_finding(&r, "core/src/common/low.c:1: common/ includes "
                       "\"job/high.h\" from a higher layer (job/)");
    expect_finding(&r, "plugins/x/x_entry.c: assigns 3 descriptor slots by "
                       "hand");
    expect_finding(&r, "docs/a.md:2: link to c.md: c.md does not exist");
    expect_finding(&r, "docs/a.md:3: link to b.md#absent: no heading "
                       "'#absent' in docs/b.md");
    cr_assert(strstr(r.err, "b.md#present") == NULL, "%s", r.err);
    cr_assert(strstr(r.err, "a-link.md") == NULL, "%s", r.err);
    cr_assert(strstr(r.err, "either.md") == NULL, "%s", r.err);
    cr_assert(strstr(r.err, "example.com") == NULL, "%s", r.err);
    cr_assert(strstr(r.err, "link to #a") == NULL, "%s", r.err);
    /* the format check is off unless asked for */
    cr_assert(strstr(r.err, "ugly.c") == NULL, "%s", r.err);
    vgt_run_result_free(&r);
    free(root);
}

Test(check_tree, format_check_on_request)
{
    if (system("command -v clang-format >/dev/null 2>&1") != 0)
        cr_skip_test("clang-format is not installed");
    char *root = broken_tree();
    vgt_run_result r = check(root, true);
    cr_assert_eq(r.exit_code, 1, "%s", r.err);
    expect_finding(&r, "tools/ugly.c: does not follow .clang-format");
    cr_assert(strstr(r.err, "core/src/job/high.h: does not follow") == NULL,
              "%s", r.err);
    vgt_run_result_free(&r);
    free(root);
}

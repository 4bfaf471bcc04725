/*
 * test_conformance_tool.c - vg-conformance, as a plugin author runs it.
 *
 * The tool must pass a correct plugin, and catch and name a plugin that is
 * wrong only at x >= 200 (which the self-test's small frames cannot see):
 * the kernel, the case, the size and the first differing byte.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "test_support.h"

static vgt_run_result conformance(const char *const *args,
                                  const char *const *env)
{
    const char *argv[8] = {VG_TEST_CONFORMANCE};
    size_t n = 1;
    for (; args[n - 1] && n < 7; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    return vgt_run(argv, env);
}

Test(conformance_tool, correct_plugin_file_passes)
{
    const char *args[] = {"--check",
                          "blend",
                          "--check",
                          "warp_affine",
                          VG_TEST_PLUGIN_DIR "/vg_faulty.so",
                          NULL};
    vgt_run_result r = conformance(args, NULL);
    cr_assert_eq(r.exit_code, 0, "stdout: %s\nstderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "PASS warp_affine\n"), "%s", r.out);
    cr_assert(strstr(r.out, "PASS blend\n"), "%s", r.out);
    cr_assert(strstr(r.out, "faulty conforms"), "%s", r.out);
    cr_assert_null(strstr(r.out, "PASS fill_pattern"),
                   "only the chosen checks run");
    vgt_run_result_free(&r);
}

/* A warp wrong only from column 200: the selection's self-test (it runs at
 * 257x131 and 1920x8) refuses the plugin before any conformance check, and
 * the tool reports the stage and the first differing byte. */
Test(conformance_tool, names_first_difference_of_plugin_wrong_from_x_200)
{
    const char *args[] = {VG_TEST_PLUGIN_DIR "/vg_faulty.so", NULL};
    const char *env[] = {"VG_FAULTY=warp_wrong_from_x=200", NULL};
    vgt_run_result r = conformance(args, env);
    cr_assert_eq(r.exit_code, 3, "stdout: %s\nstderr: %s", r.out, r.err);
    cr_assert(strstr(r.err, "vg-conformance: faulty: not usable at self-test: "
                            "Faulty Test GPU: self-test: warp_affine output "
                            "differs from the reference at 257x131 (plane 0, "
                            "row 0, byte 800: got "),
              "%s", r.err);
    cr_assert_null(strstr(r.out, "conforms"), "%s", r.out);
    vgt_run_result_free(&r);
}

Test(conformance_tool, backend_name_on_search_path)
{
    const char *args[] = {"--check", "upload_download", "cpu", NULL};
    vgt_run_result r = conformance(args, NULL);
    cr_assert_eq(r.exit_code, 0, "stdout: %s\nstderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "cpu conforms"), "%s", r.out);
    vgt_run_result_free(&r);
}

Test(conformance_tool, unusable_plugin_says_stage_and_reason)
{
    const char *args[] = {VG_TEST_PLUGIN_DIR "/vg_faulty.so", NULL};
    const char *env[] = {"VG_FAULTY=open_fail", NULL};
    vgt_run_result r = conformance(args, env);
    cr_assert_eq(r.exit_code, 3, "stdout: %s\nstderr: %s", r.out, r.err);
    cr_assert(strstr(r.err, "vg-conformance: faulty: not usable at open: "),
              "%s", r.err);
    cr_assert(strstr(r.err, "injected open failure"), "%s", r.err);
    vgt_run_result_free(&r);
}

Test(conformance_tool, bad_arguments)
{
    const char *not_plugin[] = {"/etc/passwd", NULL};
    vgt_run_result r = conformance(not_plugin, NULL);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "not a plugin file name (expected vg_NAME.so): "
                            "'/etc/passwd'"),
              "%s", r.err);
    vgt_run_result_free(&r);

    const char *missing[] = {"/nonexistent/vg_none.so", NULL};
    r = conformance(missing, NULL);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "cannot open '/nonexistent/vg_none.so'"), "%s",
              r.err);
    vgt_run_result_free(&r);

    const char *bad_check[] = {"--check", "sharpen", "cpu", NULL};
    r = conformance(bad_check, NULL);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "unknown check 'sharpen'"), "%s", r.err);
    vgt_run_result_free(&r);

    const char *none[] = {NULL};
    r = conformance(none, NULL);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "give exactly one PLUGIN"), "%s", r.err);
    vgt_run_result_free(&r);
}

/*
 * test_verify.c - run-time verification (vg/verify.h, vgrun --verify): a
 * backend that passes the self-test and then renders wrong bytes is caught
 * at the first verified frame, before it is written, and the run fails
 * over with the frame, plane, row and byte.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/selftest.h"
#include "test_support.h"
#include "vg/config.h"

typedef struct files {
    char *dir, *job, *out, *cpu_out, *report;
} files;

static files setup_files(const char *tag)
{
    files f = {0};
    f.dir = vgt_make_temp_dir(tag);
    cr_assert(asprintf(&f.job, "%s/job.yaml", f.dir) > 0);
    cr_assert(asprintf(&f.out, "%s/out.y4m", f.dir) > 0);
    cr_assert(asprintf(&f.cpu_out, "%s/cpu.y4m", f.dir) > 0);
    cr_assert(asprintf(&f.report, "%s/report.json", f.dir) > 0);
    const char *yaml = "width: 96\nheight: 64\n"
                       "clips: [{pattern: testsrc, frames: 6}]\n";
    vgt_write_file(f.job, yaml, strlen(yaml));
    return f;
}

static void free_files(files *f)
{
    free(f->dir);
    free(f->job);
    free(f->out);
    free(f->cpu_out);
    free(f->report);
}

/* faulty, right through the self-test and wrong from a few calls later. */
static char *late_fault(void)
{
    char *env = NULL;
    cr_assert(asprintf(&env, "VG_FAULTY=wrong_after_calls=%d",
                       VG_SELFTEST_KERNEL_CALLS + 3) > 0);
    return env;
}

static vgt_run_result run_vgrun(const files *f, const char *backends,
                                const char *verify, const char *out,
                                const char *fault)
{
    const char *argv[] = {VG_TEST_VGRUN,
                          "-v",
                          "-y",
                          f->job,
                          "--backend",
                          backends,
                          "-o",
                          out,
                          "--json-report",
                          f->report,
                          verify ? "--verify" : NULL,
                          verify,
                          NULL};
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS",
                         "VG_PLUGIN_PATH=" VG_TEST_PLUGIN_DIR,
                         fault ? fault : "VG_FAULTY", NULL};
    return vgt_run(argv, env);
}

static bool same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *x = vgt_read_file(a, &na), *y = vgt_read_file(b, &nb);
    cr_assert(x && y);
    bool same = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

Test(verify, wrong_frame_is_caught_before_it_is_written)
{
    files f = setup_files("verify-catch");
    char *fault = late_fault();
    vgt_run_result r = run_vgrun(&f, "cpu", NULL, f.cpu_out, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);

    r = run_vgrun(&f, "faulty,cpu", "1", f.out, fault);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.err, "vgrun: faulty failed at frame ") &&
                  strstr(r.err, " differs from the cpu backend: plane 0, "
                                "row 0, byte 0 (got "),
              "%s", r.err);
    cr_assert(same_file(f.out, f.cpu_out), "every written frame is right");
    char *report = vgt_read_file(f.report, NULL);
    cr_assert(strstr(report, "\"code_name\": \"VG_ERR_MISMATCH\""), "%s",
              report);
    cr_assert(strstr(report, "\"verified_frames\": [0],"), "%s", report);
    free(report);
    vgt_run_result_free(&r);
    free(fault);
    free_files(&f);
}

/* The control: unverified, the same fault reaches the output, so the test
 * above can fail. */
Test(verify, unverified_fault_reaches_the_output)
{
    files f = setup_files("verify-off");
    char *fault = late_fault();
    vgt_run_result r = run_vgrun(&f, "cpu", NULL, f.cpu_out, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);
    r = run_vgrun(&f, "faulty,cpu", "0", f.out, fault);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(!same_file(f.out, f.cpu_out));
    char *report = vgt_read_file(f.report, NULL);
    cr_assert(strstr(report, "\"verified_frames\": [],"), "%s", report);
    free(report);
    vgt_run_result_free(&r);
    free(fault);
    free_files(&f);
}

/* The default (verify: 100) checks frame 0 of a non-cpu backend; the cpu
 * backend itself is never checked against itself. */
Test(verify, default_checks_frame_zero_of_non_cpu_backends)
{
    files f = setup_files("verify-default");
    vgt_run_result r = run_vgrun(&f, "faulty,cpu", NULL, f.out, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *report = vgt_read_file(f.report, NULL);
    cr_assert(strstr(report, "\"verified_frames\": [0],"), "%s", report);
    free(report);
    cr_assert(strstr(r.err, "vgrun: 1 frame verified against the cpu backend"),
              "%s", r.err);
    vgt_run_result_free(&r);
    r = run_vgrun(&f, "cpu", NULL, f.out, NULL);
    report = vgt_read_file(f.report, NULL);
    cr_assert(strstr(report, "\"verified_frames\": [],"), "%s", report);
    free(report);
    vgt_run_result_free(&r);
    free_files(&f);
}

Test(verify, config_key_and_option)
{
    char err[1024];
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    cr_assert_eq(cfg->verify, 100);
    vg_config_destroy(&cfg);
    cr_assert_eq(
        vg_config_load_string("verify: 0\n", "t.yaml", &cfg, err, sizeof err),
        0, "%s", err);
    cr_assert_eq(cfg->verify, 0);
    vg_config_destroy(&cfg);
    cr_assert_eq(
        vg_config_load_string("verify: -1\n", "t.yaml", &cfg, err, sizeof err),
        VG_ERR_CONFIG);
    cr_assert_str_eq(err, "t.yaml:1:9: verify: expected a frame interval from "
                          "0 (off) to 1000000, got '-1'");
    const char *argv[] = {VG_TEST_VGRUN, "--verify", "often", NULL};
    vgt_run_result r = vgt_run(argv, NULL);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "--verify expects a frame interval from 0 (off) "
                            "to 1000000, got 'often'"),
              "%s", r.err);
    vgt_run_result_free(&r);
}

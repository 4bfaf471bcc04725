/*
 * test_selection.c - the selection pipeline: each stage's reason, the three
 * policy keys, and failover after a run-time failure.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/selftest.h"
#include "test_support.h"
#include "vg/config.h"
#include "vg/select.h"

static const vg_job_limits limits = {.max_width = 64, .max_height = 64};

typedef struct selection {
    vg_config *cfg;
    vg_selector *sel;
    vg_backend *backend;
    int rc;
    char err[2048];
} selection;

/* Select with a config given as YAML; the faulty2 plugin is on the path. */
static selection *select_with(const char *yaml)
{
    setenv("VG_PLUGIN_PATH", VG_TEST_EXTRA_PLUGIN_DIR, 1);
    selection *s = calloc(1, sizeof *s);
    cr_assert_eq(vg_config_load_string(yaml, "test.yaml", &s->cfg, s->err,
                                       sizeof s->err),
                 0, "%s", s->err);
    cr_assert_eq(vg_selector_create(s->cfg, &limits, &s->sel), 0);
    s->rc = vg_selector_next(s->sel, &s->backend, s->err, sizeof s->err);
    return s;
}

static void selection_free(selection *s)
{
    vg_backend_close(&s->backend);
    vg_selector_destroy(&s->sel);
    vg_config_destroy(&s->cfg);
    free(s);
}

static const vg_attempt *attempt(const selection *s, size_t i)
{
    cr_assert_lt(i, vg_selector_attempt_count(s->sel));
    return vg_selector_attempt(s->sel, i);
}

static void expect_selected(const selection *s, const char *name)
{
    cr_assert_eq(s->rc, 0, "selection failed: %s", s->err);
    cr_assert_str_eq(vg_backend_name(s->backend), name);
    size_t n = vg_selector_attempt_count(s->sel);
    cr_assert_eq(attempt(s, n - 1)->stage, VG_STAGE_SELECTED);
    cr_assert_str_eq(attempt(s, n - 1)->backend, name);
}

static void expect_skip(const selection *s, size_t i, const char *name,
                        vg_stage stage, const char *text)
{
    const vg_attempt *a = attempt(s, i);
    cr_assert_str_eq(a->backend, name);
    cr_assert_eq(a->stage, stage, "stage %s, reason: %s",
                 vg_stage_name(a->stage), a->reason);
    cr_assert(strstr(a->reason, text), "expected '%s' in: %s", text, a->reason);
}

Test(selection, first_working_backend_is_selected)
{
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_selected(s, "faulty");
    cr_assert_eq(vg_selector_attempt_count(s->sel), 1);
    cr_assert_str_eq(attempt(s, 0)->device_name, "Faulty Test GPU");
    selection_free(s);
}

Test(selection, missing_plugin_file)
{
    selection *s = select_with("backends: [nosuch, cpu]\n");
    expect_skip(s, 0, "nosuch", VG_STAGE_FIND,
                "plugin file vg_nosuch.so not found in");
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, broken_plugin_file_names_the_file)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml, "plugin_dirs: [%s]\nbackends: [noentry, cpu]\n",
             VG_TEST_BROKEN_PLUGIN_DIR);
    selection *s = select_with(yaml);
    expect_skip(s, 0, "noentry", VG_STAGE_LOAD,
                VG_TEST_BROKEN_PLUGIN_DIR "/vg_noentry.so: not a vg plugin");
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, probe_failure)
{
    setenv("VG_FAULTY", "probe_fail", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_PROBE,
                "probe failed: injected probe failure");
    cr_assert_eq(attempt(s, 0)->code, VG_ERR_DRIVER);
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, no_device)
{
    setenv("VG_FAULTY", "no_device", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_PROBE, "injected: no device");
    cr_assert_eq(attempt(s, 0)->code, VG_ERR_NO_DEVICE);
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, crash_during_probe_is_a_reason)
{
    setenv("VG_FAULTY", "crash_in_probe", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_PROBE, "crashed in probe (SIGSEGV)");
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, capability_rejection)
{
    setenv("VG_FAULTY", "caps_reject", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_CHECK,
                "Faulty Test GPU: injected capability rejection");
    expect_selected(s, "cpu");
    selection_free(s);
}

/* A plugin's reason of VG_REASON_MAX - 1 bytes (the longest the core's
 * buffer takes) is recorded whole, behind the device name. */
Test(selection, longest_plugin_reason_arrives_whole)
{
    setenv("VG_FAULTY", "long_reason", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_CHECK,
                "Faulty Test GPU: injected long capability rejection:");
    const char *reason = attempt(s, 0)->reason;
    size_t len = strlen(reason);
    cr_assert_eq(len, strlen("Faulty Test GPU: ") + VG_REASON_MAX - 1,
                 "reason cut at %zu bytes", len);
    cr_assert_str_eq(reason + len - 14, " end of reason");
    expect_selected(s, "cpu");
    selection_free(s);
}

/* A probe reason longer than vg_probe_result.reason comes whole through
 * ABI 2's probe_with_reason, from the child process and in-process. */
static void expect_long_probe_reason(void)
{
    setenv("VG_FAULTY", "long_probe_reason", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_PROBE,
                "injected long no-device reason:");
    cr_assert_eq(attempt(s, 0)->code, VG_ERR_NO_DEVICE);
    const char *reason = attempt(s, 0)->reason;
    size_t len = strlen(reason);
    cr_assert_eq(len, VG_REASON_MAX - 1, "reason cut at %zu bytes", len);
    cr_assert_str_eq(reason + len - 14, " end of reason");
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, longest_probe_reason_arrives_whole)
{
    expect_long_probe_reason();
}

Test(selection, longest_probe_reason_arrives_whole_in_process)
{
    setenv("VG_PLUGIN_SCAN", "inprocess", 1);
    expect_long_probe_reason();
}

/* An ABI 1 plugin's descriptor ends at sync: the loader must not read
 * probe_with_reason beyond it, and the plugin works as before. */
Test(selection, abi1_plugin_probes_with_probe)
{
    setenv("VG_FAULTY", "v1_descriptor,long_probe_reason", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_PROBE,
                "injected: no device (the long reason is in "
                "probe_with_reason)");
    selection_free(s);

    setenv("VG_FAULTY", "v1_descriptor", 1);
    s = select_with("backends: [faulty, cpu]\n");
    expect_selected(s, "faulty");
    selection_free(s);
}

Test(selection, open_failure)
{
    setenv("VG_FAULTY", "open_fail", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_OPEN, "injected open failure");
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, selftest_mismatch)
{
    setenv("VG_FAULTY", "selftest_mismatch", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_SELFTEST,
                "self-test: fill_pattern output differs from the "
                "reference at 37x23 (plane 0, row 0, byte 0:");
    cr_assert_eq(attempt(s, 0)->code, VG_ERR_MISMATCH);
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, kernel_failure_during_selftest)
{
    setenv("VG_FAULTY", "kernel_fail_at=3", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_SELFTEST,
                "injected failure of kernel call 3");
    cr_assert_eq(attempt(s, 0)->code, VG_ERR_KERNEL);
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(selection, invalid_option_stops_with_a_config_error)
{
    selection *s = select_with("backends: [cpu]\n"
                               "backend_options:\n"
                               "  cpu:\n"
                               "    threads: 999\n");
    cr_assert_eq(s->rc, VG_ERR_CONFIG);
    cr_assert(strstr(s->err, "test.yaml:4:5: backend_options.cpu.threads: "
                             "expected an integer from 0 to 256, got '999'"),
              "%s", s->err);
    selection_free(s);
}

Test(selection, nothing_usable_lists_every_reason)
{
    setenv("VG_FAULTY", "caps_reject", 1);
    selection *s = select_with("backends: [nosuch, faulty]\n");
    cr_assert_eq(s->rc, VG_ERR_NO_BACKEND);
    cr_assert_str_eq(s->err, "no usable backend");
    cr_assert_eq(vg_selector_attempt_count(s->sel), 2);
    expect_skip(s, 0, "nosuch", VG_STAGE_FIND, "not found");
    expect_skip(s, 1, "faulty", VG_STAGE_CHECK, "injected capability");
    selection_free(s);
}

/* --- policy keys ------------------------------------------------------ */

Test(policy, use_gpu_false_skips_gpu_backends)
{
    selection *s = select_with("video_generation: {use_gpu: false}\n"
                               "backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_POLICY,
                "video_generation.use_gpu is false");
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(policy, force_gpu_uses_a_working_gpu)
{
    selection *s = select_with("video_generation: {force_gpu: true}\n"
                               "backends: [faulty, cpu]\n");
    expect_selected(s, "faulty");
    selection_free(s);
}

Test(policy, force_gpu_never_runs_on_the_cpu)
{
    setenv("VG_FAULTY", "caps_reject", 1);
    selection *s = select_with("video_generation: {force_gpu: true}\n"
                               "backends: [faulty, cpu]\n");
    cr_assert_eq(s->rc, VG_ERR_NO_BACKEND);
    cr_assert_null(s->backend);
    expect_skip(s, 0, "faulty", VG_STAGE_CHECK, "injected capability");
    expect_skip(s, 1, "cpu", VG_STAGE_POLICY,
                "video_generation.force_gpu is true: only GPU backends");
    cr_assert_str_eq(s->err, "no usable GPU backend and "
                             "video_generation.force_gpu is true");
    selection_free(s);
}

Test(policy, auto_cpu_fallback_true_falls_back_to_cpu)
{
    setenv("VG_FAULTY", "selftest_mismatch", 1);
    selection *s = select_with("video_generation: {auto_cpu_fallback: true}\n"
                               "backends: [faulty, cpu]\n");
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(policy, auto_cpu_fallback_false_stops_after_a_failed_gpu)
{
    setenv("VG_FAULTY", "caps_reject", 1);
    selection *s = select_with("video_generation: {auto_cpu_fallback: false}\n"
                               "backends: [faulty, cpu]\n");
    cr_assert_eq(s->rc, VG_ERR_NO_BACKEND);
    cr_assert_null(s->backend);
    expect_skip(s, 1, "cpu", VG_STAGE_POLICY,
                "video_generation.auto_cpu_fallback is false and GPU backend "
                "'faulty' failed: not falling back to 'cpu'");
    cr_assert_str_eq(s->err, attempt(s, 1)->reason);
    selection_free(s);
}

Test(policy, auto_cpu_fallback_false_still_tries_other_gpus)
{
    setenv("VG_FAULTY", "caps_reject", 1);
    selection *s = select_with("video_generation: {auto_cpu_fallback: false}\n"
                               "backends: [faulty, faulty2, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_CHECK, "injected capability");
    expect_selected(s, "faulty2");
    selection_free(s);
}

Test(policy, auto_cpu_fallback_false_without_gpu_device_runs_on_cpu)
{
    setenv("VG_FAULTY", "no_device", 1);
    selection *s = select_with("video_generation: {auto_cpu_fallback: false}\n"
                               "backends: [faulty, cpu]\n");
    expect_selected(s, "cpu");
    selection_free(s);
}

/* --- failover after a run-time failure ----------------------------------- */

Test(failover, run_failure_moves_to_the_next_backend)
{
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_selected(s, "faulty");
    vg_selector_fail(s->sel, s->backend, VG_ERR_KERNEL, "frame 7: boom");
    vg_backend_close(&s->backend);
    s->rc = vg_selector_next(s->sel, &s->backend, s->err, sizeof s->err);
    expect_skip(s, 1, "faulty", VG_STAGE_RUN, "frame 7: boom");
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(failover, run_failure_with_fallback_refused)
{
    selection *s = select_with("video_generation: {auto_cpu_fallback: false}\n"
                               "backends: [faulty, cpu]\n");
    expect_selected(s, "faulty");
    vg_selector_fail(s->sel, s->backend, VG_ERR_KERNEL, "frame 7: boom");
    vg_backend_close(&s->backend);
    s->rc = vg_selector_next(s->sel, &s->backend, s->err, sizeof s->err);
    cr_assert_eq(s->rc, VG_ERR_NO_BACKEND);
    cr_assert(strstr(s->err, "auto_cpu_fallback is false and GPU backend "
                             "'faulty' failed"),
              "%s", s->err);
    selection_free(s);
}

/* --- failover per device ------------------------------------------------ */

Test(failover, a_device_failing_its_check_leaves_the_next_device_to_try)
{
    setenv("VG_FAULTY", "devices=2,faulty_device=0,caps_reject", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_CHECK,
                "Faulty Test GPU 0: injected capability rejection");
    expect_selected(s, "faulty");
    cr_assert_eq(attempt(s, 1)->device, 1);
    cr_assert_str_eq(attempt(s, 1)->device_name, "Faulty Test GPU 1");
    cr_assert_eq(vg_selector_attempt_count(s->sel), 2);
    selection_free(s);
}

Test(failover, a_device_failing_to_open_leaves_the_next_device_to_try)
{
    setenv("VG_FAULTY", "devices=3,faulty_device=0,open_fail", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_OPEN,
                "Faulty Test GPU 0: injected open failure");
    expect_selected(s, "faulty");
    cr_assert_eq(attempt(s, 1)->device, 1);
    selection_free(s);
}

Test(failover, a_device_failing_the_job_hands_over_to_the_next_device_first)
{
    setenv("VG_FAULTY", "devices=2", 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_selected(s, "faulty");
    cr_assert_eq(attempt(s, 0)->device, 0);
    vg_selector_fail(s->sel, s->backend, VG_ERR_NO_MEMORY,
                     "frame_alloc failed: out of memory");
    vg_backend_close(&s->backend);
    s->rc = vg_selector_next(s->sel, &s->backend, s->err, sizeof s->err);
    expect_skip(s, 1, "faulty", VG_STAGE_RUN, "out of memory");
    cr_assert_str_eq(attempt(s, 1)->device_name, "Faulty Test GPU 0");
    /* the same backend, its next device, before cpu */
    expect_selected(s, "faulty");
    cr_assert_eq(attempt(s, 2)->device, 1);

    /* the last device fails too: now the next backend */
    vg_selector_fail(s->sel, s->backend, VG_ERR_KERNEL, "frame 3: boom");
    vg_backend_close(&s->backend);
    s->rc = vg_selector_next(s->sel, &s->backend, s->err, sizeof s->err);
    expect_skip(s, 3, "faulty", VG_STAGE_RUN, "frame 3: boom");
    cr_assert_eq(attempt(s, 3)->device, 1);
    expect_selected(s, "cpu");
    selection_free(s);
}

Test(failover, next_device_of_a_gpu_backend_is_allowed_without_cpu_fallback)
{
    setenv("VG_FAULTY", "devices=2", 1);
    selection *s = select_with("video_generation: {auto_cpu_fallback: false}\n"
                               "backends: [faulty, cpu]\n");
    expect_selected(s, "faulty");
    vg_selector_fail(s->sel, s->backend, VG_ERR_KERNEL, "frame 7: boom");
    vg_backend_close(&s->backend);
    s->rc = vg_selector_next(s->sel, &s->backend, s->err, sizeof s->err);
    expect_selected(s, "faulty");
    cr_assert_eq(attempt(s, 2)->device, 1);
    vg_selector_fail(s->sel, s->backend, VG_ERR_KERNEL, "frame 8: boom");
    vg_backend_close(&s->backend);
    s->rc = vg_selector_next(s->sel, &s->backend, s->err, sizeof s->err);
    cr_assert_eq(s->rc, VG_ERR_NO_BACKEND);
    cr_assert(strstr(s->err, "auto_cpu_fallback is false"), "%s", s->err);
    selection_free(s);
}

Test(selftest, kernel_call_count_matches_the_documented_constant)
{
    /* The faulty plugin fails exactly the Nth call: the last self-test call
     * fails selection, the one after it does not. */
    char value[64];
    snprintf(value, sizeof value, "kernel_fail_at=%d",
             VG_SELFTEST_KERNEL_CALLS);
    setenv("VG_FAULTY", value, 1);
    selection *s = select_with("backends: [faulty, cpu]\n");
    expect_skip(s, 0, "faulty", VG_STAGE_SELFTEST, "injected failure");
    selection_free(s);

    snprintf(value, sizeof value, "kernel_fail_at=%d",
             VG_SELFTEST_KERNEL_CALLS + 1);
    setenv("VG_FAULTY", value, 1);
    s = select_with("backends: [faulty, cpu]\n");
    expect_selected(s, "faulty");
    selection_free(s);
}

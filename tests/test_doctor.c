/*
 * test_doctor.c - vgrun --doctor on a machine without a usable GPU, and
 * with the faulty test plugin standing in for a working or broken GPU.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

static vgt_run_result doctor(const char *const *extra, const char *const *env)
{
    const char *argv[16] = {VG_TEST_VGRUN, "--doctor"};
    size_t n = 2;
    for (size_t i = 0; extra && extra[i]; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    return vgt_run(argv, env);
}

static void expect_line(const vgt_run_result *r, const char *text)
{
    cr_assert(strstr(r->out, text), "expected '%s' in:\n%s", text, r->out);
}

Test(doctor, no_gpu_here)
{
    if (access("/proc/driver/nvidia/version", R_OK) == 0)
        cr_skip_test("an NVIDIA driver is loaded on this machine");
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS", "VG_FAULTY", NULL};
    vgt_run_result r = doctor(NULL, env);
    cr_assert_eq(r.exit_code, 4, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    expect_line(&r, "[ ok ] auto_cpu_fallback is true");
    expect_line(&r, "[FAIL] no NVIDIA kernel driver loaded "
                    "(/proc/driver/nvidia/version is missing)");
    expect_line(&r, "       fix: install the NVIDIA driver");
    expect_line(&r, "[ ok ] usable: ");
    expect_line(&r, "Result: no GPU backend is usable here");
    if (access(VG_TEST_PLUGIN_DIR "/vg_cuda.so", R_OK) == 0) {
        expect_line(&r, "CUDA backend:\n[info] plugin " VG_TEST_PLUGIN_DIR
                        "/vg_cuda.so\n[info] CUDA runtime ");
        expect_line(&r, "[FAIL] probe: no NVIDIA driver found");
    }
    vgt_run_result_free(&r);
}

Test(doctor, warns_about_policy_keys)
{
    char *dir = vgt_make_temp_dir("doctor");
    char config[1024];
    snprintf(config, sizeof config, "%s/config.yaml", dir);
    const char *yaml = "video_generation:\n"
                       "  auto_cpu_fallback: false\n"
                       "  force_gpu: true\n";
    vgt_write_file(config, yaml, strlen(yaml));
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS", "VG_FAULTY=caps_reject",
                         NULL};
    const char *backends[] = {"--config", config, "--backend", "faulty,cpu",
                              NULL};
    vgt_run_result r = doctor(backends, env);
    cr_assert_eq(r.exit_code, 4, "%s", r.out);
    expect_line(&r, "[warn] auto_cpu_fallback is false: once a GPU fails, the "
                    "run stops instead of using the CPU");
    expect_line(&r, "[warn] force_gpu is true: without a working GPU nothing "
                    "renders");
    expect_line(&r, "[FAIL] would not run: video_generation.auto_cpu_fallback "
                    "is false and GPU backend 'faulty' failed");
    vgt_run_result_free(&r);
    free(dir);
}

Test(doctor, reports_a_usable_gpu_backend)
{
    const char *args[] = {"--backend", "faulty,cpu", NULL};
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS", "VG_FAULTY", NULL};
    vgt_run_result r = doctor(args, env);
    expect_line(&r, "[ ok ] would run on faulty");
    vgt_run_result_free(&r);
}

/*
 * test_cudasim.c - the CUDA backend's selection, reasons, failover and
 * output bytes on simulated GPUs (tests/cudasim): the real plugin code and
 * fatbinary, the kernels run on the host, the machine described by
 * VG_CUDASIM.  Each scenario runs vgrun end to end and asserts the backend
 * that rendered, the reasons it printed, and that the output equals a run
 * on the cpu backend byte for byte.
 *
 * "shipped" is vg_cuda.so's own fatbinary (the configured architectures:
 * by default SASS sm_75..sm_121 and PTX compute_75); "sm80" is an sm_80-only
 * build without PTX.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/selftest.h"
#include "test_support.h"
#include "vg_kernel_cases.h"

#ifndef VG_TEST_CUDA_BUILT_ARCHS
#define VG_TEST_CUDA_BUILT_ARCHS ""
#endif

#define expect_contains(text, part)                                            \
    cr_assert(strstr((text), (part)) != NULL, "'%s'\ndoes not contain '%s'",   \
              (text), (part))

/* Small enough to render quickly on the simulator, and it exercises every
 * kernel: patterns, crossfade, zoom (warp), blur, I420 conversion. */
static const char job_yaml[] = "width: 320\n"
                               "height: 180\n"
                               "fps: 30\n"
                               "frames: 8\n"
                               "clips:\n"
                               "  - pattern: testsrc\n"
                               "    frames: 5\n"
                               "  - pattern: bars\n"
                               "    frames: 6\n"
                               "    transition: {type: crossfade, frames: 3}\n"
                               "camera:\n"
                               "  from: {zoom: 1.0}\n"
                               "  to: {zoom: 1.4}\n"
                               "blur: 1\n";

/* A launch a few frames into the job: past the self-test's launches (every
 * kernel call is one, and a blur is two: horizontal, then vertical), 19
 * more.  Every scenario has a cache of its own, so the self-test always
 * runs. */
static const char *mid_job_launch(void)
{
    size_t cases = 0;
    for (size_t k = 0; k < vg_kernel_spec_count; k++)
        cases += vg_kernel_case_count(&vg_kernel_specs[k], VG_CASE_SELFTEST);
    const vg_kernel_spec *blur = vg_kernel_spec_find("blur");
    cr_assert(cases > 0 && blur);
    size_t sizes = (size_t)VG_SELFTEST_KERNEL_CALLS / cases;
    size_t launches = (size_t)VG_SELFTEST_KERNEL_CALLS +
                      sizes * vg_kernel_case_count(blur, VG_CASE_SELFTEST);
    static char text[32];
    snprintf(text, sizeof text, "%zu", launches + 19);
    return text;
}

typedef struct scenario {
    char *dir;
    char job[1024], config[1024], out[1024];
    vgt_run_result run;
    char *bytes;
    size_t size;
} scenario;

static void skip_unless_built(void)
{
    if (access(VG_TEST_CUDASIM_DIR "/shipped/vg_cuda.so", F_OK) != 0) {
#ifdef VG_TEST_REQUIRE_CUDASIM
        cr_assert_fail("the CUDA simulator was not built");
#else
        cr_skip_test("the CUDA plugin is not built here (no CUDA toolkit), "
                     "so neither is its simulator");
#endif
    }
}

/* The shipped fatbinary holds `image` ("sm_90", "compute_75"). */
static void skip_unless_shipped(const char *image)
{
    const char *built = " " VG_TEST_CUDA_BUILT_ARCHS " ";
    char word[32];
    snprintf(word, sizeof word, " %s ", image);
    if (!strstr(built, word))
        cr_skip_test("this build's CUDA architectures (%s) have no %s",
                     VG_TEST_CUDA_BUILT_ARCHS, image);
}

/* Run the job with vgrun on `backends`, the cuda plugin of `variant` on the
 * machine `machine` (VG_CUDASIM).  extra: more arguments, NULL-ended. */
static scenario *run(const char *variant, const char *machine,
                     const char *backends)
{
    scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    s->dir = vgt_make_temp_dir("cudasim");
    snprintf(s->job, sizeof s->job, "%s/job.yaml", s->dir);
    snprintf(s->config, sizeof s->config, "%s/config.yaml", s->dir);
    snprintf(s->out, sizeof s->out, "%s/out.y4m", s->dir);
    vgt_write_file(s->job, job_yaml, strlen(job_yaml));
    char config[1024];
    /* The other plugins from this build, not from an installed vg. */
    int n = snprintf(config, sizeof config, "plugin_dirs: [%s/%s, %s]\n",
                     VG_TEST_CUDASIM_DIR, variant, VG_TEST_PLUGIN_DIR);
    vgt_write_file(s->config, config, (size_t)n);

    char env_machine[1024], env_cache[1100];
    snprintf(env_machine, sizeof env_machine, "VG_CUDASIM=%s", machine);
    /* A self-test pass cached by an earlier run would skip the self-test's
     * launches and move mid_job_launch() past the job. */
    snprintf(env_cache, sizeof env_cache, "XDG_CACHE_HOME=%s/cache", s->dir);
    const char *env[] = {env_machine,   env_cache,        "VG_CONFIG",
                         "VG_BACKENDS", "VG_PLUGIN_PATH", NULL};
    /* -v: the "using", "skipped" and "failed at" lines asserted below are
     * printed only on a terminal or when asked for. */
    const char *argv[] = {VG_TEST_VGRUN, s->job,   "--config", s->config,
                          "--backend",   backends, "-o",       s->out,
                          "-v",          NULL};
    s->run = vgt_run(argv, env);
    s->bytes = vgt_read_file(s->out, &s->size);
    return s;
}

static void scenario_free(scenario *s)
{
    vgt_run_result_free(&s->run);
    free(s->bytes);
    free(s->dir);
    free(s);
}

/* The job on the cpu backend alone, computed once per test. */
static void expect_cpu_bytes(const scenario *s)
{
    cr_assert_eq(s->run.exit_code, 0, "vgrun failed: %s", s->run.err);
    scenario *cpu = run("shipped", "", "cpu");
    cr_assert_eq(cpu->run.exit_code, 0, "%s", cpu->run.err);
    expect_contains(cpu->run.err, "vgrun: using cpu (");
    cr_assert_not_null(s->bytes);
    cr_assert_not_null(cpu->bytes);
    cr_assert_gt(cpu->size, 8 * (320 * 180 * 3 / 2), "eight frames");
    cr_assert_eq(s->size, cpu->size);
    size_t i = 0;
    while (i < s->size && s->bytes[i] == cpu->bytes[i])
        i++;
    cr_assert_eq(i, s->size, "output differs from the cpu backend at byte %zu",
                 i);
    scenario_free(cpu);
}

#define H200 "device=NVIDIA H200,cc=9.0,memory=141GiB,sms=132"

TestSuite(cudasim, .init = skip_unless_built, .timeout = 300);

Test(cudasim, h200_selects_cuda_with_its_sass)
{
    skip_unless_shipped("sm_90");
    scenario *s = run("shipped", "driver=13.0;" H200, "cuda,cpu");
    expect_contains(s->run.err,
                    "vgrun: using cuda (NVIDIA H200: compute capability 9.0 "
                    "(Hopper) runs SASS sm_90; confirmed by the runtime: "
                    "binary 9.0, PTX 9.0; self-test ");
    expect_contains(s->run.err, "frames in ");
    expect_contains(s->run.err, "on cuda, 0 fallbacks");
    expect_cpu_bytes(s);
    scenario_free(s);
}

Test(cudasim, gtx_1080_pascal_falls_through_with_possible_advice)
{
    scenario *s = run("shipped",
                      "driver=13.0;device=NVIDIA GeForce GTX 1080,cc=6.1,"
                      "memory=8GiB",
                      "cuda,cpu");
    expect_contains(
        s->run.err,
        "vgrun: skipped cuda (capability check): NVIDIA GeForce GTX 1080: "
        "compute capability 6.1 (Pascal) is below "
        "cuda.min_compute_capability 7.5: CUDA 13 cannot build for 6.1: vg "
        "uses opencl or cpu; for CUDA, build with CUDA 12.9, "
        "-DCMAKE_CUDA_ARCHITECTURES=61-real and min_compute_capability "
        "\"6.1\"\n");
    expect_contains(s->run.err, "vgrun: using cpu (");
    expect_cpu_bytes(s);
    scenario_free(s);
}

Test(cudasim, titan_v_volta_falls_through_with_possible_advice)
{
    scenario *s =
        run("shipped", "driver=13.0;device=NVIDIA TITAN V,cc=7.0,memory=12GiB",
            "cuda,cpu");
    expect_contains(s->run.err,
                    "vgrun: skipped cuda (capability check): NVIDIA TITAN V: "
                    "compute capability 7.0 (Volta) is below "
                    "cuda.min_compute_capability 7.5: CUDA 13 cannot build "
                    "for 7.0: vg uses opencl or cpu; for CUDA, build with "
                    "CUDA 12.9, -DCMAKE_CUDA_ARCHITECTURES=70-real and "
                    "min_compute_capability \"7.0\"\n");
    expect_contains(s->run.err, "vgrun: using cpu (");
    expect_cpu_bytes(s);
    scenario_free(s);
}

Test(cudasim, sm80_only_build_on_h200_has_no_kernel_image)
{
    scenario *s = run("sm80", "driver=13.0;" H200, "cuda,cpu");
    expect_contains(
        s->run.err,
        "vgrun: skipped cuda (capability check): NVIDIA H200: no kernel "
        "image for compute capability 9.0 (Hopper): built for sm_80 (no PTX "
        "to JIT); rebuild with -DCMAKE_CUDA_ARCHITECTURES=90-real (or the "
        "default list) (runtime, kernel pattern: "
        "cudaErrorNoKernelImageForDevice: no kernel image is available for "
        "execution on the device)\n");
    expect_contains(s->run.err, "vgrun: using cpu (");
    expect_cpu_bytes(s);
    scenario_free(s);
}

Test(cudasim, future_13_0_gpu_runs_on_ptx)
{
    skip_unless_shipped("compute_75");
    scenario *s =
        run("shipped", "driver=13.0;device=Future GPU,cc=13.0,memory=256GiB",
            "cuda,cpu");
    expect_contains(
        s->run.err,
        "vgrun: using cuda (Future GPU: compute capability 13.0 "
        "(unknown) has no SASS in this build: will JIT from "
        "compute_75, first run slower (the driver caches the "
        "result); needs a driver that supports this GPU; "
        "confirmed by the runtime: binary 13.0, PTX 7.5; self-test ");
    expect_contains(s->run.err, "on cuda, 0 fallbacks");
    expect_cpu_bytes(s);
    scenario_free(s);
}

static void fails_over_mid_job_to_cpu(const char *fault, const char *text)
{
    skip_unless_shipped("sm_90");
    char machine[256];
    snprintf(machine, sizeof machine, "driver=13.0;" H200 ",fault=%s@%s", fault,
             mid_job_launch());
    scenario *s = run("shipped", machine, "cuda,cpu");
    expect_contains(s->run.err, "vgrun: using cuda (NVIDIA H200: ");
    expect_contains(s->run.err, "vgrun: cuda failed at frame ");
    expect_contains(s->run.err, text);
    expect_contains(s->run.err, "vgrun: using cpu (");
    expect_contains(s->run.err, "on cpu, 1 fallback");
    expect_cpu_bytes(s);
    scenario_free(s);
}

Test(cudasim, illegal_address_mid_job_fails_over_with_identical_bytes)
{
    fails_over_mid_job_to_cpu(
        "illegal_address",
        "cudaErrorIllegalAddress: an illegal memory access was encountered");
}

Test(cudasim, device_lost_mid_job_fails_over_with_identical_bytes)
{
    fails_over_mid_job_to_cpu("device_lost",
                              "cudaErrorLaunchFailure: unspecified launch "
                              "failure");
}

Test(cudasim, missing_image_found_only_at_launch_is_caught_by_the_self_test)
{
    skip_unless_shipped("sm_90");
    scenario *s =
        run("shipped", "driver=13.0;" H200 ",lazy_missing=blur_h_kernel",
            "cuda,cpu");
    expect_contains(s->run.err, "vgrun: skipped cuda (self-test): NVIDIA "
                                "H200: ");
    expect_contains(s->run.err, "cudaErrorNoKernelImageForDevice: no kernel "
                                "image is available for execution on the "
                                "device");
    expect_contains(s->run.err, "vgrun: using cpu (");
    expect_cpu_bytes(s);
    scenario_free(s);
}

/* Two GPUs: the first fails, the second renders; cpu is never used. */
#define BUSY "device=NVIDIA H200 (busy),cc=9.0,memory=141GiB"
#define IDLE "device=NVIDIA H200 (idle),cc=9.0,memory=141GiB"

Test(cudasim, first_gpu_without_free_memory_renders_on_the_second)
{
    skip_unless_shipped("sm_90");
    scenario *s =
        run("shipped", "driver=13.0;" BUSY ",free=1MiB;" IDLE, "cuda,cpu");
    expect_contains(s->run.err,
                    "vgrun: skipped cuda (capability check): NVIDIA H200 "
                    "(busy): a 320x180 job needs about 2 MiB of device "
                    "memory; NVIDIA H200 (busy) (cuda:0) has 1 MiB free of "
                    "144384 MiB");
    expect_contains(s->run.err, "vgrun: using cuda (NVIDIA H200 (idle): ");
    expect_contains(s->run.err, "on cuda, 0 fallbacks");
    expect_cpu_bytes(s);
    scenario_free(s);
}

Test(cudasim, first_gpu_failing_mid_job_hands_over_to_the_second)
{
    skip_unless_shipped("sm_90");
    char machine[256];
    snprintf(machine, sizeof machine,
             "driver=13.0;" BUSY ",fault=illegal_address@%s;" IDLE,
             mid_job_launch());
    scenario *s = run("shipped", machine, "cuda,cpu");
    expect_contains(s->run.err, "vgrun: using cuda (NVIDIA H200 (busy): ");
    expect_contains(s->run.err, "vgrun: cuda failed at frame ");
    expect_contains(s->run.err, "cudaErrorIllegalAddress");
    expect_contains(s->run.err, "vgrun: using cuda (NVIDIA H200 (idle): ");
    expect_contains(s->run.err, "on cuda, 1 fallback");
    expect_cpu_bytes(s);
    scenario_free(s);
}

Test(cudasim, first_gpu_losing_its_memory_after_the_check_hands_over)
{
    skip_unless_shipped("sm_90");
    /* Another process takes the memory between the check and the job's
     * first allocation: the allocation fails, with CUDA's words.  1.3 MB
     * stay free: enough for the self-test (1.0 MB is not: its blur at
     * 257x131 runs out), too little for the job (1.5 MB still is). */
    scenario *s =
        run("shipped", "driver=13.0;" BUSY ",free_after_check=1300000;" IDLE,
            "cuda,cpu");
    expect_contains(s->run.err, "vgrun: skipped cuda (run): cuda: frame_alloc "
                                "failed: frame alloc: "
                                "cudaErrorMemoryAllocation: out of memory\n");
    expect_contains(s->run.err, "vgrun: using cuda (NVIDIA H200 (idle): ");
    expect_contains(s->run.err, "on cuda, 0 fallbacks");
    expect_cpu_bytes(s);
    scenario_free(s);
}

/* The device line of --list-backends is a fixed field: it carries the
 * decision in a few words, whole, and leaves the advice to the check. */
Test(cudasim, list_backends_device_lines_are_whole)
{
    skip_unless_shipped("compute_75");
    char *dir = vgt_make_temp_dir("cudasim");
    char config[1024], yaml[1024];
    snprintf(config, sizeof config, "%s/config.yaml", dir);
    int n = snprintf(yaml, sizeof yaml, "plugin_dirs: [%s/shipped, %s]\n",
                     VG_TEST_CUDASIM_DIR, VG_TEST_PLUGIN_DIR);
    vgt_write_file(config, yaml, (size_t)n);
    const char *env[] = {"VG_CUDASIM=driver=13.0;device=NVIDIA GeForce GTX "
                         "1080,cc=6.1,memory=8GiB;device=Future GPU,cc=13.0,"
                         "memory=256GiB",
                         "VG_CONFIG", "VG_BACKENDS", "VG_PLUGIN_PATH", NULL};
    const char *argv[] = {VG_TEST_VGRUN, "--config", config, "--list-backends",
                          NULL};
    vgt_run_result r = vgt_run(argv, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    expect_contains(r.out, "cuda:0, compute capability 6.1 (Pascal), 80 SMs, "
                           "peak 3352 GB/s; below "
                           "cuda.min_compute_capability 7.5 (the capability "
                           "check says what to do)\n");
    expect_contains(r.out, "cuda:1, compute capability 13.0 (unknown), 80 "
                           "SMs, peak 3352 GB/s; no SASS, will JIT from "
                           "compute_75\n");
    vgt_run_result_free(&r);
    free(dir);
}

Test(cudasim, driver_older_than_the_runtime_is_a_probe_reason)
{
    scenario *s = run("shipped", "driver=12.4;" H200, "cuda,cpu");
    expect_contains(
        s->run.err,
        "vgrun: skipped cuda (probe): probe failed: NVIDIA driver too "
        "old: it supports CUDA 12.4, this plugin's runtime is CUDA "
        "13.0 (cudaErrorInsufficientDriver): update the driver");
    expect_contains(s->run.err, "vgrun: using cpu (");
    expect_cpu_bytes(s);
    scenario_free(s);
}

Test(cudasim, driver_without_devices_is_a_probe_reason)
{
    scenario *s = run("shipped", "driver=13.0", "cuda,cpu");
    expect_contains(s->run.err,
                    "vgrun: skipped cuda (probe): the NVIDIA driver (CUDA "
                    "13.0) reports no CUDA device (cudaErrorNoDevice)");
    expect_contains(s->run.err, "vgrun: using cpu (");
    expect_cpu_bytes(s);
    scenario_free(s);
}

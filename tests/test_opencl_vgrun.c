/*
 * test_opencl_vgrun.c - vgrun on the opencl backend (PoCL) writes exactly
 * the bytes the cpu backend writes, and with the default options skips the
 * PoCL CPU device for the cpu backend, saying why.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define expect_contains(text, part)                                            \
    cr_assert(strstr((text), (part)) != NULL, "'%s'\ndoes not contain '%s'",   \
              (text), (part))

/* Keep the caller's config and backend choice out of the runs. */
static const char *const clean_env[] = {"VG_CONFIG", "VG_BACKENDS",
                                        "VG_PLUGIN_PATH", NULL};

static vgt_run_result vgrun(const char *config, const char *backend,
                            const char *out)
{
    /* -v: the "using" and "skipped" lines asserted below are only printed
     * on a terminal or when asked for. */
    const char *argv[] = {VG_TEST_VGRUN, "--config", config,    "--backend",
                          backend,       "--frames", "118:121", "-o",
                          out,           "-v",       NULL};
    return vgt_run(argv, clean_env);
}

Test(opencl_vgrun, job_on_opencl_matches_the_cpu_backend_byte_for_byte)
{
    char *dir = vgt_make_temp_dir("ocl-vgrun");
    char config[1024], on_opencl[1024], on_cpu[1024];
    snprintf(config, sizeof config, "%s/config.yaml", dir);
    snprintf(on_opencl, sizeof on_opencl, "%s/opencl.y4m", dir);
    snprintf(on_cpu, sizeof on_cpu, "%s/cpu.y4m", dir);
    const char yaml[] = "backend_options:\n"
                        "  opencl:\n"
                        "    device_types: [cpu]\n";
    vgt_write_file(config, yaml, strlen(yaml));

    /* frames 118..120 straddle the start of the default job's crossfade */
    vgt_run_result r = vgrun(config, "opencl", on_opencl);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    expect_contains(r.err, "vgrun: using opencl (");
    vgt_run_result_free(&r);
    r = vgrun(config, "cpu", on_cpu);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    expect_contains(r.err, "vgrun: using cpu (");
    vgt_run_result_free(&r);

    size_t a_size = 0, b_size = 0;
    char *a = vgt_read_file(on_opencl, &a_size);
    char *b = vgt_read_file(on_cpu, &b_size);
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_assert_gt(a_size, 3 * (1920 * 1080 * 3 / 2), "three 1080p frames");
    cr_assert_eq(a_size, b_size);
    size_t i = 0;
    while (i < a_size && a[i] == b[i])
        i++;
    cr_assert_eq(i, a_size, "opencl output differs from cpu at byte %zu", i);
    free(a);
    free(b);
    free(dir);
}

Test(opencl_vgrun, default_options_hand_the_cpu_device_to_the_cpu_backend)
{
    char *dir = vgt_make_temp_dir("ocl-vgrun");
    char config[1024], out[1024];
    snprintf(config, sizeof config, "%s/config.yaml", dir);
    snprintf(out, sizeof out, "%s/out.y4m", dir);
    vgt_write_file(config, "backends: [opencl, cpu]\n", 24);

    vgt_run_result r = vgrun(config, "opencl,cpu", out);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    expect_contains(r.err, "vgrun: using cpu (");
    expect_contains(r.err, "skipped: the native cpu backend serves the CPU; "
                           "set backend_options.opencl.device_types: [cpu] "
                           "to allow it");
    vgt_run_result_free(&r);
    free(dir);
}

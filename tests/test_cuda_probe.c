/*
 * test_cuda_probe.c - the CUDA plugin on a machine without a usable GPU
 * (every CI machine): it loads, its probe names the exact reason (no
 * driver, the toolkit's stub library), a malformed option is reported by
 * name, check/open fail cleanly, and selection falls through to the CPU
 * with the CUDA reason recorded.
 *
 * On a machine with an NVIDIA driver the no-driver tests skip with a
 * reason; scripts/gpu-check.sh runs the GPU side there.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/loader.h"
#include "vg/select.h"

#define CUDA_PLUGIN VG_TEST_PLUGIN_DIR "/vg_cuda.so"
#define NO_DRIVER_REASON                                                       \
    "no NVIDIA driver found (libcuda.so.1 not loadable): install the NVIDIA "  \
    "driver; nvidia-smi should list the GPU"

#define expect_contains(text, part)                                            \
    cr_expect(strstr((text), (part)) != NULL, "'%s'\ndoes not contain '%s'",   \
              (text), (part))

static vg_loaded_plugin *plugin;
static const vg_plugin *desc;

static void load_plugin(void)
{
    char reason[1024] = "";
    if (access(CUDA_PLUGIN, F_OK) != 0)
        cr_skip_test("the CUDA plugin was not built (no CUDA toolkit at "
                     "configure time)");
    int rc = vg_plugin_load(CUDA_PLUGIN, &plugin, reason, sizeof reason);
    cr_assert_eq(rc, 0, "%s", reason);
    desc = vg_loaded_plugin_descriptor(plugin);
}

static void unload_plugin(void)
{
    vg_plugin_unload(&plugin);
}

TestSuite(cuda_probe, .init = load_plugin, .fini = unload_plugin);

/* Whether this machine has an NVIDIA driver at all (then the no-driver
 * expectations do not apply). */
static bool driver_installed(void)
{
    void *h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (h)
        dlclose(h);
    return h != NULL;
}

static void skip_if_driver(void)
{
    if (driver_installed())
        cr_skip_test("an NVIDIA driver is installed here; "
                     "scripts/gpu-check.sh tests the GPU side");
}

static void free_options(vg_option_value **values)
{
    vg_option_values_destroy(values, desc->option_count);
}

Test(cuda_probe, descriptor_declares_the_documented_options)
{
    cr_assert_str_eq(desc->name, "cuda");
    cr_assert_eq(desc->kind, VG_BACKEND_GPU);
    cr_assert_eq(desc->option_count, 2);
    cr_assert_str_eq(desc->options[0].name, "device");
    cr_assert_eq(desc->options[0].type, VG_OPTION_STRING);
    cr_assert_str_eq(desc->options[0].default_value, "");
    cr_assert_str_eq(desc->options[1].name, "min_compute_capability");
    cr_assert_eq(desc->options[1].type, VG_OPTION_STRING);
    cr_assert_str_eq(desc->options[1].default_value, "7.5");
}

Test(cuda_probe, no_driver_is_a_reason_not_a_crash)
{
    skip_if_driver();
    vg_option_value *values = vgt_plugin_options(desc, "");
    vg_probe_result r;
    int rc = desc->probe(values, &r);
    free_options(&values);

    /* No driver is "nothing here", not a failure of the probe. */
    cr_assert_eq(rc, 0, "rc %d: %s", rc, r.reason);
    cr_assert_eq(r.device_count, 0);
    cr_expect_str_eq(r.reason, NO_DRIVER_REASON);
    /* The plugin-wide facts still say what this build is. */
    expect_contains(r.detail, "CUDA runtime ");
    expect_contains(r.detail, "(static), driver none");
    expect_contains(r.detail, "built for sm_");
    expect_contains(r.detail, "minimum compute capability 7.5");
}

Test(cuda_probe, toolkit_stub_library_is_its_own_reason)
{
    skip_if_driver();
    /* The toolkit's stub libcuda.so has the soname libcuda.so.1: loaded
     * first, it is what the runtime gets when it asks for the driver, as
     * when lib64/stubs is on LD_LIBRARY_PATH.  (Criterion runs each test
     * in its own process, so no other test sees it.) */
    const char *home =
        getenv("CUDA_HOME") ? getenv("CUDA_HOME") : "/usr/local/cuda";
    char stub[1024];
    snprintf(stub, sizeof stub, "%s/lib64/stubs/libcuda.so", home);
    if (access(stub, F_OK) != 0)
        cr_skip_test("no CUDA stub library at %s (set CUDA_HOME)", stub);
    cr_assert_not_null(dlopen(stub, RTLD_NOW | RTLD_GLOBAL), "%s", dlerror());

    vg_option_value *values = vgt_plugin_options(desc, "");
    vg_probe_result r;
    int rc = desc->probe(values, &r);
    free_options(&values);

    cr_expect_eq(rc, VG_ERR_DRIVER, "rc %d: %s", rc, r.reason);
    cr_expect_eq(r.device_count, 0);
    expect_contains(r.reason, "the libcuda.so.1 found is the CUDA toolkit's "
                              "stub, not the driver (cudaErrorStubLibrary)");
}

Test(cuda_probe, malformed_min_compute_capability_names_the_option)
{
    static const char *const bad[] = {"\"7\"", "\"seven\"", "\"7.5.0\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, "    min_compute_capability: %s\n", bad[i]);
        vg_option_value *values = vgt_plugin_options(desc, yaml);
        vg_probe_result r;
        int rc = desc->probe(values, &r);
        free_options(&values);
        cr_expect_eq(rc, VG_ERR_CONFIG, "%s accepted: %s", bad[i], r.reason);
        expect_contains(r.reason, "cuda.min_compute_capability: expected "
                                  "MAJOR.MINOR");
    }
}

Test(cuda_probe, raised_minimum_shows_in_the_detail)
{
    skip_if_driver();
    vg_option_value *values =
        vgt_plugin_options(desc, "    min_compute_capability: "
                                 "\"8.6\"\n");
    vg_probe_result r;
    cr_assert_eq(desc->probe(values, &r), 0, "%s", r.reason);
    free_options(&values);
    expect_contains(r.detail, "minimum compute capability 8.6");
}

Test(cuda_probe, check_and_open_fail_cleanly_without_a_driver)
{
    skip_if_driver();
    vg_option_value *values = vgt_plugin_options(desc, "");
    const vg_job_limits limits = {.max_width = 64, .max_height = 64};
    char reason[VG_TEXT_MAX] = "";

    int rc = desc->check_device(values, 0, &limits, reason, sizeof reason);
    cr_expect_eq(rc, VG_ERR_NO_DEVICE, "rc %d: %s", rc, reason);
    cr_expect_str_eq(reason, NO_DRIVER_REASON);

    static char sentinel;
    vg_plugin_ctx *ctx = (vg_plugin_ctx *)&sentinel; /* must be cleared */
    reason[0] = '\0';
    rc = desc->open(values, 0, &limits, &ctx, reason, sizeof reason);
    cr_expect_eq(rc, VG_ERR_NO_DEVICE, "rc %d: %s", rc, reason);
    cr_expect_null(ctx);
    cr_expect_str_eq(reason, NO_DRIVER_REASON);
    free_options(&values);
}

Test(cuda_probe, selection_falls_through_to_cpu_with_the_cuda_reason)
{
    skip_if_driver();
    vg_config *cfg = NULL;
    char err[1024] = "";
    cr_assert_eq(vg_config_load_string("backends: [cuda, cpu]\n"
                                       "plugin_dirs: [" VG_TEST_PLUGIN_DIR
                                       "]\n",
                                       "t.yaml", &cfg, err, sizeof err),
                 0, "%s", err);
    const vg_job_limits limits = {.max_width = 64, .max_height = 48};
    vg_selector *sel = NULL;
    cr_assert_eq(vg_selector_create(cfg, &limits, &sel), 0);

    vg_backend *backend = NULL;
    int rc = vg_selector_next(sel, &backend, err, sizeof err);
    cr_assert_eq(rc, 0, "no backend: %s", err);
    cr_expect_str_eq(vg_backend_name(backend), "cpu");

    cr_assert_geq(vg_selector_attempt_count(sel), 2);
    const vg_attempt *cuda = vg_selector_attempt(sel, 0);
    cr_expect_str_eq(cuda->backend, "cuda");
    cr_expect_eq(cuda->stage, VG_STAGE_PROBE, "stage %s",
                 vg_stage_name(cuda->stage));
    expect_contains(cuda->reason, NO_DRIVER_REASON);
    const vg_attempt *cpu = vg_selector_attempt(sel, 1);
    cr_expect_str_eq(cpu->backend, "cpu");
    cr_expect_eq(cpu->stage, VG_STAGE_SELECTED);

    vg_backend_close(&backend);
    vg_selector_destroy(&sel);
    vg_config_destroy(&cfg);
}

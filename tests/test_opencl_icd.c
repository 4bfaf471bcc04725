/*
 * test_opencl_icd.c - the OpenCL plugin when the ICD loader finds no
 * driver, or a broken one beside a working one.
 *
 * OCL_ICD_VENDORS points the ICD loader (ocl-icd) at a directory of .icd
 * files instead of /etc/OpenCL/vendors.  The loader reads it once, at the
 * first OpenCL call of the process, so each test sets it before loading the
 * plugin; Criterion runs every test in a fresh process.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_support.h"
#include "vg/loader.h"

#define OPENCL_PLUGIN VG_TEST_PLUGIN_DIR "/vg_opencl.so"
#define POCL_ICD "/etc/OpenCL/vendors/pocl.icd"

#define expect_contains(text, part)                                            \
    cr_assert(strstr((text), (part)) != NULL, "'%s'\ndoes not contain '%s'",   \
              (text), (part))

/* device_types [cpu], platform "", device "" */
static const vg_option_value cpu_options[] = {
    {1 << 2, "cpu"}, {0, ""}, {0, ""}};

static const vg_plugin *load(vg_loaded_plugin **plugin)
{
    char reason[1024] = "";
    int rc = vg_plugin_load(OPENCL_PLUGIN, plugin, reason, sizeof reason);
    cr_assert_eq(rc, 0, "%s", reason);
    return vg_loaded_plugin_descriptor(*plugin);
}

static char *vendors_dir(const char *tag)
{
    char *dir = vgt_make_temp_dir(tag);
    cr_assert_eq(setenv("OCL_ICD_VENDORS", dir, 1), 0);
    return dir;
}

/* The longest reason the probe gives names the whole vendors directory;
 * with a long path it passes the fixed field's 256 bytes and must still
 * arrive whole through probe_with_reason. */
Test(opencl_icd, longest_probe_reason_arrives_whole)
{
    char *base = vgt_make_temp_dir("ocl-long");
    char dir[1024];
    int n = snprintf(dir, sizeof dir, "%s/", base);
    memset(dir + n, 'd', 200);
    dir[n + 200] = '\0';
    cr_assert_eq(mkdir(dir, 0755), 0);
    cr_assert_eq(setenv("OCL_ICD_VENDORS", dir, 1), 0);
    vg_loaded_plugin *plugin = NULL;
    const vg_plugin *desc = load(&plugin);
    cr_assert(VG_PLUGIN_HAS_SLOT(desc, probe_with_reason));

    vg_probe_result r;
    char reason[VG_REASON_MAX] = "";
    cr_assert_eq(
        desc->probe_with_reason(cpu_options, &r, reason, sizeof reason), 0);
    cr_assert_eq(r.device_count, 0);
    expect_contains(reason, dir);
    const char *tail = "or pocl-opencl-icd for a CPU device";
    size_t len = strlen(reason);
    cr_assert_gt(len, VG_TEXT_MAX);
    cr_assert_str_eq(reason + len - strlen(tail), tail);
    /* The fixed field keeps the beginning. */
    cr_assert_eq(strlen(r.reason), VG_TEXT_MAX - 1);
    cr_assert_eq(strncmp(r.reason, reason, VG_TEXT_MAX - 1), 0);
    vg_plugin_unload(&plugin);
    free(base);
}

Test(opencl_icd, no_driver_is_a_reason_not_a_crash)
{
    char *dir = vendors_dir("ocl-empty");
    vg_loaded_plugin *plugin = NULL;
    const vg_plugin *desc = load(&plugin);

    vg_probe_result r;
    cr_assert_eq(desc->probe(cpu_options, &r), 0);
    cr_assert_eq(r.device_count, 0);
    expect_contains(r.reason, "no OpenCL platform: the ICD loader found no "
                              "driver (no usable .icd file in ");
    expect_contains(r.reason, dir);

    vg_job_limits limits = {64, 48};
    char reason[1024] = "";
    cr_assert_eq(
        desc->check_device(cpu_options, 0, &limits, reason, sizeof reason),
        VG_ERR_NO_DEVICE);
    expect_contains(reason, "no OpenCL platform");

    vg_plugin_ctx *ctx = (vg_plugin_ctx *)&reason;
    reason[0] = '\0';
    cr_assert_eq(
        desc->open(cpu_options, 0, &limits, &ctx, reason, sizeof reason),
        VG_ERR_NO_DEVICE);
    cr_assert_null(ctx);
    expect_contains(reason, "no OpenCL platform");
    vg_plugin_unload(&plugin);
    free(dir);
}

Test(opencl_icd, broken_driver_beside_a_working_one_still_probes)
{
    size_t size = 0;
    char *pocl = vgt_read_file(POCL_ICD, &size);
    if (!pocl)
        cr_skip_test("no %s", POCL_ICD);
    char *dir = vendors_dir("ocl-broken");
    char path[1024];
    /* one driver library that does not exist, one that is not a driver */
    snprintf(path, sizeof path, "%s/a-missing.icd", dir);
    vgt_write_file(path, "/nonexistent/libvg_no_such_driver.so\n", 37);
    snprintf(path, sizeof path, "%s/b-not-opencl.icd", dir);
    vgt_write_file(path, "libm.so.6\n", 10);
    snprintf(path, sizeof path, "%s/pocl.icd", dir);
    vgt_write_file(path, pocl, size);

    vg_loaded_plugin *plugin = NULL;
    const vg_plugin *desc = load(&plugin);
    vg_probe_result r;
    cr_assert_eq(desc->probe(cpu_options, &r), 0, "%s", r.reason);
    cr_assert_eq(r.device_count, 1, "reason: %s", r.reason);
    expect_contains(r.detail, "Portable Computing Language");
    vg_plugin_unload(&plugin);
    free(pocl);
    free(dir);
}

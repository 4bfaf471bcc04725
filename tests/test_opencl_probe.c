/*
 * test_opencl_probe.c - the OpenCL plugin's probe, options and device
 * selection, on the PoCL CPU device the test machines have.
 *
 * Options come from YAML through the core's option parser, as in a real
 * run, so these tests also pin the option table (names, FLAGS bits) to
 * what config.yaml documents.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/loader.h"

#define OPENCL_PLUGIN VG_TEST_PLUGIN_DIR "/vg_opencl.so"

#define expect_contains(text, part)                                            \
    cr_assert(strstr((text), (part)) != NULL, "'%s'\ndoes not contain '%s'",   \
              (text), (part))

static vg_loaded_plugin *plugin;
static const vg_plugin *desc;

static void load_plugin(void)
{
    char reason[1024] = "";
    int rc = vg_plugin_load(OPENCL_PLUGIN, &plugin, reason, sizeof reason);
    cr_assert_eq(rc, 0, "%s", reason);
    desc = vg_loaded_plugin_descriptor(plugin);
}

static void unload_plugin(void)
{
    vg_plugin_unload(&plugin);
}

TestSuite(opencl_probe, .init = load_plugin, .fini = unload_plugin);

static void free_options(vg_option_value **values)
{
    vg_option_values_destroy(values, desc->option_count);
}

static vg_probe_result probe(const char *opencl_yaml)
{
    vg_option_value *values = vgt_plugin_options(desc, opencl_yaml);
    vg_probe_result result;
    cr_assert_eq(desc->probe(values, &result), 0, "%s", result.reason);
    free_options(&values);
    return result;
}

Test(opencl_probe, descriptor_declares_the_documented_options)
{
    cr_assert_str_eq(desc->name, "opencl");
    cr_assert_eq(desc->kind, VG_BACKEND_GPU);
    cr_assert_eq(desc->option_count, 3);
    cr_assert_str_eq(desc->options[0].name, "device_types");
    cr_assert_eq(desc->options[0].type, VG_OPTION_FLAGS);
    cr_assert_str_eq(desc->options[0].default_value, "gpu, accelerator");
    const char *const *choices = desc->options[0].choices;
    cr_assert_str_eq(choices[0], "gpu");
    cr_assert_str_eq(choices[1], "accelerator");
    cr_assert_str_eq(choices[2], "cpu");
    cr_assert_str_eq(choices[3], "all");
    cr_assert_null(choices[4]);
    cr_assert_str_eq(desc->options[1].name, "platform");
    cr_assert_eq(desc->options[1].type, VG_OPTION_STRING);
    cr_assert_str_eq(desc->options[1].default_value, "");
    cr_assert_str_eq(desc->options[2].name, "device");
    cr_assert_eq(desc->options[2].type, VG_OPTION_STRING);
    cr_assert_str_eq(desc->options[2].default_value, "");
}

Test(opencl_probe, pocl_device_is_listed_with_its_facts_when_cpu_allowed)
{
    vg_probe_result r = probe("    device_types: [cpu]\n");
    cr_assert_eq(r.device_count, 1, "reason: %s", r.reason);
    const vg_device_info *d = &r.devices[0];
    cr_assert_eq(d->type, VG_DEVICE_CPU);
    cr_assert_neq(d->name[0], '\0');
    cr_assert_neq(d->vendor[0], '\0');
    cr_assert_neq(d->driver[0], '\0', "driver version missing");
    cr_assert_gt(d->compute_units, 0);
    cr_assert_gt(d->memory_bytes, 0);
    expect_contains(d->detail, "CPU OpenCL ");
    expect_contains(d->detail, "OpenCL C 1.");
    expect_contains(d->detail, "platform 0 (Portable Computing Language)");
    expect_contains(r.detail, "1 OpenCL platform: Portable Computing Language");
    cr_assert_str_eq(r.reason, "");
}

Test(opencl_probe, all_includes_cpu_devices)
{
    vg_probe_result r = probe("    device_types: [all]\n");
    cr_assert_eq(r.device_count, 1, "reason: %s", r.reason);
}

Test(opencl_probe, default_options_skip_pocl_with_the_reason)
{
    vg_probe_result r = probe("");
    cr_assert_eq(r.device_count, 0);
    expect_contains(r.reason, "1 OpenCL device, none selected: CPU OpenCL "
                              "device '");
    expect_contains(r.reason, "(Portable Computing Language) skipped: the "
                              "native cpu backend serves the CPU; set "
                              "backend_options.opencl.device_types: [cpu] "
                              "to allow it");
    /* the reason says it; the detail lists the platform without repeating
     * the reason */
    expect_contains(r.detail, "1 OpenCL platform: Portable Computing Language");
    cr_assert_null(strstr(r.detail, "not used"), "%s", r.detail);
}

Test(opencl_probe, check_device_fails_with_the_skip_reason_by_default)
{
    vg_option_value *values = vgt_plugin_options(desc, "");
    vg_job_limits limits = {64, 48};
    char reason[1024] = "";
    int rc = desc->check_device(values, 0, &limits, reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_NO_DEVICE, "rc %d: %s", rc, reason);
    expect_contains(reason, "skipped: the native cpu backend serves the CPU");
    free_options(&values);
}

Test(opencl_probe, gpu_only_names_the_type_filter)
{
    vg_probe_result r = probe("    device_types: [gpu]\n");
    cr_assert_eq(r.device_count, 0);
    expect_contains(r.reason, "CPU OpenCL device '");
}

Test(opencl_probe, platform_by_name_substring_and_index)
{
    vg_probe_result r = probe("    device_types: [cpu]\n"
                              "    platform: portable\n");
    cr_assert_eq(r.device_count, 1, "reason: %s", r.reason);
    r = probe("    device_types: [cpu]\n    platform: \"0\"\n");
    cr_assert_eq(r.device_count, 1, "reason: %s", r.reason);
}

Test(opencl_probe, platform_that_matches_nothing_is_the_reason)
{
    vg_probe_result r = probe("    device_types: [cpu]\n"
                              "    platform: NoSuchVendor\n");
    cr_assert_eq(r.device_count, 0);
    expect_contains(r.reason, "is on platform 0 (Portable Computing "
                              "Language), not platform: 'NoSuchVendor'");
    r = probe("    device_types: [cpu]\n    platform: \"3\"\n");
    cr_assert_eq(r.device_count, 0);
    expect_contains(r.reason, "not platform: '3'");
}

Test(opencl_probe, device_by_index_and_name)
{
    vg_probe_result all = probe("    device_types: [cpu]\n");
    cr_assert_eq(all.device_count, 1);

    vg_probe_result r = probe("    device_types: [cpu]\n    device: \"0\"\n");
    cr_assert_eq(r.device_count, 1, "reason: %s", r.reason);
    cr_assert_str_eq(r.devices[0].name, all.devices[0].name);

    /* a name substring, in another case */
    char yaml[512], part[8] = "";
    for (int i = 0; i < 4 && all.devices[0].name[i]; i++)
        part[i] = (char)toupper((unsigned char)all.devices[0].name[i]);
    snprintf(yaml, sizeof yaml, "    device_types: [cpu]\n    device: \"%s\"\n",
             part);
    r = probe(yaml);
    cr_assert_eq(r.device_count, 1, "'%s': %s", part, r.reason);

    r = probe("    device_types: [cpu]\n    device: \"1\"\n");
    cr_assert_eq(r.device_count, 0);
    expect_contains(r.reason, "is not device: '1'");
}

Test(opencl_probe, check_device_beyond_the_list_is_a_reason)
{
    vg_option_value *values =
        vgt_plugin_options(desc, "    device_types: [cpu]\n");
    vg_job_limits limits = {64, 48};
    char reason[1024] = "";
    int rc = desc->check_device(values, 1, &limits, reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_NO_DEVICE);
    cr_assert_str_eq(reason, "no OpenCL device 1: 1 device selected");
    free_options(&values);
}

Test(opencl_probe, check_device_rejects_frames_beyond_the_buffer_limit)
{
    /* PoCL reports a quarter of this many GiB as its buffer limit, less
     * than the largest frame allowed (16384 x 16384 x 4 = 1 GiB); set
     * before the first OpenCL call of this test's process. */
    cr_assert_eq(setenv("POCL_MEMORY_LIMIT", "1", 1), 0);
    vg_option_value *values =
        vgt_plugin_options(desc, "    device_types: [cpu]\n");
    vg_probe_result r = probe("    device_types: [cpu]\n");
    const char *at = strstr(r.devices[0].detail, "max buffer ");
    cr_assert_not_null(at);
    unsigned long long max_mib = strtoull(at + strlen("max buffer "), NULL, 10);
    cr_assert_gt(max_mib, 0);
    if (max_mib >= 1024)
        cr_skip_test("device allows %llu MiB buffers", max_mib);

    vg_job_limits limits = {VG_MAX_DIMENSION, VG_MAX_DIMENSION};
    char reason[1024] = "", expected[256];
    int rc = desc->check_device(values, 0, &limits, reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_UNSUPPORTED, "rc %d: %s", rc, reason);
    snprintf(expected, sizeof expected,
             "allows buffers of %llu MiB (CL_DEVICE_MAX_MEM_ALLOC_SIZE); a "
             "16384x16384 frame needs 1024 MiB",
             max_mib);
    expect_contains(reason, expected);

    /* a frame that fits passes the same device */
    limits = (vg_job_limits){1920, 1080};
    rc = desc->check_device(values, 0, &limits, reason, sizeof reason);
    cr_assert_eq(rc, 0, "rc %d: %s", rc, reason);
    free_options(&values);
}

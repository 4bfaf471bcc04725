/*
 * test_opencl_cache_trust.c - a forged OpenCL program binary in the cache:
 * valid for the driver, right on narrow frames, wrong from column 200 (the
 * plugin's VG_OPENCL_TEST_FORGE_CACHE hook builds it under the genuine
 * program's key).  The self-test must see it; the entry must be deleted
 * and the program rebuilt from source in the same run, so OpenCL is not
 * left off on every later run.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/select.h"

/* plugin_dirs: this build's plugin, whatever is installed. */
static const char config_yaml[] = "backends: [opencl]\n"
                                  "plugin_dirs: [" VG_TEST_PLUGIN_DIR "]\n"
                                  "backend_options:\n"
                                  "  opencl:\n"
                                  "    device_types: [cpu]\n";

typedef struct outcome {
    int rc;
    vg_stage stage;
    char reason[VG_ATTEMPT_REASON_MAX];
} outcome;

static outcome select_opencl(void)
{
    vg_config *cfg = NULL;
    char err[2048];
    cr_assert_eq(
        vg_config_load_string(config_yaml, "t.yaml", &cfg, err, sizeof err), 0,
        "%s", err);
    vg_job_limits limits = {.max_width = 64, .max_height = 64};
    vg_selector *sel = NULL;
    vg_backend *backend = NULL;
    cr_assert_eq(vg_selector_create(cfg, &limits, &sel), 0);
    outcome o = {.rc = vg_selector_next(sel, &backend, err, sizeof err)};
    const vg_attempt *a = vg_selector_attempt(sel, 0);
    o.stage = a->stage;
    snprintf(o.reason, sizeof o.reason, "%s", a->reason);
    vg_backend_close(&backend);
    vg_selector_destroy(&sel);
    vg_config_destroy(&cfg);
    return o;
}

Test(opencl_cache_trust, forged_entry_is_caught_deleted_and_rebuilt,
     .timeout = 600)
{
    char *cache = vgt_make_temp_dir("ocl-forge");
    cr_assert_eq(setenv("XDG_CACHE_HOME", cache, 1), 0);
    unsetenv("VG_OPENCL_TEST_BREAK_SOURCE");

    /* Built forged (and cached so): its self-test fails at 257x131, and
     * with the hook still set, so does the rebuild. */
    cr_assert_eq(setenv("VG_OPENCL_TEST_FORGE_CACHE", "200", 1), 0);
    outcome o = select_opencl();
    cr_assert_eq(o.stage, VG_STAGE_SELFTEST, "%s", o.reason);
    cr_assert(strstr(o.reason, "warp_affine output differs from the "
                               "reference at 257x131 (plane 0, row "),
              "%s", o.reason);

    /* The forged entry is in the cache under the genuine key.  A normal run
     * loads it, catches it, deletes it and rebuilds from source. */
    unsetenv("VG_OPENCL_TEST_FORGE_CACHE");
    o = select_opencl();
    cr_assert_eq(o.rc, 0, "%s", o.reason);
    cr_assert_eq(o.stage, VG_STAGE_SELECTED, "%s", o.reason);
    cr_assert(strstr(o.reason, "its cached program failed the self-test "
                               "(self-test: warp_affine output differs") &&
                  strstr(o.reason, "the entry was deleted and the program "
                                   "rebuilt from source"),
              "%s", o.reason);

    /* The next run uses the rebuilt entry, which passes. */
    o = select_opencl();
    cr_assert_eq(o.stage, VG_STAGE_SELECTED, "%s", o.reason);
    cr_assert(strstr(o.reason, "program loaded from the binary cache"), "%s",
              o.reason);
    cr_assert(!strstr(o.reason, "failed the self-test"), "%s", o.reason);
    free(cache);
}

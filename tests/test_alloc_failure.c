/*
 * test_alloc_failure.c - every allocation of the config, job and loader
 * code made to fail in turn (vg/debug.h): each failure must come back as a
 * clear error (never a crash), and under AddressSanitizer leave no leak.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/debug.h"
#include "vg/job.h"
#include "vg/loader.h"
#include "vg/select.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define CHECK_LEAKS()                                                          \
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "leak (see above)")
#else
#define CHECK_LEAKS() ((void)0)
#endif

/* One operation under test: returns 0 or a vg error, writes err. */
typedef int (*operation_fn)(const void *arg, char *err, size_t err_size);

/* Run `op` with allocation 1, 2, ... failing until it makes fewer
 * allocations than the one set to fail; returns how many were failed. */
static uint64_t fail_each_allocation(operation_fn op, const void *arg)
{
    char err[4096];
    uint64_t n = 1;
    for (;; n++) {
        err[0] = '\0';
        vg_debug_fail_allocation(n);
        int rc = op(arg, err, sizeof err);
        uint64_t made = vg_debug_allocation_count();
        vg_debug_fail_allocation(0);
        if (made < n) {
            cr_assert_eq(rc, 0, "unfailed run: rc %d: %s", rc, err);
            break;
        }
        /* A failure may be absorbed (rc 0); if not, it is reported. */
        cr_assert(rc <= 0, "allocation %llu: rc %d", (unsigned long long)n, rc);
        if (rc != 0)
            cr_assert(err[0] != '\0', "allocation %llu failed silently (rc %d)",
                      (unsigned long long)n, rc);
    }
    CHECK_LEAKS();
    return n - 1;
}

static int load_config_file(const void *arg, char *err, size_t err_size)
{
    vg_config *cfg = NULL;
    int rc = vg_config_load(arg, &cfg, err, err_size);
    vg_config_destroy(&cfg);
    return rc;
}

Test(alloc_failure, config_file)
{
    uint64_t n = fail_each_allocation(load_config_file,
                                      VG_TEST_SOURCE_DIR "/config.yaml");
    cr_assert_gt(n, 20, "only %llu allocations", (unsigned long long)n);
}

static int load_config_string(const void *arg, char *err, size_t err_size)
{
    vg_config *cfg = NULL;
    int rc = vg_config_load_string(arg, "t.yaml", &cfg, err, err_size);
    if (rc == 0)
        rc = vg_config_set_backends(cfg, "opencl, cpu", "--backend", err,
                                    err_size);
    vg_config_destroy(&cfg);
    return rc;
}

Test(alloc_failure, config_string_with_every_section)
{
    const char *yaml = "video_generation: {use_gpu: false}\n"
                       "backends: [cpu]\n"
                       "plugin_dirs: [/opt/a, /opt/b]\n"
                       "backend_options:\n  cpu: {threads: 2, isa: auto}\n"
                       "limits: {jpeg_max_scans: 50}\n"
                       "job:\n  width: 64\n  height: 32\n"
                       "  clips: [{pattern: bars, frames: 2}]\n";
    fail_each_allocation(load_config_string, yaml);
}

static int load_job(const void *arg, char *err, size_t err_size)
{
    vg_job *job = NULL;
    int rc = vg_job_load(arg, &job, err, err_size);
    vg_job_destroy(&job);
    return rc;
}

Test(alloc_failure, job_with_picture_camera_and_transition)
{
    char *dir = vgt_make_temp_dir("alloc-job");
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/job.yaml", dir) > 0);
    const char *yaml =
        "width: 64\nheight: 32\nfps: 30000/1001\nblur: 1\n"
        "camera: {from: {zoom: 1}, to: {zoom: 1.2}}\n"
        "clips:\n"
        "  - image: " VG_TEST_SOURCE_DIR "/tests/fixtures/jobs/grey8.png\n"
        "    frames: 10\n"
        "    camera: {keys: [{at: 0, zoom: 1.5}, {at: \"100%\", zoom: 1, x: "
        "0.4}]}\n"
        "  - pattern: testsrc\n    frames: 10\n"
        "    transition: {type: wipe, frames: 4}\n";
    vgt_write_file(path, yaml, strlen(yaml));
    char err[4096];
    vg_job *job = NULL;
    cr_assert_eq(vg_job_load(path, &job, err, sizeof err), 0, "%s", err);
    vg_job_destroy(&job);
    uint64_t n = fail_each_allocation(load_job, path);
    cr_assert_gt(n, 10, "only %llu allocations", (unsigned long long)n);
    free(path);
    free(dir);
}

static int search_plugins(const void *arg, char *err, size_t err_size)
{
    (void)arg;
    vg_search_path *sp = NULL;
    char **list = NULL;
    size_t count = 0;
    char *found = NULL;
    int rc = vg_search_path_create(NULL, &sp);
    if (rc == 0)
        rc = vg_search_path_list(sp, &list, &count);
    if (rc == 0)
        rc = vg_search_path_find(sp, "cpu", &found, err, err_size);
    if (rc != 0 && !err[0])
        snprintf(err, err_size, "%s", vg_strerror(rc));
    free(found);
    vg_string_list_free(&list, count);
    vg_search_path_destroy(&sp);
    return rc;
}

Test(alloc_failure, plugin_search_path)
{
    setenv("VG_PLUGIN_PATH", "/opt/x:/opt/y", 1);
    fail_each_allocation(search_plugins, NULL);
}

static int load_plugin(const void *arg, char *err, size_t err_size)
{
    const vg_config *cfg = arg;
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    int rc = vg_plugin_load_and_probe(VG_TEST_PLUGIN_DIR "/vg_cpu.so", cfg, &lp,
                                      &probe, err, err_size);
    vg_plugin_unload(&lp);
    return rc;
}

Test(alloc_failure, plugin_load_and_options)
{
    setenv("VG_PLUGIN_SCAN", "inprocess", 1);
    vg_config *cfg = NULL;
    char err[1024];
    cr_assert_eq(vg_config_load_string("backend_options:\n  cpu: {threads: "
                                       "2}\n",
                                       "t.yaml", &cfg, err, sizeof err),
                 0, "%s", err);
    fail_each_allocation(load_plugin, cfg);
    vg_config_destroy(&cfg);
}

static int select_backend(const void *arg, char *err, size_t err_size)
{
    const vg_config *cfg = arg;
    vg_job_limits limits = {.max_width = 64, .max_height = 32};
    vg_selector *sel = NULL;
    vg_backend *backend = NULL;
    int rc = vg_selector_create(cfg, &limits, &sel);
    if (rc != 0)
        snprintf(err, err_size, "%s", vg_strerror(rc));
    else
        rc = vg_selector_next(sel, &backend, err, err_size);
    vg_backend_close(&backend);
    vg_selector_destroy(&sel);
    return rc;
}

Test(alloc_failure, backend_selection)
{
    setenv("VG_PLUGIN_SCAN", "inprocess", 1);
    vg_config *cfg = NULL;
    char err[1024];
    cr_assert_eq(vg_config_load_string("backends: [cpu]\n", "t.yaml", &cfg, err,
                                       sizeof err),
                 0, "%s", err);
    fail_each_allocation(select_backend, cfg);
    vg_config_destroy(&cfg);
}

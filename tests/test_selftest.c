/*
 * test_selftest.c - the self-test catches a kernel that is wrong only on
 * wide frames (the faulty plugin's warp_wrong_from_x), before it renders a
 * frame: the backend is skipped and the job's bytes are the CPU's.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/selftest.h"
#include "test_support.h"
#include "vg/config.h"
#include "vg/select.h"

/* The self-test is right on narrow frames and must still see a warp that
 * goes wrong from column 200. */
Test(selftest, warp_wrong_only_on_wide_frames_is_caught)
{
    setenv("VG_FAULTY", "warp_wrong_from_x=200", 1);
    setenv("VG_PLUGIN_PATH", VG_TEST_PLUGIN_DIR, 1);
    vg_config *cfg = NULL;
    char err[2048];
    cr_assert_eq(vg_config_load_string("backends: [faulty, cpu]\n", "t.yaml",
                                       &cfg, err, sizeof err),
                 0, "%s", err);
    vg_job_limits limits = {.max_width = 64, .max_height = 64};
    vg_selector *sel = NULL;
    vg_backend *backend = NULL;
    cr_assert_eq(vg_selector_create(cfg, &limits, &sel), 0);
    cr_assert_eq(vg_selector_next(sel, &backend, err, sizeof err), 0, "%s",
                 err);
    cr_assert_str_eq(vg_backend_name(backend), "cpu");
    const vg_attempt *a = vg_selector_attempt(sel, 0);
    cr_assert_str_eq(a->backend, "faulty");
    cr_assert_eq(a->stage, VG_STAGE_SELFTEST, "%s", a->reason);
    cr_assert_eq(a->code, VG_ERR_MISMATCH);
    cr_assert(strstr(a->reason, "self-test: warp_affine output differs from "
                                "the reference at 257x131 (plane 0, row "),
              "%s", a->reason);
    cr_assert(strstr(a->reason, ", byte 800: "), "%s", a->reason);
    /* and which case: the first of the warp's self-test rows */
    cr_assert(strstr(a->reason, ") in case: zoom 1.37, rotate 17 from 193x99, "
                                "border edge, u0 "),
              "%s", a->reason);
    vg_backend_close(&backend);
    vg_selector_destroy(&sel);
    vg_config_destroy(&cfg);
}

/* The job that showed it: a 1080p zoom, rendered by faulty then cpu, gives
 * the CPU's bytes (before, faulty was selected and wrote 2,347,696 wrong
 * bytes with exit 0). */
Test(selftest, wrong_wide_warp_never_renders)
{
    char *dir = vgt_make_temp_dir("wide-warp");
    char *job = NULL, *a = NULL, *b = NULL;
    cr_assert(asprintf(&job, "%s/job.yaml", dir) > 0);
    cr_assert(asprintf(&a, "%s/faulty.y4m", dir) > 0);
    cr_assert(asprintf(&b, "%s/cpu.y4m", dir) > 0);
    const char *yaml = "width: 640\nheight: 64\n"
                       "clips: [{pattern: testsrc, frames: 2,\n"
                       "  camera: {from: {zoom: 1}, to: {zoom: 1.5}}}]\n";
    vgt_write_file(job, yaml, strlen(yaml));
    const char *env_faulty[] = {"VG_CONFIG", "VG_FAULTY=warp_wrong_from_x=200",
                                "VG_PLUGIN_PATH=" VG_TEST_PLUGIN_DIR, NULL};
    const char *argv_a[] = {VG_TEST_VGRUN, job,  "--backend", "faulty,cpu",
                            "-v",          "-o", a,           NULL};
    vgt_run_result r = vgt_run(argv_a, env_faulty);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.err, "vgrun: using cpu"), "%s", r.err);
    cr_assert(strstr(r.err, "skipped faulty (self-test)"), "%s", r.err);
    vgt_run_result_free(&r);
    const char *env_cpu[] = {"VG_CONFIG", "VG_FAULTY",
                             "VG_PLUGIN_PATH=" VG_TEST_PLUGIN_DIR, NULL};
    const char *argv_b[] = {VG_TEST_VGRUN, job, "--backend", "cpu",
                            "-o",          b,   NULL};
    r = vgt_run(argv_b, env_cpu);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);
    size_t size_a = 0, size_b = 0;
    char *bytes_a = vgt_read_file(a, &size_a);
    char *bytes_b = vgt_read_file(b, &size_b);
    cr_assert(bytes_a && bytes_b);
    cr_assert_eq(size_a, size_b);
    cr_assert_eq(memcmp(bytes_a, bytes_b, size_a), 0);
    free(bytes_a);
    free(bytes_b);
    free(job);
    free(a);
    free(b);
    free(dir);
}

/* ---- the self-test cache -------------------------------------------------
 */

typedef struct cache_run {
    char *dir, *cache, *plugins, *config, *job, *out;
} cache_run;

/* A private cache, a private plugin directory holding a copy of the cpu
 * plugin, and a config naming it. */
static cache_run cache_setup(const char *tag)
{
    cache_run c = {0};
    c.dir = vgt_make_temp_dir(tag);
    cr_assert(asprintf(&c.cache, "%s/cache", c.dir) > 0);
    cr_assert(asprintf(&c.plugins, "%s/plugins", c.dir) > 0);
    cr_assert(asprintf(&c.config, "%s/config.yaml", c.dir) > 0);
    cr_assert(asprintf(&c.job, "%s/job.yaml", c.dir) > 0);
    cr_assert(asprintf(&c.out, "%s/out.y4m", c.dir) > 0);
    cr_assert_eq(mkdir(c.cache, 0700), 0);
    cr_assert_eq(mkdir(c.plugins, 0755), 0);
    size_t size = 0;
    char *bytes = vgt_read_file(VG_TEST_PLUGIN_DIR "/vg_cpu.so", &size);
    cr_assert(bytes);
    char *copy = NULL;
    cr_assert(asprintf(&copy, "%s/vg_cpu.so", c.plugins) > 0);
    vgt_write_file(copy, bytes, size);
    cr_assert_eq(chmod(copy, 0755), 0);
    free(copy);
    free(bytes);
    const char *cfg = "backends: [cpu]\nplugin_dirs: [plugins]\n";
    vgt_write_file(c.config, cfg, strlen(cfg));
    const char *job = "width: 64\nheight: 32\n"
                      "clips: [{pattern: bars, frames: 1}]\n";
    vgt_write_file(c.job, job, strlen(job));
    return c;
}

static void cache_free(cache_run *c)
{
    free(c->dir);
    free(c->cache);
    free(c->plugins);
    free(c->config);
    free(c->job);
    free(c->out);
}

/* vgrun -v on the setup; returns its "using" line's self-test note:
 * 'c' cached, 'r' ran. */
static char run_selection(const cache_run *c, bool reprobe)
{
    char *env_cache = NULL;
    cr_assert(asprintf(&env_cache, "XDG_CACHE_HOME=%s", c->cache) > 0);
    const char *env[] = {env_cache, "VG_CONFIG", "VG_BACKENDS", NULL};
    const char *argv[] = {
        VG_TEST_VGRUN, "-v",      "-y",
        "-c",          c->config, c->job,
        "-o",          c->out,    reprobe ? "--reprobe" : NULL,
        NULL};
    vgt_run_result r = vgt_run(argv, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    const char *using = strstr(r.err, "vgrun: using cpu (");
    cr_assert(using, "%s", r.err);
    char result = strstr(using, "; self-test passed before (cached))\n") ? 'c'
                  : strstr(using, " ms)\n")                              ? 'r'
                                                                         : '?';
    cr_assert_neq(result, '?', "%s", r.err);
    vgt_run_result_free(&r);
    free(env_cache);
    return result;
}

Test(selftest_cache, pass_is_reused_until_reprobe_or_a_new_file)
{
    cache_run c = cache_setup("st-cache");
    cr_assert_eq(run_selection(&c, false), 'r', "cold: the self-test runs");
    cr_assert_eq(run_selection(&c, false), 'c', "warm: cached");
    cr_assert_eq(run_selection(&c, true), 'r', "--reprobe runs it again");
    /* A different plugin file at the same path (one byte appended: the
     * code still loads) misses the cache. */
    char *plugin = NULL;
    cr_assert(asprintf(&plugin, "%s/vg_cpu.so", c.plugins) > 0);
    FILE *f = fopen(plugin, "ab");
    cr_assert(f);
    fputc(0, f);
    fclose(f);
    cr_assert_eq(run_selection(&c, false), 'r', "new file: runs again");
    cr_assert_eq(run_selection(&c, false), 'c');
    free(plugin);
    cache_free(&c);
}

/* Another user's or a shared cache could hold a forged pass: a cache
 * directory others can write is not used. */
Test(selftest_cache, cache_writable_by_others_is_not_used)
{
    cache_run c = cache_setup("st-cache-open");
    cr_assert_eq(run_selection(&c, false), 'r');
    char *dir = NULL;
    cr_assert(asprintf(&dir, "%s/vg/selftest", c.cache) > 0);
    cr_assert_eq(chmod(dir, 0777), 0);
    cr_assert_eq(run_selection(&c, false), 'r', "not read from 0777");
    free(dir);
    cache_free(&c);
}

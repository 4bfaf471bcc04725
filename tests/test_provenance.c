/*
 * test_provenance.c - what code and which config vg agrees to use:
 * plugin ownership and permission rules, VG_PLUGIN_PATH elements, the
 * config lookup order (never ./config.yaml) and what -v says about it.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/loader.h"

#define FAULTY VG_TEST_PLUGIN_DIR "/vg_faulty.so"

static char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

/* A copy of the faulty test plugin as DIR/vg_faulty.so with `mode`. */
static char *copy_plugin(const char *dir, mode_t mode)
{
    size_t size = 0;
    char *bytes = vgt_read_file(FAULTY, &size);
    cr_assert(bytes, "read %s", FAULTY);
    char *dst = path_in(dir, "vg_faulty.so");
    vgt_write_file(dst, bytes, size);
    cr_assert_eq(chmod(dst, mode), 0);
    free(bytes);
    return dst;
}

static int try_load(const char *path, char *reason, size_t size)
{
    vg_loaded_plugin *lp = NULL;
    reason[0] = '\0';
    int rc = vg_plugin_load(path, &lp, reason, size);
    vg_plugin_unload(&lp);
    return rc;
}

Test(plugin_trust, private_copy_loads)
{
    char *dir = vgt_make_temp_dir("trust-ok");
    cr_assert_eq(chmod(dir, 0755), 0);
    char *plugin = copy_plugin(dir, 0755);
    char reason[1024];
    cr_assert_eq(try_load(plugin, reason, sizeof reason), 0, "%s", reason);
    free(plugin);
    free(dir);
}

Test(plugin_trust, world_writable_directory_is_refused)
{
    char *dir = vgt_make_temp_dir("trust-dir");
    char *plugin = copy_plugin(dir, 0755);
    cr_assert_eq(chmod(dir, 0777), 0);
    char reason[1024], expected[1024];
    cr_assert_eq(try_load(plugin, reason, sizeof reason), VG_ERR_PLUGIN);
    char *real = realpath(dir, NULL);
    snprintf(expected, sizeof expected,
             "%s: refused: its directory %s is writable by others (mode "
             "0777); run 'chmod go-w %s'",
             plugin, real, real);
    cr_assert_str_eq(reason, expected);
    free(real);
    free(plugin);
    free(dir);
}

Test(plugin_trust, group_writable_file_is_refused)
{
    char *dir = vgt_make_temp_dir("trust-file");
    cr_assert_eq(chmod(dir, 0755), 0);
    char *plugin = copy_plugin(dir, 0775);
    char reason[1024];
    cr_assert_eq(try_load(plugin, reason, sizeof reason), VG_ERR_PLUGIN);
    cr_assert(strstr(reason, "refused: the file ") &&
                  strstr(reason, "is writable by its group (mode 0775)"),
              "%s", reason);
    free(plugin);
    free(dir);
}

/* A symbolic link in a private directory to a file in a writable one: the
 * rule applies to where the code really is. */
Test(plugin_trust, link_into_writable_directory_is_refused)
{
    char *open_dir = vgt_make_temp_dir("trust-open");
    char *plugin = copy_plugin(open_dir, 0755);
    cr_assert_eq(chmod(open_dir, 0777), 0);
    char *dir = vgt_make_temp_dir("trust-link");
    cr_assert_eq(chmod(dir, 0755), 0);
    char *link = path_in(dir, "vg_faulty.so");
    cr_assert_eq(symlink(plugin, link), 0);
    char reason[1024];
    cr_assert_eq(try_load(link, reason, sizeof reason), VG_ERR_PLUGIN);
    cr_assert(strstr(reason, "is writable by others"), "%s", reason);
    free(link);
    free(dir);
    free(plugin);
    free(open_dir);
}

Test(plugin_trust, file_of_another_user_is_refused)
{
    if (geteuid() != 0)
        cr_skip_test("needs root to give a file to another user");
    char *dir = vgt_make_temp_dir("trust-owner");
    cr_assert_eq(chmod(dir, 0755), 0);
    char *plugin = copy_plugin(dir, 0755);
    cr_assert_eq(chown(plugin, 65534, 65534), 0);
    char reason[1024];
    cr_assert_eq(try_load(plugin, reason, sizeof reason), VG_ERR_PLUGIN);
    cr_assert(strstr(reason, "is owned by uid 65534, not by root or you"), "%s",
              reason);
    free(plugin);
    free(dir);
}

/* The refused file shows in --list-backends with its reason, and its code
 * never runs (the faulty plugin would print its probe otherwise). */
Test(plugin_trust, list_backends_names_the_refused_file)
{
    char *dir = vgt_make_temp_dir("trust-list");
    char *plugin = copy_plugin(dir, 0755);
    cr_assert_eq(chmod(dir, 0777), 0);
    char *env_path = NULL;
    cr_assert(asprintf(&env_path, "VG_PLUGIN_PATH=%s", dir) > 0);
    const char *argv[] = {VG_TEST_VGRUN, "--list-backends", "--backend",
                          "faulty,cpu", NULL};
    const char *env[] = {env_path, "VG_CONFIG", "VG_BACKENDS", NULL};
    vgt_run_result r = vgt_run(argv, env);
    cr_assert(strstr(r.out, "refused: its directory") &&
                  strstr(r.out, "is writable by others"),
              "stdout: %s\nstderr: %s", r.out, r.err);
    vgt_run_result_free(&r);
    free(env_path);
    free(plugin);
    free(dir);
}

/* Empty and relative VG_PLUGIN_PATH elements never add a directory. */
Test(search_path, empty_and_relative_elements_are_ignored)
{
    setenv("VG_PLUGIN_PATH", ":plugins::/opt/vg-a:.:", 1);
    vg_search_path *sp = NULL;
    cr_assert_eq(vg_search_path_create(NULL, &sp), 0);
    size_t from_env = 0;
    for (size_t i = 0; i < vg_search_path_count(sp); i++) {
        const vg_search_dir *d = vg_search_path_dir(sp, i);
        cr_assert_eq(d->path[0], '/', "relative dir '%s' (%s)", d->path,
                     d->origin);
        if (strcmp(d->origin, "VG_PLUGIN_PATH") == 0) {
            cr_assert_str_eq(d->path, "/opt/vg-a");
            from_env++;
        }
    }
    cr_assert_eq(from_env, 1);
    vg_search_path_destroy(&sp);
}

/* ---- config lookup ------------------------------------------------------ */

static const char bad_config[] = "title: My Blog\ntheme: minima\n";

/* vgrun in a directory holding someone else's config.yaml: not read. */
Test(config_lookup, current_directory_is_never_read)
{
    char *dir = vgt_make_temp_dir("cwd-config");
    char *cfg = path_in(dir, "config.yaml");
    vgt_write_file(cfg, bad_config, strlen(bad_config));
    char *home = path_in(dir, "home");
    cr_assert_eq(mkdir(home, 0700), 0);
    char *home_env = NULL;
    cr_assert(asprintf(&home_env, "HOME=%s", home) > 0);
    cr_assert_eq(chdir(dir), 0);
    const char *argv[] = {VG_TEST_VGRUN, "-v",  "--list-backends",
                          "--backend",   "cpu", NULL};
    const char *env[] = {"VG_CONFIG", "XDG_CONFIG_HOME", home_env, NULL};
    vgt_run_result r = vgt_run(argv, env);
    cr_assert_eq(r.exit_code, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "vgrun: config: none, the built-in defaults"), "%s",
              r.err);
    vgt_run_result_free(&r);
    free(home_env);
    free(home);
    free(cfg);
    free(dir);
}

static void write_config_at(const char *dir, const char *text)
{
    char *vg_dir = path_in(dir, "vg");
    cr_assert_eq(mkdir(vg_dir, 0700), 0);
    char *cfg = path_in(vg_dir, "config.yaml");
    vgt_write_file(cfg, text, strlen(text));
    free(cfg);
    free(vg_dir);
}

Test(config_lookup, xdg_config_home_then_home)
{
    char *dir = vgt_make_temp_dir("xdg-config");
    char *xdg = path_in(dir, "xdg");
    char *home = path_in(dir, "home");
    char *dot_config = path_in(home, ".config");
    cr_assert_eq(mkdir(xdg, 0700), 0);
    cr_assert_eq(mkdir(home, 0700), 0);
    cr_assert_eq(mkdir(dot_config, 0700), 0);
    write_config_at(xdg, "backends: [cpu]\n");
    write_config_at(dot_config, "backends: [cpu]\n");
    char *xdg_env = NULL, *home_env = NULL, *expect = NULL;
    cr_assert(asprintf(&xdg_env, "XDG_CONFIG_HOME=%s", xdg) > 0);
    cr_assert(asprintf(&home_env, "HOME=%s", home) > 0);
    const char *argv[] = {VG_TEST_VGRUN, "-v", "--list-backends", NULL};

    const char *env1[] = {"VG_CONFIG", "VG_BACKENDS", xdg_env, home_env, NULL};
    vgt_run_result r = vgt_run(argv, env1);
    cr_assert(asprintf(&expect,
                       "vgrun: config %s/vg/config.yaml "
                       "(XDG_CONFIG_HOME)\n",
                       xdg) > 0);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.err, expect), "%s", r.err);
    vgt_run_result_free(&r);
    free(expect);

    const char *env2[] = {"VG_CONFIG", "VG_BACKENDS", "XDG_CONFIG_HOME",
                          home_env, NULL};
    r = vgt_run(argv, env2);
    cr_assert(asprintf(&expect,
                       "vgrun: config %s/vg/config.yaml "
                       "(~/.config)\n",
                       dot_config) > 0);
    cr_assert(strstr(r.err, expect), "%s", r.err);
    vgt_run_result_free(&r);
    free(expect);
    free(xdg_env);
    free(home_env);
    free(dot_config);
    free(home);
    free(xdg);
    free(dir);
}

/* --config wins over VG_CONFIG, which wins over the user's file. */
Test(config_lookup, explicit_order)
{
    char *path = NULL;
    const char *origin = NULL;
    setenv("VG_CONFIG", "/from/env.yaml", 1);
    cr_assert_eq(vg_config_locate("/given.yaml", &path, &origin), 0);
    cr_assert_str_eq(path, "/given.yaml");
    cr_assert_str_eq(origin, "--config");
    free(path);
    cr_assert_eq(vg_config_locate(NULL, &path, &origin), 0);
    cr_assert_str_eq(path, "/from/env.yaml");
    cr_assert_str_eq(origin, "VG_CONFIG");
    free(path);
}

/* -v names every plugin file whose code ran, by its full path. */
Test(config_lookup, verbose_names_plugin_files)
{
    char *dir = vgt_make_temp_dir("verbose");
    char *out = path_in(dir, "o.y4m"), *job = path_in(dir, "j.yaml");
    const char *yaml = "width: 64\nheight: 32\n"
                       "clips: [{pattern: testsrc, frames: 1}]\n";
    vgt_write_file(job, yaml, strlen(yaml));
    const char *argv[] = {VG_TEST_VGRUN, "-v", job, "--backend",
                          "cpu",         "-o", out, NULL};
    /* VG_PLUGIN_PATH: this build's plugins, whatever is installed. */
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS",
                         "VG_PLUGIN_PATH=" VG_TEST_PLUGIN_DIR, NULL};
    vgt_run_result r = vgt_run(argv, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *real = realpath(VG_TEST_PLUGIN_DIR "/vg_cpu.so", NULL);
    char *expect = NULL;
    cr_assert(asprintf(&expect, "vgrun: plugin cpu loaded from %s\n", real) >
              0);
    cr_assert(strstr(r.err, expect), "%s", r.err);
    vgt_run_result_free(&r);
    free(expect);
    free(real);
    free(job);
    free(out);
    free(dir);
}

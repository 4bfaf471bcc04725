/*
 * test_loader.c - every reason the loader gives for a file it cannot use,
 * the search path, and the child-process probe.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/loader.h"
#include "vg/plugin.h"

#define FAULTY VG_TEST_PLUGIN_DIR "/vg_faulty.so"

static char reason[2048];

/* Load `path`; expect failure with `code` and a reason that names the file
 * and contains `text`. */
static void expect_load_failure(const char *path, int code, const char *text)
{
    vg_loaded_plugin *lp = NULL;
    int rc = vg_plugin_load(path, &lp, reason, sizeof reason);
    cr_assert_eq(rc, code, "rc %d, reason: %s", rc, reason);
    cr_assert_null(lp);
    cr_assert(strstr(reason, path), "reason does not name the file: %s",
              reason);
    cr_assert(strstr(reason, text), "expected '%s' in: %s", text, reason);
}

Test(loader, loads_a_valid_plugin)
{
    vg_loaded_plugin *lp = NULL;
    cr_assert_eq(vg_plugin_load(FAULTY, &lp, reason, sizeof reason), 0, "%s",
                 reason);
    const vg_plugin *desc = vg_loaded_plugin_descriptor(lp);
    cr_assert_str_eq(desc->name, "faulty");
    cr_assert_eq(desc->kind, VG_BACKEND_GPU);
    cr_assert_str_eq(vg_loaded_plugin_path(lp), FAULTY);
    vg_plugin_unload(&lp);
    cr_assert_null(lp);
}

Test(loader, not_a_shared_object)
{
    char *dir = vgt_make_temp_dir("garbage");
    char path[1024];
    snprintf(path, sizeof path, "%s/vg_garbage.so", dir);
    vgt_write_file(path, "this is not an ELF file\n", 24);
    expect_load_failure(path, VG_ERR_PLUGIN, "not a shared object");
    free(dir);
}

Test(loader, missing_file)
{
    expect_load_failure(VG_TEST_BUILD_DIR "/no/such/vg_nothing.so",
                        VG_ERR_PLUGIN, "cannot open");
}

Test(loader, missing_dependency)
{
    expect_load_failure(VG_TEST_BROKEN_PLUGIN_DIR "/vg_missingdep.so",
                        VG_ERR_PLUGIN, "missing dependency");
    cr_assert(strstr(reason, "libvg_test_gone_dependency.so"),
              "the missing library is not named: %s", reason);
}

Test(loader, missing_entry_symbol)
{
    expect_load_failure(VG_TEST_BROKEN_PLUGIN_DIR "/vg_noentry.so",
                        VG_ERR_PLUGIN,
                        "not a vg plugin: no 'vg_plugin_entry' entry symbol");
}

Test(loader, unsupported_abi_version)
{
    setenv("VG_FAULTY", "abi=99", 1);
    char want[128];
    snprintf(want, sizeof want,
             "ABI version 99 not supported (this vg speaks 1 to %u)",
             VG_PLUGIN_ABI_VERSION);
    expect_load_failure(FAULTY, VG_ERR_PLUGIN, want);
}

/* A descriptor claiming ABI 2 must cover ABI 2's slots. */
Test(loader, abi2_descriptor_of_v1_size)
{
    setenv("VG_FAULTY", "v1_descriptor,abi=2", 1);
    expect_load_failure(FAULTY, VG_ERR_PLUGIN,
                        "descriptor too short for ABI version 2");
}

Test(loader, abi_version_zero)
{
    setenv("VG_FAULTY", "abi=0", 1);
    expect_load_failure(FAULTY, VG_ERR_PLUGIN, "ABI version 0 not supported");
}

Test(loader, entry_returns_null)
{
    setenv("VG_FAULTY", "entry_null", 1);
    expect_load_failure(FAULTY, VG_ERR_PLUGIN,
                        "supports no ABI version this vg speaks");
}

/* short_struct claims this header's version. */
Test(loader, struct_too_short)
{
    setenv("VG_FAULTY", "short_struct", 1);
    char want[128];
    snprintf(want, sizeof want, "descriptor too short for ABI version %u",
             VG_PLUGIN_ABI_VERSION);
    expect_load_failure(FAULTY, VG_ERR_PLUGIN, want);
}

Test(loader, required_slot_null)
{
    setenv("VG_FAULTY", "null_slot", 1);
    expect_load_failure(FAULTY, VG_ERR_PLUGIN, "required slot 'blur' is NULL");
}

Test(loader, download_slots_come_as_a_pair)
{
    setenv("VG_FAULTY", "half_async", 1);
    expect_load_failure(FAULTY, VG_ERR_PLUGIN,
                        "optional slots 'frame_download_start' and "
                        "'frame_download_wait' must be set together");
}

Test(loader, file_name_must_match_plugin_name)
{
    char *dir = vgt_make_temp_dir("renamed");
    char path[1024], command[2048];
    snprintf(path, sizeof path, "%s/vg_other.so", dir);
    snprintf(command, sizeof command, "cp '%s' '%s'", FAULTY, path);
    cr_assert_eq(system(command), 0);
    expect_load_failure(path, VG_ERR_PLUGIN,
                        "the file name says backend 'other' but the plugin "
                        "calls itself 'faulty'");
    free(dir);
}

Test(loader, plugin_exports_only_its_entry_symbol)
{
    void *handle =
        dlopen(VG_TEST_PLUGIN_DIR "/vg_cpu.so", RTLD_NOW | RTLD_LOCAL);
    cr_assert_not_null(handle, "%s", dlerror());
    cr_assert_not_null(dlsym(handle, "vg_plugin_entry"));
    cr_assert_null(dlsym(handle, "cpu_probe"), "internal symbol exported");
    cr_assert_null(dlsym(handle, "vg_ref_blur"), "static library exported");
    dlclose(handle);
}

static vg_config *default_config(void)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    return cfg;
}

Test(loader, crash_in_probe_is_contained)
{
    setenv("VG_FAULTY", "crash_in_probe", 1);
    vg_config *cfg = default_config();
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    int rc = vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason,
                                      sizeof reason);
    cr_assert_eq(rc, VG_ERR_CRASHED, "rc %d: %s", rc, reason);
    cr_assert_null(lp);
    cr_assert(strstr(reason, FAULTY));
    cr_assert(strstr(reason, "crashed in probe (SIGSEGV)"), "%s", reason);
    vg_config_destroy(&cfg);
}

Test(loader, load_and_probe_returns_the_childs_probe)
{
    vg_config *cfg = default_config();
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    int rc = vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason,
                                      sizeof reason);
    cr_assert_eq(rc, 0, "%s", reason);
    cr_assert_eq(probe.device_count, 1);
    cr_assert_str_eq(probe.devices[0].name, "Faulty Test GPU");
    cr_assert_not_null(vg_loaded_plugin_options(lp));
    vg_plugin_unload(&lp);
    vg_config_destroy(&cfg);
}

Test(loader, probe_failure_reason)
{
    setenv("VG_FAULTY", "probe_fail", 1);
    vg_config *cfg = default_config();
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    int rc = vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason,
                                      sizeof reason);
    cr_assert_eq(rc, VG_ERR_DRIVER);
    cr_assert_str_eq(reason, "probe failed: injected probe failure "
                             "(VG_FAULTY=probe_fail)");
    vg_config_destroy(&cfg);
}

Test(loader, invalid_plugin_option_is_a_config_error)
{
    vg_config *cfg = NULL;
    char err[512];
    cr_assert_eq(vg_config_load_string("backend_options:\n"
                                       "  faulty:\n"
                                       "    threads: lots\n",
                                       "test.yaml", &cfg, err, sizeof err),
                 0, "%s", err);
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    int rc = vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason,
                                      sizeof reason);
    cr_assert_eq(rc, VG_ERR_CONFIG);
    cr_assert(strstr(reason, "test.yaml:3:5: backend_options.faulty.threads"),
              "%s", reason);
    vg_config_destroy(&cfg);
}

Test(search_path, order_and_origins)
{
    setenv("VG_PLUGIN_PATH", "/env/one:/env/two", 1);
    vg_config *cfg = NULL;
    char err[512];
    cr_assert_eq(vg_config_load_string("plugin_dirs: [/cfg/dir]\n", "t.yaml",
                                       &cfg, err, sizeof err),
                 0, "%s", err);
    vg_search_path *sp = NULL;
    cr_assert_eq(vg_search_path_create(cfg, &sp), 0);
    /* Running from the build tree, the build tree's plugin directory comes
     * last and no installed plugin directory is searched: whatever is
     * installed on the machine cannot change what the tests load. */
    cr_assert_eq(vg_search_path_count(sp), 4);
    const char *paths[] = {"/cfg/dir", "/env/one", "/env/two",
                           VG_TEST_PLUGIN_DIR};
    const char *origins[] = {"plugin_dirs", "VG_PLUGIN_PATH", "VG_PLUGIN_PATH",
                             "build"};
    for (size_t i = 0; i < 4; i++) {
        const vg_search_dir *d = vg_search_path_dir(sp, i);
        cr_assert_str_eq(d->path, paths[i]);
        cr_assert_str_eq(d->origin, origins[i]);
    }
    vg_search_path_destroy(&sp);
    cr_assert_null(sp);
    vg_config_destroy(&cfg);
}

Test(search_path, first_directory_wins)
{
    char *dir = vgt_make_temp_dir("shadow");
    char path[1024], command[2048];
    snprintf(path, sizeof path, "%s/vg_cpu.so", dir);
    snprintf(command, sizeof command, "cp '%s/vg_cpu.so' '%s'",
             VG_TEST_PLUGIN_DIR, path);
    cr_assert_eq(system(command), 0);
    setenv("VG_PLUGIN_PATH", dir, 1);
    vg_config *cfg = default_config();
    vg_search_path *sp = NULL;
    cr_assert_eq(vg_search_path_create(cfg, &sp), 0);
    char *found = NULL;
    cr_assert_eq(vg_search_path_find(sp, "cpu", &found, reason, sizeof reason),
                 0);
    cr_assert_str_eq(found, path);
    free(found);

    char **list = NULL;
    size_t count = 0;
    cr_assert_eq(vg_search_path_list(sp, &list, &count), 0);
    size_t cpu_files = 0;
    for (size_t i = 0; i < count; i++)
        cpu_files += strstr(list[i], "/vg_cpu.so") != NULL;
    cr_assert_eq(cpu_files, 2, "both copies are listed, in search order");
    cr_assert_str_eq(list[0], path);
    vg_string_list_free(&list, count);
    vg_search_path_destroy(&sp);
    vg_config_destroy(&cfg);
    free(dir);
}

Test(search_path, not_found_lists_the_directories)
{
    setenv("VG_PLUGIN_PATH", "/env/one", 1);
    vg_config *cfg = default_config();
    vg_search_path *sp = NULL;
    cr_assert_eq(vg_search_path_create(cfg, &sp), 0);
    char *found = NULL;
    cr_assert_eq(
        vg_search_path_find(sp, "nosuch", &found, reason, sizeof reason),
        VG_ERR_NOT_FOUND);
    cr_assert_null(found);
    cr_assert(strstr(reason, "plugin file vg_nosuch.so not found in /env/one "
                             "(VG_PLUGIN_PATH), "),
              "%s", reason);
    cr_assert(strstr(reason, VG_TEST_PLUGIN_DIR " (build)"), "%s", reason);
    vg_search_path_destroy(&sp);
    vg_config_destroy(&cfg);
}

Test(search_path, naming_convention)
{
    char name[64];
    cr_assert(vg_plugin_name_from_path("/a/b/vg_cuda.so", name, sizeof name));
    cr_assert_str_eq(name, "cuda");
    cr_assert_not(
        vg_plugin_name_from_path("/a/libvg_cuda.so", name, sizeof name));
    cr_assert_not(vg_plugin_name_from_path("vg_.so", name, sizeof name));
    cr_assert_not(vg_plugin_name_from_path("vg_Cuda.so", name, sizeof name));
    cr_assert_not(vg_plugin_name_from_path("vg_cuda.so.1", name, sizeof name));
}

/*
 * test_opencl_program.c - the OpenCL program build: the build-failure
 * reason and the binary cache (cold build, warm load, damaged entries,
 * location), on PoCL.
 *
 * Each test points XDG_CACHE_HOME (or HOME) at a fresh directory, so cache
 * state never leaks between tests; POCL_CACHE_DIR is set by CTest to keep
 * PoCL's own cache inside the build tree.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/loader.h"

#define OPENCL_PLUGIN VG_TEST_PLUGIN_DIR "/vg_opencl.so"

#define expect_contains(text, part)                                            \
    cr_assert(strstr((text), (part)) != NULL, "'%s'\ndoes not contain '%s'",   \
              (text), (part))

/* device_types [cpu], platform "", device "" */
static const vg_option_value cpu_options[] = {
    {1 << 2, "cpu"}, {0, ""}, {0, ""}};
static const vg_job_limits limits = {64, 48};

static vg_loaded_plugin *plugin;
static const vg_plugin *desc;
static char *cache_home;

static void setup(void)
{
    char reason[1024] = "";
    cr_assert_eq(vg_plugin_load(OPENCL_PLUGIN, &plugin, reason, sizeof reason),
                 0, "%s", reason);
    desc = vg_loaded_plugin_descriptor(plugin);
    cache_home = vgt_make_temp_dir("ocl-cache");
    cr_assert_eq(setenv("XDG_CACHE_HOME", cache_home, 1), 0);
    unsetenv("VG_OPENCL_TEST_BREAK_SOURCE");
}

static void teardown(void)
{
    vg_plugin_unload(&plugin);
    free(cache_home);
}

TestSuite(opencl_program, .init = setup, .fini = teardown);

/* check_device on the PoCL device; expects success, returns the note. */
static void check_ok(char *note, size_t size)
{
    note[0] = '\0';
    int rc = desc->check_device(cpu_options, 0, &limits, note, size);
    cr_assert_eq(rc, 0, "rc %d: %s", rc, note);
}

/* The entry path a note names ("..., cached in PATH"). */
static const char *cached_path(const char *note)
{
    const char *at = strstr(note, "cached in ");
    cr_assert_not_null(at, "no cache entry written: %s", note);
    return at + strlen("cached in ");
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Number of files in `dir` (0 when it does not exist). */
static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

Test(opencl_program, build_failure_reason_carries_the_build_log)
{
    char reason[1024] = "";
    cr_assert_eq(setenv("VG_OPENCL_TEST_BREAK_SOURCE", "1", 1), 0);
    int rc = desc->check_device(cpu_options, 0, &limits, reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_KERNEL, "rc %d: %s", rc, reason);
    expect_contains(reason, "OpenCL program build failed on '");
    expect_contains(reason, "(CL_BUILD_PROGRAM_FAILURE): build log: ");
    expect_contains(reason, "error");

    vg_plugin_ctx *ctx = NULL;
    reason[0] = '\0';
    rc = desc->open(cpu_options, 0, &limits, &ctx, reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_KERNEL, "rc %d: %s", rc, reason);
    cr_assert_null(ctx);
    expect_contains(reason, "build log: ");

    /* nothing is cached for a program that did not build */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/vg/opencl", cache_home);
    cr_assert_eq(count_files(dir), 0);
}

Test(opencl_program, cold_build_is_cached_and_warm_start_loads_it)
{
    char cold[1024], warm[1024], path[1024], prefix[1024];
    check_ok(cold, sizeof cold);
    expect_contains(cold, "program built from source in ");
    snprintf(path, sizeof path, "%s", cached_path(cold));
    snprintf(prefix, sizeof prefix, "%s/vg/opencl/", cache_home);
    cr_assert_eq(strncmp(path, prefix, strlen(prefix)), 0, "%s", path);

    size_t size = 0;
    char *entry = vgt_read_file(path, &size);
    cr_assert_not_null(entry);
    cr_assert_gt(size, 8);
    cr_assert_eq(memcmp(entry, "VGOCLBC1", 8), 0);
    free(entry);

    check_ok(warm, sizeof warm);
    expect_contains(warm, "program loaded from the binary cache in ");
    expect_contains(warm, path);

    /* open takes the same path, and the context works */
    vg_plugin_ctx *ctx = NULL;
    char reason[1024] = "";
    cr_assert_eq(
        desc->open(cpu_options, 0, &limits, &ctx, reason, sizeof reason), 0,
        "%s", reason);
    expect_contains(reason, "program loaded from the binary cache in ");
    cr_assert_eq(desc->sync(ctx), 0);
    desc->close(ctx);
    cr_assert_eq(count_files(prefix), 1, "one entry, no temporary files");
}

/* Damage the entry `note` names with `damage`, then expect the next build
 * to say why it discarded it, rebuild from source and re-cache. */
static void expect_rebuilt_after(void (*damage)(const char *path, long size),
                                 const char *why)
{
    char cold[1024], again[1024], path[1024];
    check_ok(cold, sizeof cold);
    snprintf(path, sizeof path, "%s", cached_path(cold));
    long size = file_size(path);
    cr_assert_gt(size, 64);

    damage(path, size);
    check_ok(again, sizeof again);
    expect_contains(again, "discarded a bad cache entry (");
    expect_contains(again, why);
    expect_contains(again, "program built from source in ");
    cr_assert_str_eq(cached_path(again), path);
    cr_assert_eq(file_size(path), size, "the rebuilt entry is whole again");

    check_ok(again, sizeof again);
    expect_contains(again, "program loaded from the binary cache in ");
}

static void truncate_half(const char *path, long size)
{
    cr_assert_eq(truncate(path, size / 2), 0);
}

static void truncate_to_header(const char *path, long size)
{
    (void)size;
    cr_assert_eq(truncate(path, 5), 0);
}

static void flip_last_byte(const char *path, long size)
{
    FILE *f = fopen(path, "r+b");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, size - 1, SEEK_SET), 0);
    int c = fgetc(f);
    cr_assert_eq(fseek(f, size - 1, SEEK_SET), 0);
    fputc(c ^ 0x5a, f);
    cr_assert_eq(fclose(f), 0);
}

static void garbage(const char *path, long size)
{
    char *junk = malloc((size_t)size);
    cr_assert_not_null(junk);
    vgt_fill_random(junk, (size_t)size, 7);
    vgt_write_file(path, junk, (size_t)size);
    free(junk);
}

Test(opencl_program, truncated_entry_is_discarded_and_rebuilt)
{
    expect_rebuilt_after(truncate_half, "size ");
}

Test(opencl_program, entry_shorter_than_its_header_is_rebuilt)
{
    expect_rebuilt_after(truncate_to_header, "shorter than its header");
}

Test(opencl_program, corrupt_payload_is_discarded_and_rebuilt)
{
    expect_rebuilt_after(flip_last_byte, "payload does not match its hash");
}

Test(opencl_program, foreign_file_is_discarded_and_rebuilt)
{
    expect_rebuilt_after(garbage, "bad header");
}

Test(opencl_program, home_cache_when_xdg_cache_home_is_unset_or_relative)
{
    char note[1024], prefix[1024];
    char *home = vgt_make_temp_dir("ocl-home");
    cr_assert_eq(setenv("HOME", home, 1), 0);
    snprintf(prefix, sizeof prefix, "%s/.cache/vg/opencl/", home);

    unsetenv("XDG_CACHE_HOME");
    check_ok(note, sizeof note);
    const char *path = cached_path(note);
    cr_assert_eq(strncmp(path, prefix, strlen(prefix)), 0, "%s", path);

    /* the XDG spec says relative paths are to be ignored */
    cr_assert_eq(setenv("XDG_CACHE_HOME", "relative/cache", 1), 0);
    check_ok(note, sizeof note);
    expect_contains(note, "program loaded from the binary cache in ");
    expect_contains(note, prefix);
    free(home);
}

Test(opencl_program, unwritable_cache_is_a_note_not_a_failure)
{
    char note[1024], blocker[1024];
    /* a file where the cache directory should be */
    snprintf(blocker, sizeof blocker, "%s/vg", cache_home);
    vgt_write_file(blocker, "x", 1);
    check_ok(note, sizeof note);
    expect_contains(note, "program built from source in ");
    expect_contains(note, "not cached (cannot create ");
}

/* A cache directory others can write is never read: an entry planted in
 * it (here the good one, made by a cold build) is not loaded. */
Test(opencl_program, cache_writable_by_others_is_not_used)
{
    char cold[1024], note[1024], dir[1024], expected[1200];
    check_ok(cold, sizeof cold);
    cached_path(cold);
    snprintf(dir, sizeof dir, "%s/vg/opencl", cache_home);
    cr_assert_eq(chmod(dir, 0777), 0);
    check_ok(note, sizeof note);
    expect_contains(note, "program built from source in ");
    snprintf(expected, sizeof expected,
             "not cached (%s is writable by others (mode 0777))", dir);
    expect_contains(note, expected);
}

Test(opencl_program, cache_of_another_user_is_not_used)
{
    if (geteuid() != 0)
        cr_skip_test("needs root to give a directory to another user");
    char cold[1024], note[1024], dir[1024];
    check_ok(cold, sizeof cold);
    cached_path(cold);
    snprintf(dir, sizeof dir, "%s/vg/opencl", cache_home);
    cr_assert_eq(chown(dir, 65534, 65534), 0);
    check_ok(note, sizeof note);
    expect_contains(note, "program built from source in ");
    expect_contains(note, "is owned by uid 65534, not by you (uid 0)");
}

/* A missing cache directory is created private. */
Test(opencl_program, cache_directory_is_created_0700)
{
    char note[1024], dir[1024];
    check_ok(note, sizeof note);
    struct stat st;
    snprintf(dir, sizeof dir, "%s/vg/opencl", cache_home);
    cr_assert_eq(stat(dir, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0700, "mode %o", st.st_mode & 0777);
    snprintf(dir, sizeof dir, "%s/vg", cache_home);
    cr_assert_eq(stat(dir, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0700, "mode %o", st.st_mode & 0777);
}

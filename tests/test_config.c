/*
 * test_config.c - vg/config.h: defaults, config.yaml, every error message,
 * backend lists, and plugin options checked against a declared table.
 *
 * Messages are compared whole, line and column included: they are the
 * interface a user sees.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/job.h"
#include "vg/limits.h"

#define FIXTURES VG_TEST_SOURCE_DIR "/tests/fixtures/config"

static char err[1024];

/* Criterion's str_eq does not print the strings; these messages need to be
 * seen when they differ. */
#define expect_str(actual, expected)                                           \
    cr_assert(strcmp((actual), (expected)) == 0, "got:      %s\nexpected: %s", \
              (actual), (expected))

/* Load `yaml` named "t.yaml"; expect failure with exactly `message`. */
static void expect_error(const char *yaml, const char *message)
{
    vg_config *cfg = (vg_config *)1;
    err[0] = '\0';
    int rc = vg_config_load_string(yaml, "t.yaml", &cfg, err, sizeof(err));
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d for:\n%s", rc, yaml);
    cr_assert_null(cfg);
    expect_str(err, message);
}

static vg_config *load_ok(const char *yaml)
{
    vg_config *cfg = NULL;
    err[0] = '\0';
    int rc = vg_config_load_string(yaml, "t.yaml", &cfg, err, sizeof(err));
    cr_assert_eq(rc, 0, "rc %d: %s\nfor:\n%s", rc, err, yaml);
    cr_assert_not_null(cfg);
    return cfg;
}

static void expect_backends(const vg_config *cfg, const char *const *names,
                            size_t count)
{
    cr_assert_eq(cfg->backend_count, count);
    for (size_t i = 0; i < count; i++)
        expect_str(cfg->backends[i], names[i]);
}

static const char *const default_order[] = {"cuda", "opencl", "cpu"};

/* ---- the typed rows ------------------------------------------------------ */

/* Every typed row of every section, from the lists in vg/config.h and
 * vg/limits.h: a row added to a list is tested below with no edit here. */
typedef struct typed_row {
    const char *section; /* "" for a top-level key */
    vg_config_key key;   /* offset from the start of vg_config */
} typed_row;

#define ROW_(section, prefix, key, field, type, default_value, ...)            \
    {section, VG_CONFIG_KEY_INIT(vg_config, prefix, key, field, type,          \
                                 default_value, __VA_ARGS__)},
#define VIDEO_GENERATION_ROW_(...) ROW_("video_generation", , __VA_ARGS__)
#define ISOLATION_ROW_(...) ROW_("isolation", , __VA_ARGS__)
#define OUTPUT_ROW_(...) ROW_("output", output., __VA_ARGS__)
#define LIMITS_ROW_(...) ROW_("limits", limits., __VA_ARGS__)
#define TOP_LEVEL_ROW_(...) ROW_("", , __VA_ARGS__)
/* clang-format off: one list a line */
static const typed_row typed_rows[] = {
    VG_CONFIG_VIDEO_GENERATION_KEYS(VIDEO_GENERATION_ROW_)
        VG_CONFIG_ISOLATION_KEYS(ISOLATION_ROW_)
            VG_CONFIG_OUTPUT_KEYS(OUTPUT_ROW_) VG_LIMITS_KEYS(LIMITS_ROW_)
                VG_CONFIG_TOP_LEVEL_KEYS(TOP_LEVEL_ROW_)};
/* clang-format on */
#define TYPED_ROW_COUNT (sizeof typed_rows / sizeof typed_rows[0])

/* The member a row sets, as text: "true", "process", "63", "0.001",
 * "auto", "(unset)" for a NULL name. */
static void member_text(const vg_config *cfg, const vg_config_key *key,
                        char *out, size_t size)
{
    const void *m = (const char *)cfg + key->offset;
    switch (key->type) {
    case VG_CONFIG_BOOL:
        snprintf(out, size, "%s", *(const bool *)m ? "true" : "false");
        break;
    case VG_CONFIG_SWITCH:
        snprintf(out, size, "%s", key->words[*(const bool *)m ? 0 : 1]);
        break;
    case VG_CONFIG_INT:
        snprintf(out, size, "%d", *(const int *)m);
        break;
    case VG_CONFIG_U32:
        snprintf(out, size, "%u", (unsigned)*(const uint32_t *)m);
        break;
    case VG_CONFIG_U64:
        snprintf(out, size, "%llu", (unsigned long long)*(const uint64_t *)m);
        break;
    case VG_CONFIG_RATE:
        snprintf(out, size, "%lld", *(const long long *)m);
        break;
    case VG_CONFIG_NUMBER:
        snprintf(out, size, "%.17g", *(const double *)m);
        break;
    case VG_CONFIG_NAME: {
        const char *name = *(char *const *)m;
        snprintf(out, size, "%s", name ? name : "(unset)");
        break;
    }
    }
}

static bool is_integer(const vg_config_key *key)
{
    return key->type == VG_CONFIG_INT || key->type == VG_CONFIG_U32 ||
           key->type == VG_CONFIG_U64 || key->type == VG_CONFIG_RATE;
}

static long long integer_member(const vg_config *cfg, const vg_config_key *key)
{
    char text[64];
    member_text(cfg, key, text, sizeof text);
    return strtoll(text, NULL, 10);
}

/* A default of "not set" (a NULL name, an integer outside its range):
 * config.yaml shows the key commented out. */
static bool default_is_unset(const vg_config *defaults,
                             const vg_config_key *key)
{
    if (key->type == VG_CONFIG_NAME)
        return *(char *const *)((const char *)defaults + key->offset) == NULL;
    if (!is_integer(key))
        return false;
    long long v = integer_member(defaults, key);
    return v < key->min || v > key->max;
}

/* Every typed member of cfg equals the built-in default. */
static void expect_typed_defaults(const vg_config *cfg)
{
    vg_config *defaults = NULL;
    cr_assert_eq(vg_config_create_default(&defaults), 0);
    for (size_t i = 0; i < TYPED_ROW_COUNT; i++) {
        char want[256], got[256];
        const vg_config_key *key = &typed_rows[i].key;
        member_text(defaults, key, want, sizeof want);
        member_text(cfg, key, got, sizeof got);
        cr_assert(strcmp(got, want) == 0, "%s.%s: %s, default %s",
                  typed_rows[i].section, key->name, got, want);
    }
    vg_config_destroy(&defaults);
}

static void expect_default_core(const vg_config *cfg)
{
    expect_typed_defaults(cfg);
    expect_backends(cfg, default_order, 3);
    cr_assert_eq(cfg->plugin_dir_count, 0);
    cr_assert_eq(cfg->inprocess_backend_count, 1);
    expect_str(cfg->inprocess_backends[0], "cpu");
}

/* ---- defaults and config.yaml ------------------------------------------ */

Test(config_defaults, values)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    expect_default_core(cfg);
    /* a few of the rows' defaults, spelled out */
    cr_assert(cfg->use_gpu && !cfg->force_gpu && cfg->auto_cpu_fallback);
    cr_assert(cfg->isolate_backends);
    cr_assert_eq(cfg->timeout_scale, 1.0);
    cr_assert_eq(cfg->verify, 100);
    vg_limits d = vg_limits_default();
    cr_assert_eq(d.max_picture_pixels, 50000000u);
    cr_assert_eq(d.memory_budget_bytes, 4ull << 30);
    cr_assert_null(cfg->source);
    cr_assert_null(cfg->plugin_dirs);
    cr_assert_eq(cfg->backend_options_count, 0);
    vg_config_destroy(&cfg);
    cr_assert_null(cfg);
    vg_config_destroy(&cfg); /* NULL is a no-op */
    vg_config_destroy(NULL);
}

static const vg_config_backend_options *find_backend(const vg_config *cfg,
                                                     const char *name)
{
    for (size_t i = 0; i < cfg->backend_options_count; i++) {
        if (strcmp(cfg->backend_options[i].backend, name) == 0)
            return &cfg->backend_options[i];
    }
    cr_assert_fail("no backend_options.%s", name);
    return NULL;
}

static const vg_config_option *find_option(const vg_config *cfg,
                                           const char *backend, const char *key)
{
    const vg_config_backend_options *entry = find_backend(cfg, backend);
    for (size_t i = 0; i < entry->option_count; i++) {
        if (strcmp(entry->options[i].key, key) == 0)
            return &entry->options[i];
    }
    cr_assert_fail("no backend_options.%s.%s", backend, key);
    return NULL;
}

static void expect_scalar(const vg_config *cfg, const char *backend,
                          const char *key, const char *value)
{
    const vg_config_option *option = find_option(cfg, backend, key);
    cr_assert(!option->is_sequence, "%s.%s", backend, key);
    expect_str(option->scalar, value);
}

/* The 1-based line of the first line of `text` that starts with `prefix`. */
static int line_of(const char *text, const char *prefix)
{
    int line = 1;
    for (const char *p = text; *p != '\0'; line++) {
        if (strncmp(p, prefix, strlen(prefix)) == 0)
            return line;
        p = strchr(p, '\n');
        if (p == NULL)
            break;
        p++;
    }
    cr_assert_fail("no line starts with '%s'", prefix);
    return 0;
}

Test(config_file, source_tree_config_yaml_equals_defaults)
{
    const char *path = VG_TEST_SOURCE_DIR "/config.yaml";
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_load(path, &cfg, err, sizeof(err)), 0, "%s", err);
    expect_default_core(cfg);
    expect_str(cfg->source, path);

    cr_assert_eq(cfg->backend_options_count, 3);
    cr_assert_eq(find_backend(cfg, "cpu")->option_count, 2);
    expect_scalar(cfg, "cpu", "threads", "0");
    expect_scalar(cfg, "cpu", "isa", "auto");
    cr_assert_eq(find_backend(cfg, "opencl")->option_count, 3);
    const vg_config_option *types = find_option(cfg, "opencl", "device_types");
    cr_assert(types->is_sequence);
    cr_assert_eq(types->item_count, 2);
    expect_str(types->items[0], "gpu");
    expect_str(types->items[1], "accelerator");
    expect_scalar(cfg, "opencl", "platform", "");
    expect_scalar(cfg, "opencl", "device", "");
    cr_assert_eq(find_backend(cfg, "cuda")->option_count, 2);
    expect_scalar(cfg, "cuda", "device", "");
    expect_scalar(cfg, "cuda", "min_compute_capability", "7.5");

    /* Marks point at the key, in the file loaded. */
    char *text = vgt_read_file(path, NULL);
    cr_assert_not_null(text);
    const vg_config_option *threads = find_option(cfg, "cpu", "threads");
    expect_str(threads->mark.file, path);
    cr_assert_eq(threads->mark.line, line_of(text, "    threads:"));
    cr_assert_eq(threads->mark.column, 5);
    free(text);
    vg_config_destroy(&cfg);
}

Test(config_file, partial_file_changes_one_key)
{
    vg_config *cfg = NULL;
    cr_assert_eq(
        vg_config_load(FIXTURES "/partial.yaml", &cfg, err, sizeof(err)), 0,
        "%s", err);
    cr_assert(cfg->force_gpu);
    cr_assert(cfg->use_gpu);
    cr_assert(cfg->auto_cpu_fallback);
    expect_backends(cfg, default_order, 3);
    cr_assert_eq(cfg->plugin_dir_count, 0);
    cr_assert_eq(cfg->backend_options_count, 0);
    vg_config_destroy(&cfg);
}

Test(config_file, empty_and_comment_only_files_are_defaults)
{
    vg_config *cfg = NULL;
    cr_assert_eq(
        vg_config_load(FIXTURES "/comments_only.yaml", &cfg, err, sizeof(err)),
        0, "%s", err);
    expect_default_core(cfg);
    vg_config_destroy(&cfg);

    const char *empty[] = {"", "\n\n", "---\n", "---\n...\n", "~\n"};
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        cfg = load_ok(empty[i]);
        expect_default_core(cfg);
        expect_str(cfg->source, "t.yaml");
        vg_config_destroy(&cfg);
    }
}

Test(config_file, sections_with_everything_commented_out_are_empty)
{
    vg_config *cfg = load_ok("video_generation:\n"
                             "  # use_gpu: false\n"
                             "plugin_dirs:\n"
                             "backend_options:\n"
                             "  cpu:\n"
                             "    # threads: 4\n");
    expect_default_core(cfg);
    cr_assert_eq(cfg->backend_options_count, 1);
    expect_str(cfg->backend_options[0].backend, "cpu");
    cr_assert_eq(cfg->backend_options[0].option_count, 0);
    vg_config_destroy(&cfg);
}

Test(config_file, every_core_key)
{
    vg_config *cfg = load_ok("video_generation:\n"
                             "  use_gpu: no\n"
                             "  force_gpu: YES\n"
                             "  auto_cpu_fallback: False\n"
                             "backends:\n"
                             "  - cpu\n"
                             "  - \"my_gpu2\"\n"
                             "plugin_dirs: [/a, b/c]\n");
    cr_assert(!cfg->use_gpu);
    cr_assert(cfg->force_gpu);
    cr_assert(!cfg->auto_cpu_fallback);
    const char *order[] = {"cpu", "my_gpu2"};
    expect_backends(cfg, order, 2);
    /* From a string there is no file directory: kept as written. */
    cr_assert_eq(cfg->plugin_dir_count, 2);
    expect_str(cfg->plugin_dirs[0], "/a");
    expect_str(cfg->plugin_dirs[1], "b/c");
    vg_config_destroy(&cfg);
}

Test(config_file, relative_plugin_dirs_follow_the_file)
{
    vg_config *cfg = NULL;
    cr_assert_eq(
        vg_config_load(FIXTURES "/plugin_dirs.yaml", &cfg, err, sizeof(err)), 0,
        "%s", err);
    cr_assert_eq(cfg->plugin_dir_count, 3);
    expect_str(cfg->plugin_dirs[0], FIXTURES "/my-plugins");
    expect_str(cfg->plugin_dirs[1], "/opt/vg/plugins");
    expect_str(cfg->plugin_dirs[2], FIXTURES "/../shared/plugins");
    vg_config_destroy(&cfg);
}

Test(config_file, backend_options_kept_raw_with_marks)
{
    vg_config *cfg = load_ok("backend_options:\n"
                             "  fake:\n"
                             "    threads: 4\n"
                             "    kinds: [gpu, cpu]\n"
                             "    empty: []\n"
                             "  other_1: {x: y}\n");
    cr_assert_eq(cfg->backend_options_count, 2);
    const vg_config_backend_options *fake = find_backend(cfg, "fake");
    cr_assert_eq(fake->mark.line, 2);
    cr_assert_eq(fake->mark.column, 3);
    cr_assert_eq(fake->option_count, 3);
    expect_scalar(cfg, "fake", "threads", "4");
    const vg_config_option *kinds = find_option(cfg, "fake", "kinds");
    cr_assert(kinds->is_sequence);
    cr_assert_eq(kinds->item_count, 2);
    expect_str(kinds->items[1], "cpu");
    expect_str(kinds->mark.file, "t.yaml");
    cr_assert_eq(kinds->mark.line, 4);
    cr_assert_eq(kinds->mark.column, 5);
    const vg_config_option *empty = find_option(cfg, "fake", "empty");
    cr_assert(empty->is_sequence);
    cr_assert_eq(empty->item_count, 0);
    expect_scalar(cfg, "other_1", "x", "y");
    vg_config_destroy(&cfg);
}

/* ---- errors ---------------------------------------------------------------
 */

Test(config_errors, file_not_found)
{
    vg_config *cfg = (vg_config *)1;
    const char *path = FIXTURES "/no-such-file.yaml";
    cr_assert_eq(vg_config_load(path, &cfg, err, sizeof(err)), VG_ERR_IO);
    cr_assert_null(cfg);
    char expected[1024];
    snprintf(expected, sizeof(expected),
             "%s: cannot open: No such file or directory", path);
    expect_str(err, expected);
}

Test(config_errors, directory_is_not_a_file)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_load(FIXTURES, &cfg, err, sizeof(err)), VG_ERR_IO);
    cr_assert_null(cfg);
    expect_str(err, FIXTURES ": not a regular file (a directory): inputs must "
                             "be files");
}

Test(config_errors, unknown_key_in_a_file)
{
    vg_config *cfg = NULL;
    cr_assert_eq(
        vg_config_load(FIXTURES "/unknown_key.yaml", &cfg, err, sizeof(err)),
        VG_ERR_CONFIG);
    cr_assert_null(cfg);
    /* every key of the section, in table order: the established ones
     * first, then any added since */
#define KEY_NAME_(key, field, type, default_value, constraint) ", " #key
    const char *keys = VG_CONFIG_VIDEO_GENERATION_KEYS(KEY_NAME_) + 2;
#undef KEY_NAME_
    const char *established = "use_gpu, force_gpu, auto_cpu_fallback";
    cr_assert(strncmp(keys, established, strlen(established)) == 0, "%s", keys);
    char want[512];
    snprintf(want, sizeof want,
             "%s/unknown_key.yaml:3:3: video_generation.use_gpus: unknown key "
             "'use_gpus' (expected one of: %s)",
             FIXTURES, keys);
    expect_str(err, want);
}

Test(config_errors, syntax_error_in_a_file)
{
    vg_config *cfg = NULL;
    cr_assert_eq(
        vg_config_load(FIXTURES "/syntax_error.yaml", &cfg, err, sizeof(err)),
        VG_ERR_CONFIG);
    cr_assert_null(cfg);
    expect_str(err, FIXTURES "/syntax_error.yaml:2:12: did not find "
                             "expected ',' or ']' (while parsing a flow "
                             "sequence that starts at 1:11)");
}

Test(config_errors, unknown_top_level_key)
{
    expect_error("backends: [cpu]\njobs: {}\n",
                 "t.yaml:2:1: jobs: unknown key 'jobs' (expected one of: "
                 "video_generation, backends, plugin_dirs, backend_options, "
                 "isolation, job, output, limits, verify)");
}

Test(config_errors, wrong_types)
{
    expect_error("video_generation:\n  use_gpu: yes please\n",
                 "t.yaml:2:12: video_generation.use_gpu: expected true or "
                 "false, got 'yes please'");
    expect_error("video_generation:\n  force_gpu: on\n",
                 "t.yaml:2:14: video_generation.force_gpu: expected true or "
                 "false, got 'on'");
    expect_error("video_generation:\n  force_gpu:\n",
                 "t.yaml:2:13: video_generation.force_gpu: expected true or "
                 "false, got nothing");
    expect_error("video_generation: true\n",
                 "t.yaml:1:19: video_generation: expected a mapping, got "
                 "'true'");
    expect_error("plugin_dirs: /opt/vg\n",
                 "t.yaml:1:14: plugin_dirs: expected a list of directories, "
                 "got '/opt/vg'");
    expect_error("plugin_dirs: [a, [b]]\n",
                 "t.yaml:1:18: plugin_dirs: expected a directory, got a "
                 "sequence");
    expect_error("plugin_dirs: ['']\n",
                 "t.yaml:1:15: plugin_dirs: empty directory name");
}

Test(config_errors, sequence_or_mapping_where_a_scalar_belongs)
{
    expect_error("video_generation:\n  use_gpu: [true]\n",
                 "t.yaml:2:12: video_generation.use_gpu: expected true or "
                 "false, got a sequence");
    expect_error("video_generation:\n  use_gpu:\n    x: 1\n",
                 "t.yaml:3:5: video_generation.use_gpu: expected true or "
                 "false, got a mapping");
}

Test(config_errors, top_level_must_be_a_mapping)
{
    expect_error("- cpu\n", "t.yaml:1:1: expected a mapping, got a sequence");
    expect_error("cpu\n", "t.yaml:1:1: expected a mapping, got 'cpu'");
}

Test(config_errors, duplicate_keys)
{
    expect_error("video_generation:\n"
                 "  use_gpu: true\n"
                 "  use_gpu: false\n",
                 "t.yaml:3:3: video_generation.use_gpu: duplicate key "
                 "'use_gpu' (first at 2:3)");
    expect_error("backends: [cpu]\nbackends: [cuda]\n",
                 "t.yaml:2:1: backends: duplicate key 'backends' (first at "
                 "1:1)");
    expect_error("backend_options:\n  cpu: {threads: 1, threads: 2}\n",
                 "t.yaml:2:21: backend_options.cpu.threads: duplicate key "
                 "'threads' (first at 2:9)");
}

Test(config_errors, backends)
{
    expect_error("backends: [cuda, \"CU DA\"]\n",
                 "t.yaml:1:18: backends: invalid backend name 'CU DA' (use "
                 "lowercase letters, digits and _)");
    expect_error("backends:\n  - cpu\n  - cuda\n  - cpu\n",
                 "t.yaml:4:5: backends: backend 'cpu' is listed twice");
    expect_error("backends: []\n",
                 "t.yaml:1:11: backends: at least one backend is required");
    expect_error("backends:\n",
                 "t.yaml:1:10: backends: at least one backend is required");
    expect_error("backends: cpu\n",
                 "t.yaml:1:11: backends: expected a list of backend names, "
                 "got 'cpu'");
    expect_error("backends: [cpu, {a: b}]\n",
                 "t.yaml:1:17: backends: expected a backend name, got a "
                 "mapping");
}

Test(config_errors, backend_options)
{
    expect_error("backend_options: [cpu]\n",
                 "t.yaml:1:18: backend_options: expected a mapping of "
                 "backend names, got a sequence");
    expect_error("backend_options:\n  Cpu: {}\n",
                 "t.yaml:2:3: backend_options.Cpu: invalid backend name "
                 "'Cpu' (use lowercase letters, digits and _)");
    expect_error("backend_options:\n  cpu: 4\n",
                 "t.yaml:2:8: backend_options.cpu: expected a mapping of "
                 "options, got '4'");
    expect_error("backend_options:\n  cpu:\n    threads:\n      max: 4\n",
                 "t.yaml:4:7: backend_options.cpu.threads: expected a value "
                 "or a list of values, got a mapping");
    expect_error("backend_options:\n  cpu:\n    isa: [avx2, [sse41]]\n",
                 "t.yaml:3:17: backend_options.cpu.isa: expected a plain "
                 "value in the list, got a sequence");
}

Test(config_errors, anchors_aliases_and_tags_are_rejected)
{
    expect_error("backends: &order [cpu]\n",
                 "t.yaml:1:11: backends: YAML anchors (&order) are not "
                 "supported");
    expect_error("video_generation:\n  use_gpu: true\n  force_gpu: *x\n",
                 "t.yaml:3:14: video_generation.force_gpu: YAML aliases (*x) "
                 "are not supported; write the value out");
    expect_error("backends: [!!str cpu]\n",
                 "t.yaml:1:12: backends: YAML tags (tag:yaml.org,2002:str) "
                 "are not supported");
}

Test(config_errors, yaml_syntax)
{
    expect_error("video_generation:\n  use_gpu: true\n force_gpu: true\n",
                 "t.yaml:3:2: did not find expected key (while parsing a "
                 "block mapping that starts at 1:1)");
    expect_error("backends: \"cpu\n",
                 "t.yaml:2:1: found unexpected end of stream (while scanning "
                 "a quoted scalar that starts at 1:11)");
    expect_error("backends: [cpu]\n---\nbackends: [cuda]\n",
                 "t.yaml:2:1: only one YAML document is allowed");
    expect_error("? [a]\n: 1\n", "t.yaml:1:3: mapping keys must be scalars");
    expect_error("backends: [\"c\\0u\"]\n",
                 "t.yaml:1:12: backends: NUL characters are not allowed");
    expect_error("backends: [c\xffu]\n",
                 "t.yaml:1:13: invalid leading UTF-8 octet");
}

Test(config_errors, nesting_is_limited)
{
    char yaml[256] = "backend_options: ";
    size_t used = strlen(yaml);
    for (int i = 0; i < 40; i++)
        yaml[used++] = '[';
    yaml[used] = '\0';
    expect_error(yaml, "t.yaml:1:50: backend_options: nested deeper than 32 "
                       "levels");
}

/* ---- vg_config_set_backends -----------------------------------------------
 */

Test(config_backends, comma_list_with_blanks)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    cr_assert_eq(vg_config_set_backends(cfg, " opencl ,cpu\t", "--backend", err,
                                        sizeof(err)),
                 0, "%s", err);
    const char *order[] = {"opencl", "cpu"};
    expect_backends(cfg, order, 2);
    cr_assert_eq(
        vg_config_set_backends(cfg, "cpu", "VG_BACKENDS", err, sizeof(err)), 0,
        "%s", err);
    const char *cpu_only[] = {"cpu"};
    expect_backends(cfg, cpu_only, 1);
    vg_config_destroy(&cfg);
}

static void expect_set_error(const char *list, const char *origin,
                             const char *message)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    err[0] = '\0';
    cr_assert_eq(vg_config_set_backends(cfg, list, origin, err, sizeof(err)),
                 VG_ERR_CONFIG, "for '%s'", list);
    expect_str(err, message);
    /* A failed call leaves the order alone. */
    expect_backends(cfg, default_order, 3);
    vg_config_destroy(&cfg);
}

Test(config_backends, bad_lists_name_their_origin)
{
    expect_set_error("cuda,CU DA", "--backend",
                     "--backend: invalid backend name 'CU DA' (use lowercase "
                     "letters, digits and _)");
    expect_set_error("cpu, cuda ,cpu", "VG_BACKENDS",
                     "VG_BACKENDS: backend 'cpu' is listed twice");
    expect_set_error("cuda,,cpu", "--backend",
                     "--backend: invalid backend name '' (use lowercase "
                     "letters, digits and _)");
    expect_set_error("  ", "--backend",
                     "--backend: at least one backend is required");
    expect_set_error("", "VG_BACKENDS",
                     "VG_BACKENDS: at least one backend is required");
}

/* ---- vg_config_plugin_options ---------------------------------------------
 */

enum { OPT_THREADS, OPT_ISA, OPT_LABEL, OPT_FAST, OPT_KINDS, OPT_COUNT };

static const char *const isa_choices[] = {"auto", "scalar", "avx2", NULL};
static const char *const kind_choices[] = {"gpu", "accelerator", "cpu", "all",
                                           NULL};

static const vg_option_desc fake_options[OPT_COUNT] = {
    {"threads", VG_OPTION_INT, "0", 0, 256, NULL, "worker threads"},
    {"isa", VG_OPTION_ENUM, "auto", 0, 0, isa_choices, "highest ISA"},
    {"label", VG_OPTION_STRING, "", 0, 0, NULL, "a name"},
    {"fast", VG_OPTION_BOOL, "false", 0, 0, NULL, "go fast"},
    {"kinds", VG_OPTION_FLAGS, "gpu, accelerator", 0, 0, kind_choices,
     "device kinds"},
};

static vg_plugin fake_plugin(void)
{
    vg_plugin plugin = {.abi_version = VG_PLUGIN_ABI_VERSION,
                        .struct_size = sizeof(vg_plugin),
                        .name = "fake",
                        .kind = VG_BACKEND_CPU,
                        .options = fake_options,
                        .option_count = OPT_COUNT};
    return plugin;
}

/* Options of the fake plugin from `yaml`; expects success. */
static vg_option_value *options_ok(const char *yaml)
{
    vg_config *cfg = load_ok(yaml);
    vg_plugin plugin = fake_plugin();
    vg_option_value *values = NULL;
    int rc = vg_config_plugin_options(cfg, &plugin, &values, err, sizeof(err));
    cr_assert_eq(rc, 0, "rc %d: %s", rc, err);
    cr_assert_not_null(values);
    vg_config_destroy(&cfg);
    return values;
}

static void expect_option_error(const char *yaml, const char *message)
{
    vg_config *cfg = load_ok(yaml);
    vg_plugin plugin = fake_plugin();
    vg_option_value *values = (vg_option_value *)1;
    err[0] = '\0';
    cr_assert_eq(
        vg_config_plugin_options(cfg, &plugin, &values, err, sizeof(err)),
        VG_ERR_CONFIG, "for:\n%s", yaml);
    cr_assert_null(values);
    expect_str(err, message);
    vg_config_destroy(&cfg);
}

static void expect_value(const vg_option_value *v, int64_t integer,
                         const char *string)
{
    cr_assert_eq(v->integer, integer, "%s: %lld", string,
                 (long long)v->integer);
    expect_str(v->string, string);
}

Test(config_options, defaults_filled_in)
{
    /* Options of another backend do not matter to this one. */
    vg_option_value *v = options_ok("backend_options:\n"
                                    "  cpu: {threads: 4}\n");
    expect_value(&v[OPT_THREADS], 0, "0");
    expect_value(&v[OPT_ISA], 0, "auto");
    expect_value(&v[OPT_LABEL], 0, "");
    expect_value(&v[OPT_FAST], 0, "false");
    expect_value(&v[OPT_KINDS], 0x3, "gpu, accelerator");
    vg_option_values_destroy(&v, OPT_COUNT);
    cr_assert_null(v);
}

Test(config_options, every_type_from_the_file)
{
    vg_option_value *v = options_ok("backend_options:\n"
                                    "  fake:\n"
                                    "    threads: 256\n"
                                    "    isa: avx2\n"
                                    "    label: \"My GPU\"\n"
                                    "    fast: yes\n"
                                    "    kinds: [all, gpu]\n");
    expect_value(&v[OPT_THREADS], 256, "256");
    expect_value(&v[OPT_ISA], 2, "avx2");
    expect_value(&v[OPT_LABEL], 0, "My GPU");
    expect_value(&v[OPT_FAST], 1, "true");
    /* Normalised to the declared order. */
    expect_value(&v[OPT_KINDS], 0x9, "gpu, all");
    vg_option_values_destroy(&v, OPT_COUNT);
}

Test(config_options, flags_as_comma_list_and_empty)
{
    vg_option_value *v = options_ok("backend_options:\n"
                                    "  fake:\n"
                                    "    kinds: cpu ,accelerator\n");
    expect_value(&v[OPT_KINDS], 0x6, "accelerator, cpu");
    vg_option_values_destroy(&v, OPT_COUNT);

    v = options_ok("backend_options:\n  fake:\n    kinds: []\n");
    expect_value(&v[OPT_KINDS], 0, "");
    vg_option_values_destroy(&v, OPT_COUNT);

    v = options_ok("backend_options:\n  fake:\n    kinds: \"\"\n");
    expect_value(&v[OPT_KINDS], 0, "");
    vg_option_values_destroy(&v, OPT_COUNT);
}

Test(config_options, int_range_and_syntax)
{
    vg_option_value *v =
        options_ok("backend_options:\n  fake:\n    threads: \"+07\"\n");
    expect_value(&v[OPT_THREADS], 7, "7");
    vg_option_values_destroy(&v, OPT_COUNT);

    const char *bad[] = {"257", "-1", "0x10",
                         "4.0", "",   "99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char yaml[256];
        snprintf(yaml, sizeof(yaml),
                 "backend_options:\n  fake:\n    threads: \"%s\"\n", bad[i]);
        char message[256];
        snprintf(message, sizeof(message),
                 "t.yaml:3:5: backend_options.fake.threads: expected an "
                 "integer from 0 to 256, got '%s'",
                 bad[i]);
        expect_option_error(yaml, message);
    }
}

Test(config_options, bad_values_name_the_option_and_its_line)
{
    expect_option_error("backend_options:\n  fake:\n    isa: avx9\n",
                        "t.yaml:3:5: backend_options.fake.isa: expected one "
                        "of: auto, scalar, avx2, got 'avx9'");
    expect_option_error("backend_options:\n  fake:\n    fast: maybe\n",
                        "t.yaml:3:5: backend_options.fake.fast: expected "
                        "true or false, got 'maybe'");
    expect_option_error("backend_options:\n  fake:\n    label: [a, b]\n",
                        "t.yaml:3:5: backend_options.fake.label: expected a "
                        "single value, got a sequence");
    expect_option_error("backend_options:\n  fake:\n    threads: [1]\n",
                        "t.yaml:3:5: backend_options.fake.threads: expected "
                        "an integer from 0 to 256, got a sequence");
    expect_option_error("backend_options:\n  fake:\n    kinds: gpu, disk\n",
                        "t.yaml:3:5: backend_options.fake.kinds: expected a "
                        "list of: gpu, accelerator, cpu, all, got 'disk'");
    expect_option_error("backend_options:\n  fake:\n    kinds: [gpu, GPU]\n",
                        "t.yaml:3:5: backend_options.fake.kinds: expected a "
                        "list of: gpu, accelerator, cpu, all, got 'GPU'");
}

Test(config_options, unknown_option)
{
    expect_option_error("backend_options:\n"
                        "  fake:\n"
                        "    threads: 2\n"
                        "    thread: 2\n",
                        "t.yaml:4:5: backend_options.fake.thread: unknown "
                        "option 'thread' for backend 'fake' (expected one "
                        "of: threads, isa, label, fast, kinds)");
}

Test(config_options, plugin_without_options)
{
    vg_config *cfg = load_ok("backend_options:\n  bare: {}\n");
    vg_plugin plugin = fake_plugin();
    plugin.name = "bare";
    plugin.options = NULL;
    plugin.option_count = 0;
    vg_option_value *values = (vg_option_value *)1;
    cr_assert_eq(
        vg_config_plugin_options(cfg, &plugin, &values, err, sizeof(err)), 0,
        "%s", err);
    cr_assert_null(values);
    vg_config_destroy(&cfg);

    cfg = load_ok("backend_options:\n  bare:\n    x: 1\n");
    cr_assert_eq(
        vg_config_plugin_options(cfg, &plugin, &values, err, sizeof(err)),
        VG_ERR_CONFIG);
    expect_str(err, "t.yaml:3:5: backend_options.bare.x: unknown "
                    "option 'x' for backend 'bare' (it takes no "
                    "options)");
    vg_config_destroy(&cfg);
}

/* A plugin's own table is checked too: a bad default is the plugin's bug and
 * the message says so. */
static void expect_plugin_bug(const vg_option_desc *desc, const char *message)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    vg_plugin plugin = fake_plugin();
    plugin.options = desc;
    plugin.option_count = 1;
    vg_option_value *values = NULL;
    cr_assert_eq(
        vg_config_plugin_options(cfg, &plugin, &values, err, sizeof(err)),
        VG_ERR_PLUGIN);
    cr_assert_null(values);
    expect_str(err, message);
    vg_config_destroy(&cfg);
}

Test(config_options, invalid_declarations_name_the_plugin)
{
    const vg_option_desc bad_int = {"threads", VG_OPTION_INT, "all", 0,
                                    8,         NULL,          ""};
    expect_plugin_bug(&bad_int, "plugin 'fake': invalid default for option "
                                "'threads': expected an integer from 0 to 8, "
                                "got 'all'");
    const vg_option_desc bad_flags = {"kinds", VG_OPTION_FLAGS, "gpu, tpu", 0,
                                      0,       kind_choices,    ""};
    expect_plugin_bug(&bad_flags, "plugin 'fake': invalid default for option "
                                  "'kinds': expected a list of: gpu, "
                                  "accelerator, cpu, all, got 'tpu'");
    const vg_option_desc no_choices = {"isa", VG_OPTION_ENUM, "auto", 0,
                                       0,     NULL,           ""};
    expect_plugin_bug(&no_choices,
                      "plugin 'fake': option 0 (isa) has no choices");
    const vg_option_desc bad_type = {"x", 42, "", 0, 0, NULL, ""};
    expect_plugin_bug(&bad_type,
                      "plugin 'fake': option 0 (x) has an unknown type");
}

Test(config_options, repeated_declaration_is_a_plugin_bug)
{
    const vg_option_desc twice[] = {
        {"threads", VG_OPTION_INT, "0", 0, 8, NULL, ""},
        {"threads", VG_OPTION_INT, "0", 0, 8, NULL, ""},
    };
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    vg_plugin plugin = fake_plugin();
    plugin.options = twice;
    plugin.option_count = 2;
    vg_option_value *values = NULL;
    cr_assert_eq(
        vg_config_plugin_options(cfg, &plugin, &values, err, sizeof(err)),
        VG_ERR_PLUGIN);
    expect_str(err, "plugin 'fake': option 1 (threads) is declared "
                    "twice");
    vg_config_destroy(&cfg);
}

/* A config or job file is read whole, so its size is capped: a wrong path
 * (a video file) is refused by size before it is read, not parsed as YAML.
 * A config file is read before its own limits: section is known, so its
 * cap is fixed (VG_CONFIG_MAX_FILE_BYTES, 1 MiB); a job file's is
 * limits.max_job_file_bytes (16 MiB by default).  Sparse files: nothing is
 * written to disk. */
static char *sparse_file(const char *dir, const char *name, off_t size)
{
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(ftruncate(fileno(f), size), 0);
    cr_assert_eq(fclose(f), 0);
    return path;
}

Test(config_file, larger_than_its_cap_is_refused)
{
    char *dir = vgt_make_temp_dir("config-size");
    char *big =
        sparse_file(dir, "big.yaml", (off_t)VG_CONFIG_MAX_FILE_BYTES + 1);
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_load(big, &cfg, err, sizeof err), VG_ERR_CONFIG);
    cr_assert_null(cfg);
    char *want = NULL;
    cr_assert(asprintf(&want,
                       "%s: 1048577 bytes, more than the 1048576-byte limit: "
                       "not a config file",
                       big) > 0);
    cr_assert_str_eq(err, want);
    free(want);

    /* exactly the cap is within it: read, then parsed (NUL bytes are not
     * YAML, so it fails later, with a different message) */
    char *edge = sparse_file(dir, "edge.yaml", (off_t)VG_CONFIG_MAX_FILE_BYTES);
    cr_assert_neq(vg_config_load(edge, &cfg, err, sizeof err), 0);
    cr_assert(strstr(err, "byte limit") == NULL, "%s", err);

    /* the same file is a job file well within its cap */
    vg_job *job = NULL;
    cr_assert_neq(vg_job_load(big, &job, err, sizeof err), 0);
    cr_assert(strstr(err, "byte limit") == NULL, "%s", err);
    cr_assert_null(job);

    char *big_job = sparse_file(dir, "big-job.yaml", ((off_t)16 << 20) + 1);
    cr_assert_eq(vg_job_load(big_job, &job, err, sizeof err), VG_ERR_CONFIG);
    cr_assert(strstr(err, "16777217 bytes, more than the 16777216-byte limit: "
                          "not a job file (limits.max_job_file_bytes)"),
              "%s", err);
    cr_assert_null(job);
    char *edge_job = sparse_file(dir, "edge-job.yaml", (off_t)16 << 20);
    cr_assert_neq(vg_job_load(edge_job, &job, err, sizeof err), 0);
    cr_assert(strstr(err, "byte limit") == NULL, "%s", err);
    cr_assert_null(job);
    free(big);
    free(edge);
    free(big_job);
    free(edge_job);
    free(dir);
}

/* The text of `section:` in config.yaml, up to the next top-level key. */
static const char *section_text(const char *yaml, const char *section,
                                size_t *length)
{
    char head[128];
    snprintf(head, sizeof head, "\n%s:", section);
    const char *start = strstr(yaml, head);
    cr_assert_not_null(start, "config.yaml has no %s: section", section);
    const char *end = start + 1;
    while ((end = strchr(end, '\n')) != NULL && end[1] != '\0' &&
           (end[1] == ' ' || end[1] == '#' || end[1] == '\n'))
        end++;
    *length = end ? (size_t)(end - start) : strlen(start);
    return start;
}

static bool contains(const char *text, size_t length, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= length; i++)
        if (memcmp(text + i, needle, n) == 0)
            return true;
    return false;
}

/* The row's key in config.yaml, in its section: written with its default
 * (which source_tree_config_yaml_equals_defaults compares), or commented
 * out when the default is "not set". */
static void expect_in_config_yaml(const char *yaml, const typed_row *row,
                                  bool unset)
{
    char line[128];
    const char *name = row->key.name;
    if (row->section[0] == '\0') {
        snprintf(line, sizeof line, "\n%s%s: ", unset ? "# " : "", name);
        cr_assert(strstr(yaml, line), "config.yaml lacks '%s'", line + 1);
        return;
    }
    size_t length = 0;
    const char *text = section_text(yaml, row->section, &length);
    snprintf(line, sizeof line, "\n  %s%s: ", unset ? "# " : "", name);
    cr_assert(contains(text, length, line), "config.yaml's %s: lacks '%s'",
              row->section, line + 1);
}

/* Its row in the docs: a table row in docs/config.md (docs/security.md for
 * limits:), or a heading for a top-level key. */
static void expect_documented(const char *config_md, const char *security_md,
                              const typed_row *row)
{
    char text[128];
    const char *doc = config_md;
    if (row->section[0] == '\0')
        snprintf(text, sizeof text, "### `%s`", row->key.name);
    else
        snprintf(text, sizeof text, "| `%s` |", row->key.name);
    if (strcmp(row->section, "limits") == 0)
        doc = security_md;
    cr_assert(strstr(doc, text), "docs lack '%s' (%s)", text, row->section);
}

/* "section:\n  key: value\n", or "key: value\n" at the top level; returns
 * the column of the value. */
static int row_yaml(const typed_row *row, const char *value, char *out,
                    size_t size)
{
    if (row->section[0] == '\0') {
        snprintf(out, size, "%s: %s\n", row->key.name, value);
        return (int)strlen(row->key.name) + 3;
    }
    snprintf(out, size, "%s:\n  %s: %s\n", row->section, row->key.name, value);
    return (int)strlen(row->key.name) + 5;
}

/* A valid value other than the default, as the member reads back. */
static void other_value(const vg_config *defaults, const vg_config_key *key,
                        char *out, size_t size)
{
    const void *m = (const char *)defaults + key->offset;
    if (key->type == VG_CONFIG_BOOL)
        snprintf(out, size, "%s", *(const bool *)m ? "false" : "true");
    else if (key->type == VG_CONFIG_SWITCH)
        snprintf(out, size, "%s", key->words[*(const bool *)m ? 1 : 0]);
    else if (key->type == VG_CONFIG_NUMBER)
        snprintf(out, size, "%.17g",
                 *(const double *)m != key->low ? key->low : key->high);
    else if (key->type == VG_CONFIG_NAME)
        snprintf(out, size, "x_test");
    else
        snprintf(out, size, "%lld",
                 integer_member(defaults, key) != key->min ? key->min
                                                           : key->max);
}

/* The range fits the member: a row cannot promise what it cannot store. */
static void expect_range_fits(const typed_row *row)
{
    const vg_config_key *key = &row->key;
    long long top = key->type == VG_CONFIG_INT   ? INT_MAX
                    : key->type == VG_CONFIG_U32 ? (long long)UINT32_MAX
                                                 : LLONG_MAX;
    if (is_integer(key))
        cr_assert(key->min >= 0 && key->min <= key->max && key->max <= top,
                  "%s.%s: range %lld to %lld", row->section, key->name,
                  key->min, key->max);
    if (key->type == VG_CONFIG_NUMBER)
        cr_assert(key->low <= key->high, "%s.%s", row->section, key->name);
}

/* Every typed row: read from a file with a valid value other than its
 * default, a sequence and a value past its range refused with the key's
 * place, and config.yaml and the docs holding it. */
Test(config_file, every_typed_key_is_read_refused_and_documented)
{
    size_t size = 0;
    char *yaml = vgt_read_file(VG_TEST_SOURCE_DIR "/config.yaml", &size);
    char *config_md =
        vgt_read_file(VG_TEST_SOURCE_DIR "/docs/config.md", &size);
    char *security_md =
        vgt_read_file(VG_TEST_SOURCE_DIR "/docs/security.md", &size);
    cr_assert(yaml && config_md && security_md);
    vg_config *defaults = NULL;
    cr_assert_eq(vg_config_create_default(&defaults), 0);
    for (size_t i = 0; i < TYPED_ROW_COUNT; i++) {
        const typed_row *row = &typed_rows[i];
        const vg_config_key *key = &row->key;
        char value[128], text[256], got[256], place[256];
        expect_range_fits(row);
        expect_in_config_yaml(yaml, row, default_is_unset(defaults, key));
        expect_documented(config_md, security_md, row);

        other_value(defaults, key, value, sizeof value);
        row_yaml(row, value, text, sizeof text);
        vg_config *cfg = load_ok(text);
        member_text(cfg, key, got, sizeof got);
        cr_assert(strcmp(got, value) == 0, "%s: read back %s", text, got);
        vg_config_destroy(&cfg);

        int column = row_yaml(row, "[1]", text, sizeof text);
        snprintf(place, sizeof place, "t.yaml:%d:%d: %s%s%s: expected ",
                 row->section[0] ? 2 : 1, column, row->section,
                 row->section[0] ? "." : "", key->name);
        cfg = (vg_config *)1;
        cr_assert_eq(
            vg_config_load_string(text, "t.yaml", &cfg, err, sizeof err),
            VG_ERR_CONFIG, "%s", text);
        cr_assert_null(cfg);
        cr_assert(strncmp(err, place, strlen(place)) == 0, "%s", err);
        cr_assert(strstr(err, ", got a sequence"), "%s", err);

        if (is_integer(key) || key->type == VG_CONFIG_NUMBER) {
            if (is_integer(key))
                snprintf(value, sizeof value, "%lld0", key->max);
            else
                snprintf(value, sizeof value, "%.17g", key->high * 2);
            row_yaml(row, value, text, sizeof text);
            cr_assert_eq(
                vg_config_load_string(text, "t.yaml", &cfg, err, sizeof err),
                VG_ERR_CONFIG, "%s", text);
            cr_assert(strncmp(err, place, strlen(place)) == 0, "%s", err);
        }
    }
    vg_config_destroy(&defaults);
    free(yaml);
    free(config_md);
    free(security_md);
}

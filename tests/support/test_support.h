/*
 * test_support.h - small helpers shared by the Criterion suites.
 *
 * Paths come from compile definitions (VG_TEST_SOURCE_DIR, VG_TEST_BUILD_DIR,
 * VG_TEST_PLUGIN_DIR, VG_TEST_VGRUN, VG_TEST_VGJOIN) so tests do not depend
 * on the working directory CTest picks.
 */
#ifndef VG_TEST_SUPPORT_H
#define VG_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vg/plugin.h"

/* A fresh empty directory under the build tree, unique per call; the path is
 * malloc'ed (caller frees).  Aborts the test on failure. */
char *vgt_make_temp_dir(const char *tag);

/* Write `size` bytes to `path`.  Aborts the test on failure. */
void vgt_write_file(const char *path, const void *data, size_t size);

/* Read a whole file; *size_out gets its length.  NUL-terminated for
 * convenience.  Returns NULL if it cannot be read. */
char *vgt_read_file(const char *path, size_t *size_out);

/* How many entries `dir` holds, not counting names starting with '.' nor
 * those listed in `ignore` (NULL-terminated; NULL for none). */
size_t vgt_count_entries(const char *dir, const char *const *ignore);

/* Whether process `pid` has a file open in directory `dir` (by path
 * prefix; an unnamed O_TMPFILE file shows as "DIR/#INODE (deleted)"):
 * how a test knows a run has started writing its output. */
bool vgt_process_writes_in(pid_t pid, const char *dir);

/* The result of running a command. */
typedef struct vgt_run_result {
    int exit_code; /* exit status, or 128 + signal */
    char *out;     /* stdout, NUL-terminated */
    size_t out_size;
    char *err; /* stderr, NUL-terminated */
} vgt_run_result;

/* Run `argv` (argv[0] a path) with `env` entries ("NAME=value", or "NAME"
 * alone to unset it) applied on top of the current environment, stdin from
 * /dev/null.  Aborts the test if the command cannot be started. */
vgt_run_result vgt_run(const char *const *argv, const char *const *env);

/* vgt_run() of `program` with the NULL-terminated `args` after it (at most
 * 62 of them). */
vgt_run_result vgt_run_program(const char *program, const char *const *args,
                               const char *const *env);

void vgt_run_result_free(vgt_run_result *r);

/* Deterministic non-zero test data: fills `size` bytes from `seed`. */
void vgt_fill_random(void *data, size_t size, uint32_t seed);

/* The next number of the xorshift32 sequence in *state (non-zero). */
uint32_t vgt_rng_next(uint32_t *state);

/* The validated option values of `plugin` for `body`, the YAML body of
 * backend_options.<plugin name> (each line indented by four spaces; "" for
 * the defaults).  Aborts the test on a config error.  Free with
 * vg_option_values_destroy(&values, plugin->option_count). */
vg_option_value *vgt_plugin_options(const vg_plugin *plugin, const char *body);

#endif /* VG_TEST_SUPPORT_H */

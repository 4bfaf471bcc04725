/*
 * vg/config.h - vg's configuration: built-in defaults, YAML files, overrides.
 *
 * The built-in defaults equal the top-level config.yaml of the source tree
 * (a test keeps them equal), so a config file need only hold the keys it
 * changes.  Every key is documented inline in config.yaml and in
 * docs/config.md.
 *
 * Errors: loading fails on unknown keys, wrong types and out-of-range values
 * with a message "FILE:LINE:COLUMN: KEY: what is wrong" (1-based line and
 * column of the offending node).  Plugin options (backend_options.<name>) are
 * kept raw with their positions and checked against the plugin's declared
 * option table when that plugin is loaded (vg_config_plugin_options).
 *
 * Ownership: a vg_config owns every string it points to; vg_config_destroy
 * frees it all.  Thread-safety: a config is immutable once loaded and may be
 * read from any thread; the *_set_* functions are not thread-safe.
 */
#ifndef VG_CONFIG_H
#define VG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "vg/api.h"
#include "vg/config_key.h"
#include "vg/limits.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a value came from, for error messages. */
typedef struct vg_config_mark {
    const char *file; /* config file path, or "<defaults>" / "<environment>" */
    int line;         /* 1-based; 0 when not from a file */
    int column;       /* 1-based; 0 when not from a file */
} vg_config_mark;

/* One raw key under backend_options.<backend>: a scalar or a flat sequence
 * of scalars, with where each was written. */
typedef struct vg_config_option {
    char *key;
    vg_config_mark mark;
    bool is_sequence;
    char *scalar; /* when !is_sequence */
    char **items; /* when is_sequence */
    size_t item_count;
} vg_config_option;

/* backend_options.<backend>: the raw options given for one backend. */
typedef struct vg_config_backend_options {
    char *backend;
    vg_config_mark mark;
    vg_config_option *options;
    size_t option_count;
} vg_config_backend_options;

/*
 * The typed keys, one list per section, one row per key (vg/config_key.h
 * explains the row): X(key, field, TYPE, default, constraint).  The
 * vg_config members, their built-in defaults, the loader's key tables
 * (type and range checks, messages, the "expected one of" lists) and the
 * generic tests that config.yaml and docs/ document every key with its
 * default all come from these lists; the limits: section's list is
 * VG_LIMITS_KEYS (vg/limits.h).  Keys whose value is not one plain value
 * (backends, plugin_dirs, isolation.inprocess_backends, backend_options,
 * job) have handlers in core/src/config/config_load.c, and come after the
 * typed rows in their section's "expected one of" list.
 */

/* video_generation: the fallback policy (docs/config.md). */
#define VG_CONFIG_VIDEO_GENERATION_KEYS(X)                                     \
    /* GPU-kind backends may be used */                                        \
    X(use_gpu, use_gpu, BOOL, true, VG_CONFIG_ANY)                             \
    /* only GPU-kind backends may be used */                                   \
    X(force_gpu, force_gpu, BOOL, false, VG_CONFIG_ANY)                        \
    /* a failed GPU backend may hand over to a CPU one */                      \
    X(auto_cpu_fallback, auto_cpu_fallback, BOOL, true, VG_CONFIG_ANY)

/* isolation: where plugins run (core/src/loader/worker_client.c); then
 * inprocess_backends. */
#define VG_CONFIG_ISOLATION_KEYS(X)                                            \
    /* mode: process (true) or inprocess */                                    \
    X(mode, isolate_backends, SWITCH, true,                                    \
      VG_CONFIG_WORDS("process", "inprocess"))                                 \
    /* multiplies every call's deadline: 0.001 to 1000 keeps deadlines         \
     * between milliseconds and weeks */                                       \
    X(timeout_scale, timeout_scale, NUMBER, 1.0,                               \
      VG_CONFIG_BETWEEN(0.001, 1000.0))

/* output: encoded video (.mp4, .mkv, .mov, .webm, .nut).  Whether a codec,
 * preset or pixel format exists is the encoder's to say (vg/encode.h);
 * crf and bitrate exclude each other (core/src/config/config_output.c). */
#define VG_CONFIG_OUTPUT_KEYS(X)                                               \
    X(codec, codec, NAME, "auto", VG_CONFIG_ANY)                               \
    /* -1: the codec's default */                                              \
    X(crf, crf, INT, -1, VG_CONFIG_RANGE(0, 63))                               \
    /* bits per second instead of crf; 0: crf */                               \
    X(bitrate, bitrate, RATE, 0,                                               \
      VG_CONFIG_RANGE_SAID(1000, 1000000000000,                                \
                           "bits per second from 1k to 1000G (e.g. 8M)"))      \
    /* NULL: the encoder's default */                                          \
    X(preset, preset, NAME, NULL, VG_CONFIG_ANY)                               \
    /* frames between keyframes; 0: 2 seconds */                               \
    X(keyint, keyint, U32, 0, VG_CONFIG_RANGE(1, 100000))                      \
    X(pix_fmt, pix_fmt, NAME, "yuv420p", VG_CONFIG_ANY)

/* Top-level keys with one plain value; after backends, plugin_dirs,
 * backend_options and the sections in the "expected one of" list. */
#define VG_CONFIG_TOP_LEVEL_KEYS(X)                                            \
    /* every Nth frame a non-cpu backend renders is rendered again on the      \
     * cpu backend and compared (vg/verify.h); 0 turns it off.  1 frame in     \
     * 100: the default job's frames 0, 100 and 200, so a backend that is      \
     * wrong on this job is caught at its first frame, for the cost of one     \
     * cpu frame per 100 (docs/security.md measures it). */                    \
    X(verify, verify, U32, 100,                                                \
      VG_CONFIG_RANGE_SAID(0, 1000000,                                         \
                           "a frame interval from 0 (off) to 1000000"))

/* output: how encoded video is written; `mark` says where the section is,
 * for the encoder's messages about it. */
typedef struct vg_config_output {
    VG_CONFIG_OUTPUT_KEYS(VG_CONFIG_MEMBER)
    vg_config_mark mark;
} vg_config_output;

typedef struct vg_config {
    char *source; /* the file loaded, or NULL for the built-in defaults */

    /* video_generation */
    VG_CONFIG_VIDEO_GENERATION_KEYS(VG_CONFIG_MEMBER)

    /* the plain top-level keys (verify) */
    VG_CONFIG_TOP_LEVEL_KEYS(VG_CONFIG_MEMBER)

    /* backends: the order in which backends are tried */
    char **backends;
    size_t backend_count;

    /* plugin_dirs: searched before VG_PLUGIN_PATH and the built-in dirs */
    char **plugin_dirs;
    size_t plugin_dir_count;

    /* backend_options: per-backend raw options */
    vg_config_backend_options *backend_options;
    size_t backend_options_count;

    /* isolation */
    VG_CONFIG_ISOLATION_KEYS(VG_CONFIG_MEMBER)
    /* inprocess_backends: run in vgrun even with mode process */
    char **inprocess_backends;
    size_t inprocess_backend_count;

    /* output: encoded video settings */
    vg_config_output output;

    /* limits: what inputs may cost (vg/limits.h) */
    vg_limits limits;

    /* Not a file key: set by vgrun --reprobe.  Selection runs every
     * self-test instead of trusting a pass recorded for the same plugin
     * file, device, driver and options ($XDG_CACHE_HOME/vg/selftest). */
    bool reprobe;
} vg_config;

/* A config holding the built-in defaults.  Returns 0 or VG_ERR_NO_MEMORY. */
VG_API int vg_config_create_default(vg_config **out);

/* Load `path` over the built-in defaults.  On failure *out stays NULL and
 * err holds "PATH:LINE:COLUMN: KEY: problem" (or "PATH: reason" when the file
 * cannot be read or is not YAML).  Returns 0, VG_ERR_IO, VG_ERR_CONFIG or
 * VG_ERR_NO_MEMORY.  docs/config.md lists the rules and messages. */
VG_API int vg_config_load(const char *path, vg_config **out, char *err,
                          size_t err_size);

/* Which config file to read (docs/config.md, "Which file is read"):
 * `explicit_path` (a --config option) when not NULL, else $VG_CONFIG, else
 * $XDG_CONFIG_HOME/vg/config.yaml (default ~/.config/vg/config.yaml), else
 * the system file <sysconfdir>/vg/config.yaml; the current directory is
 * never searched.  The last two are used only when they exist.  *path_out
 * is malloc'ed (free it) or NULL when none applies (use the built-in
 * defaults); *origin_out names where it came from ("VG_CONFIG", ...) and is
 * static.  Returns 0 or VG_ERR_NO_MEMORY. */
VG_API int vg_config_locate(const char *explicit_path, char **path_out,
                            const char **origin_out);

/* Same as vg_config_load, from a string; `name` stands in for the path in
 * messages. */
VG_API int vg_config_load_string(const char *yaml, const char *name,
                                 vg_config **out, char *err, size_t err_size);

/* Replace the backend order with a comma-separated list ("cuda,cpu"), as
 * given by vgrun --backend or VG_BACKENDS.  Names must be [a-z0-9_]+ and
 * not repeated.  Returns 0 or VG_ERR_CONFIG with err naming `origin`. */
VG_API int vg_config_set_backends(vg_config *cfg, const char *list,
                                  const char *origin, char *err,
                                  size_t err_size);

/* Check the raw options given for `plugin->name` against the plugin's
 * declared option table and produce one value per declared option (defaults
 * filled in).  *values_out is NULL when the plugin declares no options.
 * Errors name file:line:column: "config.yaml:14:5:
 * backend_options.cpu.threads: expected an integer from 0 to 256, got 'x'".
 * Free the result with vg_option_values_destroy.  Returns 0, VG_ERR_CONFIG
 * (a value in the config is wrong), VG_ERR_PLUGIN (the plugin's own table
 * or a declared default is invalid; err names the plugin) or
 * VG_ERR_NO_MEMORY. */
VG_API int vg_config_plugin_options(const vg_config *cfg,
                                    const vg_plugin *plugin,
                                    vg_option_value **values_out, char *err,
                                    size_t err_size);

/* Free values from vg_config_plugin_options (count = plugin->option_count)
 * and clear the pointer.  NULL is a no-op. */
VG_API void vg_option_values_destroy(vg_option_value **values, size_t count);

/* Free a config and clear the pointer.  NULL is a no-op. */
VG_API void vg_config_destroy(vg_config **cfg);

#ifdef __cplusplus
}
#endif

#endif /* VG_CONFIG_H */

/*
 * vg/select.h - choose the first backend that really works here.
 *
 * For each backend name in the configured order: find the plugin file ->
 * load (in a child first, see vg_plugin_load_and_probe) -> options -> probe
 * -> policy -> capability check -> open -> self-test (every kernel once on a
 * small input, bytes compared with the reference) -> selected.  Every
 * failure is recorded as an attempt with its stage and reason, and the next
 * backend is tried.  The policy keys of video_generation apply
 * (docs/architecture.md, "Selection"):
 *   use_gpu: false         GPU-kind backends are skipped
 *   force_gpu: true        only GPU-kind backends are tried
 *   auto_cpu_fallback: false  once a GPU device was found and failed, stop
 *                          instead of moving on to a non-GPU backend
 *
 * The selector is an iterator so a job can fail over mid-run: when a kernel
 * fails, report it with vg_selector_fail and ask vg_selector_next for the
 * next in the chain: the failed backend's remaining devices first, then the
 * next backend.  Every device that fails is an attempt of its own.
 *
 * Ownership: backends returned by vg_selector_next are the caller's to close
 * (before the selector is destroyed: the selector keeps their plugins
 * loaded).  Thread-safety: none.
 */
#ifndef VG_SELECT_H
#define VG_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/backend.h"
#include "vg/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where in the pipeline an attempt ended. */
#define VG_STAGE_TABLE(X)                                                      \
    X(FIND, "find")                                                            \
    X(LOAD, "load")                                                            \
    X(OPTIONS, "options")                                                      \
    X(PROBE, "probe")                                                          \
    X(POLICY, "policy")                                                        \
    X(CHECK, "capability check")                                               \
    X(OPEN, "open")                                                            \
    X(SELFTEST, "self-test")                                                   \
    X(SELECTED, "selected")                                                    \
    X(RUN, "run")

typedef enum vg_stage {
#define VG_STAGE_ENUM_(name, text) VG_STAGE_##name,
    VG_STAGE_TABLE(VG_STAGE_ENUM_)
#undef VG_STAGE_ENUM_
} vg_stage;

VG_API const char *vg_stage_name(vg_stage stage);

/* The size of an attempt's reason: the device name and a plugin's reason
 * of up to VG_REASON_MAX - 1 bytes, whole. */
#define VG_ATTEMPT_REASON_MAX (VG_NAME_MAX + VG_REASON_MAX)

/* One backend tried, and how far it got. */
typedef struct vg_attempt {
    char backend[VG_NAME_MAX];
    char file[1024]; /* plugin file, "" when not found */
    vg_stage stage;  /* VG_STAGE_SELECTED for the one chosen */
    int code;        /* 0 when selected, else a vg_error code */
    uint32_t device; /* device index tried (when stage >= CHECK) */
    char device_name[VG_NAME_MAX];
    char reason[VG_ATTEMPT_REASON_MAX]; /* why it was skipped; notes when
                                           selected */
} vg_attempt;

typedef struct vg_selector vg_selector;

/* A selector over cfg->backends.  `limits` is the largest frame the job
 * uses.  cfg must outlive the selector. */
VG_API int vg_selector_create(const vg_config *cfg, const vg_job_limits *limits,
                              vg_selector **out);

/* The next usable backend in the chain.  Returns 0 with *out set, or
 * VG_ERR_NO_BACKEND when none is left or policy stops the chain (the
 * attempts say why; vg_selector_summary formats them), or VG_ERR_CONFIG when
 * a plugin's options in the config are invalid (message in err). */
VG_API int vg_selector_next(vg_selector *sel, vg_backend **out, char *err,
                            size_t err_size);

/* Record that `backend` failed while running a job (stage RUN), so policy
 * can decide whether vg_selector_next may move on.  Does not close it. */
VG_API void vg_selector_fail(vg_selector *sel, const vg_backend *backend,
                             int code, const char *reason);

VG_API size_t vg_selector_attempt_count(const vg_selector *sel);
VG_API const vg_attempt *vg_selector_attempt(const vg_selector *sel,
                                             size_t index);

/* Why the chain stopped, one line ("no usable backend" or "auto_cpu_fallback
 * is false and GPU backend cuda failed"). "" while it has not stopped. */
VG_API const char *vg_selector_stop_reason(const vg_selector *sel);

VG_API void vg_selector_destroy(vg_selector **sel);

/* Everything known about one plugin file, for --list-backends and --doctor:
 * how far it got through the pipeline (policy not applied) and its probe. */
typedef struct vg_backend_report {
    vg_attempt attempt; /* stage SELECTED means usable on this machine */
    bool loaded;        /* the descriptor fields below are valid */
    char version[VG_NAME_MAX];
    char description[VG_TEXT_MAX];
    uint32_t kind; /* vg_backend_kind */
    bool probed;   /* probe below is valid */
    vg_probe_result probe;
} vg_backend_report;

/* Run find -> load -> probe -> check -> open -> self-test -> close on the
 * plugin file `path`, ignoring the policy keys.  Returns 0 (the report says
 * how far it got) or VG_ERR_CONFIG when the plugin's options in cfg are
 * invalid (message in the report's reason). */
VG_API int vg_inspect_plugin(const vg_config *cfg, const vg_job_limits *limits,
                             const char *path, vg_backend_report *out);

#ifdef __cplusplus
}
#endif

#endif /* VG_SELECT_H */

/*
 * select.c - the selection pipeline and the policy keys.
 *
 * For each configured backend: find -> load and probe (in a child) ->
 * policy -> capability check -> open -> self-test.  The first backend to
 * pass is returned; every other leaves an attempt with its stage and reason.
 *
 * Devices fail one at a time: a device that fails its check, open or
 * self-test, or later fails the job (vg_selector_fail), is recorded, and
 * the next device of the same backend is tried before the next backend.
 * One busy or broken GPU must not cost the others.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/selftest.h"
#include "backend/selftest_cache.h"
#include "common/strutil.h"
#include "loader/loaded_plugin.h"
#include "vg/select.h"

struct vg_selector {
    const vg_config *cfg;
    vg_job_limits limits;
    vg_search_path *search;
    size_t next_backend;        /* index into cfg->backends */
    vg_loaded_plugin **plugins; /* kept loaded: open backends use them */
    size_t plugin_count;
    vg_attempt *attempts;
    size_t attempt_count;
    /* a GPU-kind backend found a device and then failed on it: with
     * auto_cpu_fallback false, the chain may not move on to the CPU */
    char gpu_failure[VG_NAME_MAX];
    char stop_reason[VG_ATTEMPT_REASON_MAX];
    /* The backend last selected and the device after the one it runs on:
     * where vg_selector_next resumes when that device fails the job. */
    vg_loaded_plugin *resume_plugin;
    vg_probe_result resume_probe;
    uint32_t resume_device;
};

const char *vg_stage_name(vg_stage stage)
{
    switch (stage) {
#define VG_STAGE_CASE_(name, text)                                             \
    case VG_STAGE_##name:                                                      \
        return text;
        VG_STAGE_TABLE(VG_STAGE_CASE_)
#undef VG_STAGE_CASE_
    }
    return "unknown";
}

/* One pass of the pipeline over one plugin file (shared by selection and
 * inspection).  On success *out is an open, self-tested backend. */
typedef struct pipeline {
    const vg_config *cfg;
    const vg_job_limits *limits;
    bool apply_policy;
    /* auto_cpu_fallback is false and this GPU backend already failed: a
     * non-GPU backend must not be used (NULL otherwise) */
    const char *failed_gpu;
    bool fallback_refused; /* set when failed_gpu stopped this backend */
    vg_attempt *attempt;   /* filled as the pipeline goes */
    /* selection only (NULL when inspecting): each failed device gets an
     * attempt of its own from here */
    vg_selector *sel;
    uint32_t first_device;    /* the device to start from */
    vg_loaded_plugin *plugin; /* set once loaded; owned by the caller */
    vg_probe_result probe;
    bool probed;
    bool found_device; /* probe reported at least one device */
} pipeline;

static int stop(vg_attempt *a, vg_stage stage, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int stop(vg_attempt *a, vg_stage stage, int code, const char *fmt, ...)
{
    a->stage = stage;
    a->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->reason, sizeof a->reason, fmt, ap);
    va_end(ap);
    return code;
}

static int apply_policy(pipeline *p, vg_attempt *a)
{
    uint32_t kind = vg_loaded_plugin_descriptor(p->plugin)->kind;
    if (kind != VG_BACKEND_GPU && p->failed_gpu) {
        p->fallback_refused = true;
        return stop(a, VG_STAGE_POLICY, VG_ERR_UNSUPPORTED,
                    "video_generation.auto_cpu_fallback is false and GPU "
                    "backend '%s' failed: not falling back to '%s'",
                    p->failed_gpu, a->backend);
    }
    if (kind == VG_BACKEND_GPU && !p->cfg->use_gpu)
        return stop(a, VG_STAGE_POLICY, VG_ERR_UNSUPPORTED,
                    "video_generation.use_gpu is false: GPU backends are not "
                    "used");
    if (kind != VG_BACKEND_GPU && p->cfg->force_gpu)
        return stop(a, VG_STAGE_POLICY, VG_ERR_UNSUPPORTED,
                    "video_generation.force_gpu is true: only GPU backends are "
                    "used");
    return 0;
}

/* Try one device: check -> open -> self-test. */
static int try_device(pipeline *p, uint32_t device, vg_backend **out)
{
    vg_attempt *a = p->attempt;
    a->device = device;
    snprintf(a->device_name, sizeof a->device_name, "%s",
             p->probe.devices[device].name);
    /* Longer than a probe's fixed fields: a reason with its advice and the
     * runtime's own error text must not be cut. */
    char note[VG_REASON_MAX] = "";
    int rc =
        vg_loaded_plugin_check(p->plugin, device, p->limits, note, sizeof note);
    note[sizeof note - 1] = '\0';
    if (rc != 0)
        return stop(a, VG_STAGE_CHECK, rc, "%s: %s", a->device_name,
                    note[0] ? note : vg_strerror(rc));
    char reason[VG_REASON_MAX] = "";
    rc = vg_backend_open(p->plugin, device, p->limits, out, reason,
                         sizeof reason);
    if (rc != 0)
        return stop(a, VG_STAGE_OPEN, rc, "%s: %s", a->device_name, reason);
    /* The self-test's cost is paid once per plugin file, device, driver
     * and options (selftest_cache.c); --reprobe runs it regardless. */
    char entry[4400], why[256], timing[96];
    bool cacheable = vg_selftest_cache_entry(
        p->plugin, device, &p->probe, entry, sizeof entry, why, sizeof why);
    if (cacheable && !p->cfg->reprobe && vg_selftest_cache_has_pass(entry)) {
        snprintf(timing, sizeof timing, "self-test passed before (cached)");
    } else {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = vg_selftest_run(*out, reason, sizeof reason);
        /* Wrong output from cached code (an OpenCL program binary): the
         * plugin deletes the entry, and a fresh open builds from source
         * in this same run instead of leaving the backend off for good. */
        char rebuilt[VG_REASON_MAX] = "";
        if (rc == VG_ERR_MISMATCH && vg_backend_discard_cached_code(*out)) {
            snprintf(rebuilt, sizeof rebuilt, "%s", reason);
            vg_backend_close(out);
            rc = vg_backend_open(p->plugin, device, p->limits, out, reason,
                                 sizeof reason);
            if (rc != 0)
                return stop(a, VG_STAGE_OPEN, rc, "%s: %s", a->device_name,
                            reason);
            rc = vg_selftest_run(*out, reason, sizeof reason);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc != 0) {
            vg_backend_close(out);
            return stop(a, VG_STAGE_SELFTEST, rc, "%s: %s", a->device_name,
                        reason);
        }
        if (rebuilt[0])
            snprintf(note, sizeof note,
                     "its cached program failed the self-test (%.400s); the "
                     "entry was deleted and the program rebuilt from source",
                     rebuilt);
        if (cacheable)
            vg_selftest_cache_store_pass(entry);
        snprintf(timing, sizeof timing, "self-test %.0f ms",
                 (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    }
    return stop(a, VG_STAGE_SELECTED, 0, "%s%s%s; %s", a->device_name,
                note[0] ? ": " : "", note, timing);
}

static vg_attempt *new_attempt(vg_selector *sel, const char *backend);

/* Devices first_device.. in turn: the first that passes wins.  Selecting,
 * every failed device keeps its own attempt; inspecting, the report keeps
 * the first failure unless a later device passes. */
static int try_devices(pipeline *p, vg_backend **out)
{
    char first_failure[VG_ATTEMPT_REASON_MAX] = "";
    int rc = VG_ERR_NO_DEVICE;
    for (uint32_t d = p->first_device; d < p->probe.device_count; d++) {
        if (d > p->first_device && p->sel) {
            /* Copies: new_attempt may move the array. */
            char backend[VG_NAME_MAX], file[sizeof p->attempt->file];
            snprintf(backend, sizeof backend, "%s", p->attempt->backend);
            snprintf(file, sizeof file, "%s", p->attempt->file);
            vg_attempt *a = new_attempt(p->sel, backend);
            if (!a)
                return VG_ERR_NO_MEMORY;
            snprintf(a->file, sizeof a->file, "%s", file);
            p->attempt = a;
        }
        rc = try_device(p, d, out);
        if (rc == 0)
            return 0;
        if (!first_failure[0])
            snprintf(first_failure, sizeof first_failure, "%s",
                     p->attempt->reason);
    }
    if (!p->sel && p->probe.device_count > 1)
        snprintf(p->attempt->reason, sizeof p->attempt->reason, "%s",
                 first_failure);
    return rc;
}

static int run_pipeline(pipeline *p, const char *path, vg_backend **out)
{
    vg_attempt *a = p->attempt;
    *out = NULL;
    snprintf(a->file, sizeof a->file, "%s", path);
    char reason[VG_REASON_MAX] = "";
    int rc = vg_plugin_load_and_probe(path, p->cfg, &p->plugin, &p->probe,
                                      reason, sizeof reason);
    if (rc == VG_ERR_CONFIG)
        return stop(a, VG_STAGE_OPTIONS, rc, "%s", reason);
    if (rc != 0)
        return stop(a, rc == VG_ERR_PLUGIN ? VG_STAGE_LOAD : VG_STAGE_PROBE, rc,
                    "%s", reason);
    p->probed = true;
    if (p->apply_policy && (rc = apply_policy(p, a)) != 0)
        return rc;
    if (p->probe.device_count == 0)
        return stop(a, VG_STAGE_PROBE, VG_ERR_NO_DEVICE, "%s",
                    reason[0] ? reason : "no device found");
    p->found_device = true;
    return try_devices(p, out);
}

int vg_selector_create(const vg_config *cfg, const vg_job_limits *limits,
                       vg_selector **out)
{
    *out = NULL;
    vg_selector *sel = calloc(1, sizeof *sel);
    if (!sel)
        return VG_ERR_NO_MEMORY;
    sel->cfg = cfg;
    sel->limits = *limits;
    int rc = vg_search_path_create(cfg, &sel->search);
    if (rc != 0) {
        free(sel);
        return rc;
    }
    *out = sel;
    return 0;
}

static vg_attempt *new_attempt(vg_selector *sel, const char *backend)
{
    vg_attempt *grown =
        realloc(sel->attempts, (sel->attempt_count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    sel->attempts = grown;
    vg_attempt *a = &sel->attempts[sel->attempt_count++];
    memset(a, 0, sizeof *a);
    snprintf(a->backend, sizeof a->backend, "%s", backend);
    return a;
}

static int keep_plugin(vg_selector *sel, vg_loaded_plugin *lp)
{
    vg_loaded_plugin **grown =
        realloc(sel->plugins, (sel->plugin_count + 1) * sizeof *grown);
    if (!grown)
        return VG_ERR_NO_MEMORY;
    sel->plugins = grown;
    sel->plugins[sel->plugin_count++] = lp;
    return 0;
}

static void note_gpu_failure(vg_selector *sel, const char *backend)
{
    if (!sel->gpu_failure[0])
        snprintf(sel->gpu_failure, sizeof sel->gpu_failure, "%s", backend);
}

/* After the backend selected last failed the job: its remaining devices,
 * before any other backend.  0 with *out set, or nonzero when none is left
 * (every device tried recorded). */
static int resume_devices(vg_selector *sel, vg_backend **out)
{
    vg_loaded_plugin *plugin = sel->resume_plugin;
    sel->resume_plugin = NULL;
    if (!plugin || sel->resume_device >= sel->resume_probe.device_count)
        return VG_ERR_NO_DEVICE;
    const char *path = vg_loaded_plugin_path(plugin);
    char name[VG_NAME_MAX];
    vg_plugin_name_from_path(path, name, sizeof name);
    vg_attempt *a = new_attempt(sel, name);
    if (!a)
        return VG_ERR_NO_MEMORY;
    snprintf(a->file, sizeof a->file, "%s", path);
    pipeline p = {.cfg = sel->cfg,
                  .limits = &sel->limits,
                  .attempt = a,
                  .sel = sel,
                  .plugin = plugin,
                  .probe = sel->resume_probe,
                  .first_device = sel->resume_device};
    int rc = try_devices(&p, out);
    if (rc == 0) {
        sel->resume_plugin = plugin;
        sel->resume_device = p.attempt->device + 1;
    }
    return rc;
}

int vg_selector_next(vg_selector *sel, vg_backend **out, char *err,
                     size_t err_size)
{
    *out = NULL;
    if (!sel->stop_reason[0] && sel->resume_plugin) {
        int rc = resume_devices(sel, out);
        if (rc == 0 || rc == VG_ERR_NO_MEMORY)
            return rc;
    }
    while (!sel->stop_reason[0] &&
           sel->next_backend < sel->cfg->backend_count) {
        const char *name = sel->cfg->backends[sel->next_backend++];
        vg_attempt *a = new_attempt(sel, name);
        if (!a) {
            snprintf(err, err_size, "%s: out of memory", name);
            return VG_ERR_NO_MEMORY;
        }
        char *path = NULL;
        char reason[VG_REASON_MAX];
        int rc = vg_search_path_find(sel->search, name, &path, reason,
                                     sizeof reason);
        if (rc != 0) {
            stop(a, VG_STAGE_FIND, rc, "%s", reason);
            continue;
        }
        /* auto_cpu_fallback: false stops the chain at the first non-GPU
         * backend once a GPU device was found and failed. */
        bool refuse = !sel->cfg->auto_cpu_fallback && sel->gpu_failure[0];
        pipeline p = {.cfg = sel->cfg,
                      .limits = &sel->limits,
                      .apply_policy = true,
                      .attempt = a,
                      .sel = sel,
                      .failed_gpu = refuse ? sel->gpu_failure : NULL};
        rc = run_pipeline(&p, path, out);
        free(path);
        a = p.attempt; /* the last device's attempt */
        if (p.fallback_refused)
            snprintf(sel->stop_reason, sizeof sel->stop_reason, "%s",
                     a->reason);
        if (p.plugin && keep_plugin(sel, p.plugin) != 0) {
            vg_backend_close(out);
            vg_plugin_unload(&p.plugin);
            snprintf(err, err_size, "%s: out of memory", name);
            return VG_ERR_NO_MEMORY;
        }
        if (rc == VG_ERR_CONFIG) {
            snprintf(err, err_size, "%s", a->reason);
            return rc;
        }
        if (*out) {
            sel->resume_plugin = p.plugin;
            sel->resume_probe = p.probe;
            sel->resume_device = a->device + 1;
            return 0;
        }
        if (p.found_device && p.plugin &&
            vg_loaded_plugin_descriptor(p.plugin)->kind == VG_BACKEND_GPU &&
            a->stage > VG_STAGE_POLICY)
            note_gpu_failure(sel, name);
    }
    if (!sel->stop_reason[0])
        snprintf(sel->stop_reason, sizeof sel->stop_reason, "%s",
                 sel->cfg->force_gpu
                     ? "no usable GPU backend and video_generation.force_gpu "
                       "is true"
                     : "no usable backend");
    snprintf(err, err_size, "%s", sel->stop_reason);
    return VG_ERR_NO_BACKEND;
}

void vg_selector_fail(vg_selector *sel, const vg_backend *backend, int code,
                      const char *reason)
{
    const char *name = vg_backend_name(backend);
    vg_attempt *a = new_attempt(sel, name);
    if (a) {
        snprintf(a->file, sizeof a->file, "%s",
                 vg_loaded_plugin_path(vg_backend_plugin(backend)));
        a->device = vg_backend_device(backend);
        /* The device's name, from the attempt that selected it. */
        for (size_t i = sel->attempt_count - 1; i-- > 0;) {
            const vg_attempt *chosen = &sel->attempts[i];
            if (chosen->stage == VG_STAGE_SELECTED &&
                chosen->device == a->device &&
                strcmp(chosen->backend, name) == 0) {
                snprintf(a->device_name, sizeof a->device_name, "%s",
                         chosen->device_name);
                break;
            }
        }
        stop(a, VG_STAGE_RUN, code, "%s", reason);
    }
    if (vg_backend_kind_of(backend) == VG_BACKEND_GPU)
        note_gpu_failure(sel, name);
}

size_t vg_selector_attempt_count(const vg_selector *sel)
{
    return sel->attempt_count;
}

const vg_attempt *vg_selector_attempt(const vg_selector *sel, size_t index)
{
    return index < sel->attempt_count ? &sel->attempts[index] : NULL;
}

const char *vg_selector_stop_reason(const vg_selector *sel)
{
    return sel->stop_reason;
}

void vg_selector_destroy(vg_selector **sel)
{
    if (!sel || !*sel)
        return;
    for (size_t i = 0; i < (*sel)->plugin_count; i++)
        vg_plugin_unload(&(*sel)->plugins[i]);
    free((*sel)->plugins);
    free((*sel)->attempts);
    vg_search_path_destroy(&(*sel)->search);
    free(*sel);
    *sel = NULL;
}

int vg_inspect_plugin(const vg_config *cfg, const vg_job_limits *limits,
                      const char *path, vg_backend_report *out)
{
    memset(out, 0, sizeof *out);
    vg_plugin_name_from_path(path, out->attempt.backend,
                             sizeof out->attempt.backend);
    pipeline p = {.cfg = cfg, .limits = limits, .attempt = &out->attempt};
    vg_backend *backend = NULL;
    int rc = run_pipeline(&p, path, &backend);
    vg_backend_close(&backend);
    if (p.plugin) {
        const vg_plugin *desc = vg_loaded_plugin_descriptor(p.plugin);
        out->loaded = true;
        snprintf(out->version, sizeof out->version, "%s",
                 desc->version ? desc->version : "");
        snprintf(out->description, sizeof out->description, "%s",
                 desc->description ? desc->description : "");
        out->kind = desc->kind;
        vg_plugin_unload(&p.plugin);
    }
    out->probed = p.probed;
    out->probe = p.probe;
    return rc == VG_ERR_CONFIG ? rc : 0;
}

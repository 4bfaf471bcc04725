/*
 * plugin_isolation.c - a loaded plugin whose slots run in a worker process.
 *
 * The first contact with the file happens in the worker (its constructors,
 * the descriptor checks); only once the worker survived loading is the file
 * mapped here too, for the descriptor's name, kind and option table, which
 * the host needs to validate the user's options.  No slot is ever called in
 * this process: probe, check, open and every call on a context go to the
 * worker (worker_slots.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/loaded_plugin.h"

static bool runs_in_worker(const vg_config *cfg, const char *path)
{
    if (!cfg->isolate_backends)
        return false;
    char name[VG_NAME_MAX];
    if (!vg_plugin_name_from_path(path, name, sizeof name))
        return true;
    for (size_t i = 0; i < cfg->inprocess_backend_count; i++)
        if (strcmp(cfg->inprocess_backends[i], name) == 0)
            return false;
    return true;
}

/* Start a worker with the plugin loaded and its options set (their values
 * travel with the probe).  A dead one is retired, not freed: backends
 * opened on it may still hold it. */
static int start_worker(vg_loaded_plugin *lp, vg_probe_result *probe,
                        char *reason, size_t reason_size)
{
    if (lp->worker) {
        vg_worker **grown =
            realloc(lp->retired, (lp->retired_count + 1) * sizeof *grown);
        if (!grown) {
            snprintf(reason, reason_size, "out of memory");
            return VG_ERR_NO_MEMORY;
        }
        lp->retired = grown;
        lp->retired[lp->retired_count++] = lp->worker;
        lp->worker = NULL;
    }
    int rc = vg_worker_spawn(lp->path, lp->timeout_scale, &lp->worker, reason,
                             reason_size);
    if (rc == 0)
        rc = vg_worker_probe(lp->worker, lp->options, lp->desc->option_count,
                             probe, reason, reason_size);
    return rc;
}

int vg_plugin_load_isolated(const char *path, const vg_config *cfg,
                            vg_loaded_plugin **out, vg_probe_result *probe_out,
                            char *reason, size_t reason_size)
{
    *out = NULL;
    vg_worker *worker = NULL;
    int rc =
        vg_worker_spawn(path, cfg->timeout_scale, &worker, reason, reason_size);
    if (rc != 0)
        return rc;
    rc = vg_plugin_load(path, out, reason, reason_size);
    if (rc == 0)
        rc = vg_loaded_plugin_configure(*out, cfg, reason, reason_size);
    if (rc != 0) {
        vg_worker_destroy(&worker);
        vg_plugin_unload(out);
        return rc;
    }
    (*out)->worker = worker;
    (*out)->isolated = true;
    (*out)->timeout_scale = cfg->timeout_scale;
    rc = vg_worker_probe(worker, (*out)->options, (*out)->desc->option_count,
                         probe_out, reason, reason_size);
    if (rc != 0)
        vg_plugin_unload(out);
    else if (!runs_in_worker(cfg, path)) {
        /* An in-process backend: loaded and probed safely in a worker like
         * any other (a fresh process, never a bare fork of this one), then
         * run here. */
        vg_worker_destroy(&(*out)->worker);
        (*out)->isolated = false;
    }
    return rc;
}

/* The worker, restarted when an earlier call killed it. */
static int live_worker(vg_loaded_plugin *lp, char *reason, size_t reason_size)
{
    if (lp->worker && vg_worker_alive(lp->worker))
        return 0;
    static vg_probe_result probe; /* not needed again; too large for a stack */
    return start_worker(lp, &probe, reason, reason_size);
}

int vg_loaded_plugin_check(vg_loaded_plugin *lp, uint32_t device,
                           const vg_job_limits *limits, char *reason,
                           size_t reason_size)
{
    if (!lp->isolated)
        return lp->desc->check_device(lp->options, device, limits, reason,
                                      reason_size);
    int rc = live_worker(lp, reason, reason_size);
    return rc != 0 ? rc
                   : vg_worker_check(lp->worker, device, limits, reason,
                                     reason_size);
}

int vg_loaded_plugin_open(vg_loaded_plugin *lp, uint32_t device,
                          const vg_job_limits *limits,
                          const vg_plugin **slots_out, vg_plugin_ctx **ctx_out,
                          char *reason, size_t reason_size)
{
    *ctx_out = NULL;
    if (!lp->isolated) {
        *slots_out = lp->desc;
        return lp->desc->open(lp->options, device, limits, ctx_out, reason,
                              reason_size);
    }
    int rc = live_worker(lp, reason, reason_size);
    return rc != 0 ? rc
                   : vg_worker_open(lp->worker, lp->desc, device, limits,
                                    slots_out, ctx_out, reason, reason_size);
}

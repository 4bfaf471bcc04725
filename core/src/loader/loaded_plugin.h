/*
 * loaded_plugin.h - the loader's record of one dlopen'ed plugin (internal).
 */
#ifndef VG_LOADED_PLUGIN_H
#define VG_LOADED_PLUGIN_H

#include "vg/loader.h"
#include "loader/worker.h"

struct vg_loaded_plugin {
    void *handle;            /* dlopen handle */
    char *path;
    const vg_plugin *desc;   /* static data inside the plugin */
    vg_option_value *options; /* validated values, one per declared option */
    /* isolation.mode process: every call goes to a worker process (the
     * host only reads the descriptor) */
    bool isolated;
    vg_worker *worker; /* the current one; NULL until one starts */
    /* workers that died, kept until unload: backends opened on them still
     * point at them (their calls fail at once) */
    vg_worker **retired;
    size_t retired_count;
    double timeout_scale;
};

/* Load `path` in a worker process, then (for its descriptor and option
 * table only) here, and probe in the worker.  A backend named in
 * isolation.inprocess_backends then drops its worker and runs here.  The
 * contract of vg_plugin_load_and_probe. */
int vg_plugin_load_isolated(const char *path, const vg_config *cfg,
                            vg_loaded_plugin **out, vg_probe_result *probe_out,
                            char *reason, size_t reason_size);

/* The plugin's check_device, in its worker when it has one (a new worker
 * replaces one that died on an earlier device). */
int vg_loaded_plugin_check(vg_loaded_plugin *lp, uint32_t device,
                           const vg_job_limits *limits, char *reason,
                           size_t reason_size);

/* The plugin's open: *slots_out is the descriptor to call the context's
 * slots through (the plugin's own, or the worker's forwarding slots). */
int vg_loaded_plugin_open(vg_loaded_plugin *lp, uint32_t device,
                          const vg_job_limits *limits,
                          const vg_plugin **slots_out, vg_backend_ctx **ctx_out,
                          char *reason, size_t reason_size);

/* Check a descriptor returned by an entry point: version, size, required
 * slots, name and option table.  Writes "PATH: problem" to reason. */
int vg_plugin_validate(const vg_plugin *desc, const char *path, char *reason,
                       size_t reason_size);

#endif /* VG_LOADED_PLUGIN_H */

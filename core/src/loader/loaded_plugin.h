/*
 * loaded_plugin.h - the loader's record of one dlopen'ed plugin (internal).
 */
#ifndef VG_LOADED_PLUGIN_H
#define VG_LOADED_PLUGIN_H

#include "loader/worker.h"
#include "vg/loader.h"

struct vg_loaded_plugin {
    void *handle; /* dlopen handle */
    char *path;
    /* The plugin's descriptor as validated: a copy of exactly the slots of
     * the ABI version it claims, the rest NULL (vg_plugin_validate). */
    vg_plugin desc_copy;
    const vg_plugin *desc;    /* &desc_copy once validated, else NULL */
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
                          const vg_plugin **slots_out, vg_plugin_ctx **ctx_out,
                          char *reason, size_t reason_size);

/* Check a descriptor returned by an entry point: version, size, name, kind,
 * required slots and option table, and copy into *copy the part of it that
 * its ABI version defines (every later slot NULL).  Writes "PATH: problem"
 * to reason.  Only the copy may be used afterwards. */
int vg_plugin_validate(const vg_plugin *raw, const char *path, vg_plugin *copy,
                       char *reason, size_t reason_size);

/* The descriptor size ABI version `abi_version` defines: the end of its
 * last slot.  A descriptor of that version is at least this long. */
size_t vg_plugin_size_for_abi(uint32_t abi_version);

/* Make a probe result from a plugin (plain data: never trusted) safe to
 * read: terminate every string, reason included, and clamp device_count to
 * VG_MAX_DEVICES. */
void vg_probe_result_sanitize(vg_probe_result *probe);

/* The trust rule for code vg loads (docs/security.md): the file and its
 * directory, symbolic links resolved, are owned by root or the effective
 * user and writable by neither group nor others.  Returns 0, or
 * VG_ERR_PLUGIN with "PATH: refused: why" in reason. */
int vg_plugin_check_trust(const char *path, char *reason, size_t reason_size);

#endif /* VG_LOADED_PLUGIN_H */

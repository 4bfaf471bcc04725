/*
 * conformance_session.c - open one backend alone for the checks, through
 * the same selection pipeline vgrun uses, so a plugin that would be skipped
 * in production is reported at the same stage with the same reason.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "conformance.h"
#include "vg/select.h"

struct vgc_session {
    vg_config *cfg;
    vg_selector *sel;
    vg_backend *backend;
};

/* Checks use frames up to the largest dimension (16384 x 2 strips). */
static const vg_job_limits conformance_limits = {
    .max_width = VG_MAX_DIMENSION,
    .max_height = VG_MAX_DIMENSION,
};

int vgc_session_create(const char *name, const char *plugin_dir,
                       const char *options_yaml, vgc_session **out,
                       char *reason, size_t reason_size)
{
    *out = NULL;
    char *yaml = NULL;
    int len = asprintf(&yaml,
                       "backends: [%s]\n"
                       "%s%s%s"
                       "backend_options:\n  %s: %s\n",
                       name, plugin_dir ? "plugin_dirs: ['" : "",
                       plugin_dir ? plugin_dir : "", plugin_dir ? "']\n" : "",
                       name, options_yaml ? options_yaml : "{}");
    if (len < 0) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    vgc_session *s = calloc(1, sizeof *s);
    if (!s) {
        free(yaml);
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = vg_config_load_string(yaml, "conformance options", &s->cfg, reason,
                                   reason_size);
    free(yaml);
    if (rc == 0)
        rc = vg_selector_create(s->cfg, &conformance_limits, &s->sel);
    if (rc == 0) {
        char err[1024];
        rc = vg_selector_next(s->sel, &s->backend, err, sizeof err);
        if (rc != 0) {
            const vg_attempt *a = vg_selector_attempt(s->sel, 0);
            if (a && rc != VG_ERR_CONFIG)
                snprintf(reason, reason_size, "%s: not usable at %s: %s", name,
                         vg_stage_name(a->stage), a->reason);
            else
                snprintf(reason, reason_size, "%s: %s", name, err);
        }
    } else if (s->cfg && !s->sel) {
        snprintf(reason, reason_size, "cannot start selection: %s",
                 vg_strerror(rc));
    }
    if (rc != 0) {
        vgc_session_destroy(&s);
        return rc;
    }
    *out = s;
    return 0;
}

void vgc_session_destroy(vgc_session **session)
{
    if (!session || !*session)
        return;
    vg_backend_close(&(*session)->backend);
    vg_selector_destroy(&(*session)->sel);
    vg_config_destroy(&(*session)->cfg);
    free(*session);
    *session = NULL;
}

vg_backend *vgc_session_backend(vgc_session *session)
{
    return session->backend;
}

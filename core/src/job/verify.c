/*
 * verify.c - frames of a non-cpu backend checked against the cpu backend
 * (vg/verify.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/selftest.h"
#include "vg/image.h"
#include "vg/loader.h"
#include "vg/verify.h"

struct vg_verifier {
    const vg_job *job;
    const vg_config *cfg;
    uint32_t every;
    uint32_t verified;
    bool opened; /* the cpu backend was tried (once) */
    int open_rc; /* its result */
    char open_error[VG_TEXT_MAX * 2];
    vg_loaded_plugin *plugin;
    vg_backend *backend;
    vg_render *render;
    vg_image expected;
};

int vg_verifier_create(const vg_job *job, const vg_config *cfg, uint32_t every,
                       vg_verifier **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return VG_ERR_NO_MEMORY;
    **out = (vg_verifier){.job = job, .cfg = cfg, .every = every};
    return 0;
}

bool vg_verifier_due(const vg_verifier *v, const vg_backend *backend,
                     uint32_t index)
{
    return v && v->every > 0 && index % v->every == 0 && backend &&
           strcmp(vg_backend_name(backend), "cpu") != 0;
}

/* Find, load, open and self-test the cpu backend, as selection would. */
static int open_cpu(vg_verifier *v)
{
    char *err = v->open_error;
    size_t size = sizeof v->open_error;
    vg_search_path *sp = NULL;
    char *path = NULL;
    vg_probe_result probe;
    vg_job_limits limits = vg_job_get_limits(v->job);
    vg_job_info info = vg_job_get_info(v->job);
    int rc = vg_search_path_create(v->cfg, &sp);
    if (rc == 0)
        rc = vg_search_path_find(sp, "cpu", &path, err, size);
    vg_search_path_destroy(&sp);
    if (rc == 0)
        rc = vg_plugin_load_and_probe(path, v->cfg, &v->plugin, &probe, err,
                                      size);
    free(path);
    if (rc == 0)
        rc = vg_backend_open(v->plugin, 0, &limits, &v->backend, err, size);
    if (rc == 0)
        rc = vg_selftest_run(v->backend, err, size);
    if (rc == 0)
        rc = vg_render_create(v->job, v->backend, &v->render, err, size);
    if (rc == 0 && vg_image_alloc(VG_FORMAT_I420, info.width, info.height,
                                  &v->expected) != 0) {
        snprintf(err, size, "out of memory");
        rc = VG_ERR_NO_MEMORY;
    }
    if (rc == VG_ERR_NO_MEMORY && !err[0])
        snprintf(err, size, "out of memory");
    return rc;
}

int vg_verifier_check(vg_verifier *v, uint32_t index, const vg_image *frame,
                      char *reason, size_t reason_size)
{
    if (!v->opened) {
        v->opened = true;
        v->open_rc = open_cpu(v);
    }
    if (v->open_rc != 0) {
        snprintf(reason, reason_size,
                 "frame %u cannot be verified: the cpu backend: %s", index,
                 v->open_error);
        return v->open_rc;
    }
    int rc = vg_render_frame(v->render, index, &v->expected);
    if (rc != 0) {
        snprintf(reason, reason_size,
                 "frame %u cannot be verified: the cpu backend: %s", index,
                 vg_render_last_error(v->render));
        return rc;
    }
    int plane = 0;
    int32_t x = 0, y = 0;
    if (vg_image_equal(frame, &v->expected, &plane, &x, &y)) {
        v->verified++;
        return 0;
    }
    unsigned got =
        frame
            ->data[plane][(size_t)y * (size_t)frame->stride[plane] + (size_t)x];
    unsigned want =
        v->expected.data[plane][(size_t)y * (size_t)v->expected.stride[plane] +
                                (size_t)x];
    snprintf(reason, reason_size,
             "frame %u differs from the cpu backend: plane %d, row %d, byte "
             "%d (got %u, expected %u)",
             index, plane, y, x, got, want);
    return VG_ERR_MISMATCH;
}

uint32_t vg_verifier_count(const vg_verifier *v)
{
    return v ? v->verified : 0;
}

void vg_verifier_destroy(vg_verifier **v)
{
    if (!v || !*v)
        return;
    vg_render_destroy(&(*v)->render);
    vg_backend_close(&(*v)->backend);
    vg_plugin_unload(&(*v)->plugin);
    vg_image_free(&(*v)->expected);
    free(*v);
    *v = NULL;
}

/*
 * vg_runner.c - measure vg backends through libvg's own API.
 *
 * The backend is found, loaded, configured and opened exactly as vgrun
 * does (loader.h, backend.h), so any backend can be measured: cpu at each
 * ISA level and thread count, opencl, cuda.  Each call is followed by a
 * sync, so asynchronous backends are timed to completion.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg/backend.h"
#include "vg/config.h"
#include "vg/image.h"
#include "vg/loader.h"
#include "vgbench.h"

typedef struct vg_bench {
    vg_backend *b;
    const vgb_case *c;
    vg_backend_frame *dst;
    vg_backend_frame *src[8], *src2[8];
} vg_bench;

static int run_once(vg_bench *vb, int set)
{
    const vgb_case *c = vb->c;
    vg_backend_frame *const src[2] = {vb->src[set], vb->src2[set]};
    int rc = c->spec->run(vb->b, vb->dst, src, &c->params);
    return rc != 0 ? rc : vg_backend_sync(vb->b);
}

static void run_fn(void *arg, int iteration)
{
    vg_bench *vb = arg;
    if (run_once(vb, iteration % vb->c->sets) != 0) {
        fprintf(stderr, "vgbench: %s\n", vg_backend_last_error(vb->b));
        exit(1);
    }
}

static int upload(vg_backend *b, const vg_image *img, vg_backend_frame **out)
{
    int rc =
        vg_backend_frame_alloc(b, img->format, img->width, img->height, out);
    return rc != 0 ? rc : vg_backend_upload(b, *out, img);
}

/* Max |difference| between set 0's output and vg's reference. */
static int check_output(vg_bench *vb)
{
    vg_image got;
    if (run_once(vb, 0) != 0 || vg_image_alloc(vb->c->want.format, vb->c->width,
                                               vb->c->height, &got) != 0)
        return -1;
    int diff = vg_backend_download(vb->b, vb->dst, &got) == 0
                   ? vgb_image_max_diff(&vb->c->want, &got)
                   : -1;
    vg_image_free(&got);
    return diff;
}

static void release(void *arg)
{
    vg_bench *vb = arg;
    vg_backend_frame_free(vb->b, &vb->dst);
    for (int s = 0; s < vb->c->sets; s++) {
        vg_backend_frame_free(vb->b, &vb->src[s]);
        vg_backend_frame_free(vb->b, &vb->src2[s]);
    }
    free(vb);
}

struct vgb_vg {
    vg_loaded_plugin *lp;
    vg_backend *b;
    char impl[64];
    int threads;
};

int vgb_vg_prepare(vgb_vg *vg, const vgb_case *c, vgb_result *out)
{
    vg_bench *vb = calloc(1, sizeof *vb);
    if (!vb)
        return -1;
    *vb = (vg_bench){.b = vg->b, .c = c};
    int rc = vg_backend_frame_alloc(vg->b, c->spec->dst_format, c->width,
                                    c->height, &vb->dst);
    for (int s = 0; s < c->sets && rc == 0; s++) {
        if (c->src[s].data[0])
            rc = upload(vg->b, &c->src[s], &vb->src[s]);
        if (rc == 0 && c->src2[s].data[0])
            rc = upload(vg->b, &c->src2[s], &vb->src2[s]);
    }
    if (rc != 0) {
        fprintf(stderr, "vgbench: %s: %s: %s\n", vg->impl, c->name,
                vg_backend_last_error(vg->b));
        release(vb);
        return -1;
    }
    *out = (vgb_result){.c = c,
                        .threads = vg->threads,
                        .timer = {.fn = run_fn, .arg = vb, .release = release}};
    snprintf(out->impl, sizeof out->impl, "%s", vg->impl);
    out->max_diff = check_output(vb);
    return 0;
}

/* A config naming the backend's options: threads and isa for cpu; for
 * other backends $VG_CONFIG when set (e.g. opencl device_types: [cpu] to
 * time PoCL), else the defaults. */
static int make_config(const char *name, const char *isa, int threads,
                       bool isolated, vg_config **cfg, char *err,
                       size_t err_size)
{
    if (strcmp(name, "cpu") != 0) {
        const char *path = secure_getenv("VG_CONFIG");
        return path && *path ? vg_config_load(path, cfg, err, err_size)
                             : vg_config_create_default(cfg);
    }
    char yaml[256];
    snprintf(yaml, sizeof yaml,
             "backend_options:\n  cpu:\n    threads: %d\n    isa: %s\n"
             "isolation:\n  mode: %s\n  inprocess_backends: []\n",
             threads, isa ? isa : "auto", isolated ? "process" : "inprocess");
    return vg_config_load_string(yaml, "<vgbench>", cfg, err, err_size);
}

void vgb_vg_close(vgb_vg **vg)
{
    if (!vg || !*vg)
        return;
    vg_backend_close(&(*vg)->b);
    vg_plugin_unload(&(*vg)->lp);
    free(*vg);
    *vg = NULL;
}

int vgb_vg_open(const char *name, const char *isa, int threads, bool isolated,
                vgb_vg **out)
{
    char reason[VG_TEXT_MAX] = "";
    char *path = NULL;
    vg_config *cfg = NULL;
    vg_search_path *sp = NULL;
    vgb_vg *vg = calloc(1, sizeof *vg);
    *out = NULL;
    if (!vg)
        return VG_ERR_NO_MEMORY;
    vg->threads = threads;
    /* Loaded, probed and opened as vgrun would, in this process or in a
     * worker process (isolation.mode). */
    int rc =
        make_config(name, isa, threads, isolated, &cfg, reason, sizeof reason);
    if (rc == 0) {
        cfg->isolate_backends = isolated;
        rc = vg_search_path_create(cfg, &sp);
    }
    if (rc == 0)
        rc = vg_search_path_find(sp, name, &path, reason, sizeof reason);
    static vg_probe_result probe; /* large; not needed */
    if (rc == 0)
        rc = vg_plugin_load_and_probe(path, cfg, &vg->lp, &probe, reason,
                                      sizeof reason);
    vg_job_limits limits = {.max_width = 3840, .max_height = 2160};
    if (rc == 0)
        rc = vg_backend_open(vg->lp, 0, &limits, &vg->b, reason, sizeof reason);
    if (rc == 0) /* an installed vg is searched before the build tree */
        fprintf(stderr, "vgbench: %s%s%s, %d thread%s%s: %s\n", name,
                isa ? " " : "", isa ? isa : "", threads,
                threads == 1 ? "" : "s",
                isolated ? ", in a worker process" : "", path);
    free(path);
    vg_search_path_destroy(&sp);
    vg_config_destroy(&cfg);
    if (rc != 0) {
        fprintf(stderr, "vgbench: backend %s%s%s: %s\n", name,
                isa ? " isa " : "", isa ? isa : "",
                reason[0] ? reason : vg_strerror(rc));
        vgb_vg_close(&vg);
        return rc;
    }
    if (strcmp(name, "cpu") == 0)
        snprintf(vg->impl, sizeof vg->impl, "vg cpu %s%s", isa ? isa : "auto",
                 isolated ? " [process]" : "");
    else
        snprintf(vg->impl, sizeof vg->impl, "vg %s%s", name,
                 isolated ? " [process]" : "");
    *out = vg;
    return 0;
}

static void sync_fn(void *arg, int iteration)
{
    (void)iteration;
    if (vg_backend_sync(arg) != 0) {
        fprintf(stderr, "vgbench: %s\n", vg_backend_last_error(arg));
        exit(1);
    }
}

static void no_release(void *arg)
{
    (void)arg;
}

void vgb_vg_report_round_trip(vgb_vg *vg, const vgb_options *o)
{
    vgb_result line = {
        .timer = {.fn = sync_fn, .arg = vg->b, .release = no_release}};
    vgb_time_paired(&line, 1, o);
    fprintf(stderr, "vgbench: %s: call round trip %.2f us (empty sync)\n",
            vg->impl, line.median_ms * 1000.0);
}

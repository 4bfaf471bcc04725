/*
 * vg_runner.c - measure vg backends through libvg's own API.
 *
 * The backend is found, loaded, configured and opened exactly as vgrun
 * does (loader.h, backend.h), so any backend can be measured: cpu at each
 * ISA level and thread count, opencl, cuda.  Each call is followed by a
 * sync, so asynchronous backends are timed to completion.
 */
#define _POSIX_C_SOURCE 200809L
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
    vg_backend *b = vb->b;
    vg_backend_frame *src = vb->src[set], *src2 = vb->src2[set];
    int rc;
    switch (c->kernel) {
    case VGB_PATTERN:
        rc = vg_backend_fill_pattern(b, vb->dst, &c->pattern);
        break;
    case VGB_WARP_DOWN:
    case VGB_WARP_UP:
        rc = vg_backend_warp_affine(b, vb->dst, src, &c->warp);
        break;
    case VGB_CROSSFADE:
    case VGB_ALPHA_OVER:
        rc = vg_backend_blend(b, vb->dst, src, src2, &c->blend);
        break;
    case VGB_BLUR5:
    case VGB_BLUR19:
        rc = vg_backend_blur(b, vb->dst, src, &c->blur);
        break;
    case VGB_RGBA_TO_I420:
        rc = vg_backend_rgba_to_i420(b, vb->dst, src, &c->color);
        break;
    default:
        rc = vg_backend_i420_to_rgba(b, vb->dst, src, &c->color);
        break;
    }
    return rc != 0 ? rc : vg_backend_sync(b);
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

static int bench_case(vg_backend *b, const vgb_case *c, const char *impl,
                      int threads, const vgb_options *o, vgb_sink sink,
                      void *sink_ctx)
{
    vg_bench vb = {.b = b, .c = c};
    vg_pixel_format out =
        c->kernel == VGB_RGBA_TO_I420 ? VG_FORMAT_I420 : VG_FORMAT_RGBA8;
    int rc = vg_backend_frame_alloc(b, out, c->width, c->height, &vb.dst);
    for (int s = 0; s < c->sets && rc == 0; s++) {
        if (c->src[s].data[0])
            rc = upload(b, &c->src[s], &vb.src[s]);
        if (rc == 0 && c->src2[s].data[0])
            rc = upload(b, &c->src2[s], &vb.src2[s]);
    }
    if (rc == 0) {
        vgb_result r = {.c = c, .threads = threads};
        snprintf(r.impl, sizeof r.impl, "%s", impl);
        r.max_diff = check_output(&vb);
        r.median_ms = vgb_time(run_fn, &vb, o);
        sink(sink_ctx, &r);
    } else {
        fprintf(stderr, "vgbench: %s: %s: %s\n", impl, c->name,
                vg_backend_last_error(b));
    }
    vg_backend_frame_free(b, &vb.dst);
    for (int s = 0; s < c->sets; s++) {
        vg_backend_frame_free(b, &vb.src[s]);
        vg_backend_frame_free(b, &vb.src2[s]);
    }
    return rc;
}

/* A config naming the backend's options: threads and isa for cpu; for
 * other backends $VG_CONFIG when set (e.g. opencl device_types: [cpu] to
 * time PoCL), else the defaults. */
static int make_config(const char *name, const char *isa, int threads,
                       bool isolated, vg_config **cfg, char *err,
                       size_t err_size)
{
    if (strcmp(name, "cpu") != 0) {
        const char *path = getenv("VG_CONFIG");
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

/* The backend loaded and opened as vgrun would, in this process or in a
 * worker process (isolation.mode). */
static int open_backend(const char *name, const char *isa, int threads,
                        bool isolated, vg_loaded_plugin **lp, vg_backend **b,
                        char *reason, size_t reason_size)
{
    vg_config *cfg = NULL;
    vg_search_path *sp = NULL;
    char *path = NULL;
    int rc =
        make_config(name, isa, threads, isolated, &cfg, reason, reason_size);
    if (rc == 0) {
        cfg->isolate_backends = isolated;
        rc = vg_search_path_create(cfg, &sp);
    }
    if (rc == 0)
        rc = vg_search_path_find(sp, name, &path, reason, reason_size);
    static vg_probe_result probe; /* large; not needed */
    if (rc == 0)
        rc = vg_plugin_load_and_probe(path, cfg, lp, &probe, reason,
                                      reason_size);
    vg_job_limits limits = {.max_width = 3840, .max_height = 2160};
    if (rc == 0)
        rc = vg_backend_open(*lp, 0, &limits, b, reason, reason_size);
    free(path);
    vg_search_path_destroy(&sp);
    vg_config_destroy(&cfg);
    return rc;
}

static void sync_fn(void *arg, int iteration)
{
    (void)iteration;
    if (vg_backend_sync(arg) != 0) {
        fprintf(stderr, "vgbench: %s\n", vg_backend_last_error(arg));
        exit(1);
    }
}

/* The cost of one call that does nothing (sync with nothing queued): for
 * an isolated backend, the round trip to its worker process. */
static void report_round_trip(vg_backend *b, const char *impl,
                              const vgb_options *o)
{
    double ms = vgb_time(sync_fn, b, o);
    fprintf(stderr, "vgbench: %s: call round trip %.2f us (empty sync)\n", impl,
            ms * 1000.0);
}

#define MAX_MODES 2

int vgb_run_vg(const char *name, const char *isa, int threads, vgb_case *cases,
               size_t count, const vgb_options *o, vgb_sink sink,
               void *sink_ctx)
{
    char reason[VG_TEXT_MAX] = "";
    vg_loaded_plugin *lp[MAX_MODES] = {NULL};
    vg_backend *b[MAX_MODES] = {NULL};
    char impl[MAX_MODES][64];
    int modes = 0, rc = 0;
    char *list = strdup(o->isolation), *save = NULL;
    for (char *m = strtok_r(list, ",", &save);
         m && modes < MAX_MODES && rc == 0; m = strtok_r(NULL, ",", &save)) {
        bool isolated = strcmp(m, "process") == 0;
        rc = open_backend(name, isa, threads, isolated, &lp[modes], &b[modes],
                          reason, sizeof reason);
        if (rc != 0) {
            fprintf(stderr, "vgbench: backend %s%s%s: %s\n", name,
                    isa ? " isa " : "", isa ? isa : "",
                    reason[0] ? reason : vg_strerror(rc));
            break;
        }
        if (strcmp(name, "cpu") == 0)
            snprintf(impl[modes], sizeof impl[modes], "vg cpu %s%s",
                     isa ? isa : "auto", isolated ? " [process]" : "");
        else
            snprintf(impl[modes], sizeof impl[modes], "vg %s%s", name,
                     isolated ? " [process]" : "");
        modes++;
    }
    free(list);
    /* Each case on every mode in turn, so a change in the machine's load
     * hits both alike. */
    for (size_t i = 0; rc == 0 && i < count; i++)
        if (cases[i].kernel != VGB_MEMCPY &&
            vgb_case_selected(&cases[i], o->only))
            for (int m = 0; m < modes; m++)
                bench_case(b[m], &cases[i], impl[m], threads, o, sink,
                           sink_ctx);
    for (int m = 0; rc == 0 && m < modes; m++)
        report_round_trip(b[m], impl[m], o);
    for (int m = 0; m < MAX_MODES; m++) {
        vg_backend_close(&b[m]);
        vg_plugin_unload(&lp[m]);
    }
    return rc;
}

/*
 * worker_slots.c - the plugin calls, forwarded to a worker process.
 *
 * probe, check and open are asked directly; everything on a context goes
 * through `worker_slots`, a vg_plugin descriptor whose slots send the call
 * to the worker.  backend.c calls it exactly as it calls a plugin loaded in
 * this process, so its argument checks and messages stay the same.
 *
 * Host images cross through the shared memory: an upload copies the
 * caller's image into it, a download copies out of it (packed rows; the
 * worker's plugin reads and writes it in place).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/loaded_plugin.h"
#include "loader/worker.h"
#include "loader/worker_io.h"

/* The host's side of a context and of a frame in the worker. */
struct vg_plugin_ctx {
    vg_worker *worker; /* borrowed from the loaded plugin */
    uint64_t remote;
    char error[VG_TEXT_MAX * 4];
};

struct vg_plugin_frame {
    uint64_t remote;
    vg_frame_desc desc;
    /* Between frame_download_start and _wait: where the bytes go. */
    vg_image download_dst;
};

static uint64_t pixels_of(const vg_frame_desc *d)
{
    return (uint64_t)d->width * (uint64_t)d->height;
}

/* ---- probe, check, open -------------------------------------------------- */

static bool append(uint8_t **buf, size_t *used, size_t *cap, const void *data,
                   size_t size)
{
    if (*used + size > *cap) {
        size_t want = (*used + size) * 2;
        uint8_t *grown = realloc(*buf, want);
        if (!grown)
            return false;
        *buf = grown;
        *cap = want;
    }
    memcpy(*buf + *used, data, size);
    *used += size;
    return true;
}

int vg_worker_probe(vg_worker *w, const vg_option_value *options,
                    uint32_t option_count, vg_probe_result *out, char *reason,
                    size_t reason_size)
{
    uint8_t *buf = NULL;
    size_t used = 0, cap = 0;
    bool ok = append(&buf, &used, &cap, &option_count, sizeof option_count);
    for (uint32_t i = 0; ok && i < option_count; i++) {
        uint32_t len = (uint32_t)strlen(options[i].string);
        ok = append(&buf, &used, &cap, &options[i].integer,
                    sizeof options[i].integer) &&
             append(&buf, &used, &cap, &len, sizeof len) &&
             append(&buf, &used, &cap, options[i].string, len);
    }
    if (!ok) {
        free(buf);
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    vg_worker_request req = {.op = VG_WORKER_OP_PROBE,
                             .payload_size = (uint32_t)used};
    vg_worker_reply reply;
    memset(out, 0, sizeof *out);
    int rc = vg_worker_call(w, &req, buf, &reply, out, sizeof *out, 0);
    free(buf);
    if (rc != 0) {
        snprintf(reason, reason_size, "%s", reply.message);
        return rc;
    }
    if (reply.code == 0 && reply.payload_size != sizeof *out) {
        snprintf(reason, reason_size, "the worker sent no probe result");
        return VG_ERR_PLUGIN;
    }
    vg_probe_result_sanitize(out);
    /* The probe's own reason, whole (probe_with_reason) or from its field;
     * on success it is the reason a backend without devices shows. */
    if (reply.code != 0)
        snprintf(reason, reason_size, "probe failed: %s",
                 reply.message[0] ? reply.message : vg_strerror(reply.code));
    else
        snprintf(reason, reason_size, "%s", reply.message);
    return reply.code;
}

int vg_worker_check(vg_worker *w, uint32_t device, const vg_job_limits *limits,
                    char *reason, size_t reason_size)
{
    vg_worker_request req = {
        .op = VG_WORKER_OP_CHECK, .device = device, .limits = *limits};
    vg_worker_reply reply;
    int rc = vg_worker_call(w, &req, NULL, &reply, NULL, 0, 0);
    snprintf(reason, reason_size, "%s", reply.message);
    return rc != 0 ? rc : reply.code;
}

static const vg_plugin worker_slots, worker_slots_async;

int vg_worker_open(vg_worker *w, uint32_t device, const vg_job_limits *limits,
                   bool async_download, const vg_plugin **slots_out,
                   vg_plugin_ctx **ctx_out, char *reason, size_t reason_size)
{
    *ctx_out = NULL;
    *slots_out = async_download ? &worker_slots_async : &worker_slots;
    vg_plugin_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    vg_worker_request req = {
        .op = VG_WORKER_OP_OPEN, .device = device, .limits = *limits};
    vg_worker_reply reply;
    int rc = vg_worker_call(w, &req, NULL, &reply, NULL, 0, 0);
    if (rc == 0 && reply.code == 0 && reply.handle == 0) {
        snprintf(reply.message, sizeof reply.message,
                 "open returned success but no context");
        reply.code = VG_ERR_PLUGIN;
    }
    if (rc == 0)
        rc = reply.code;
    if (rc != 0) {
        snprintf(reason, reason_size, "%s", reply.message);
        free(ctx);
        return rc;
    }
    ctx->worker = w;
    ctx->remote = reply.handle;
    *ctx_out = ctx;
    return 0;
}

/* ---- the forwarding slots ------------------------------------------------ */

/* Send `req` on ctx; a slot's failure or the worker's death lands in
 * ctx->error. */
static int forward(vg_plugin_ctx *ctx, vg_worker_request *req, uint64_t pixels,
                   uint64_t *handle)
{
    req->ctx = ctx->remote;
    vg_worker_reply reply;
    int rc = vg_worker_call(ctx->worker, req, NULL, &reply, NULL, 0, pixels);
    if (rc == 0)
        rc = reply.code;
    if (rc != 0)
        snprintf(ctx->error, sizeof ctx->error, "%s", reply.message);
    else if (handle)
        *handle = reply.handle;
    return rc;
}

static void slot_close(vg_plugin_ctx *ctx)
{
    if (!ctx)
        return;
    /* A dead worker took its context with it. */
    if (vg_worker_alive(ctx->worker)) {
        vg_worker_request req = {.op = VG_WORKER_OP_CLOSE};
        forward(ctx, &req, 0, NULL);
    }
    free(ctx);
}

static const char *slot_last_error(const vg_plugin_ctx *ctx)
{
    return ctx->error;
}

static int slot_frame_alloc(vg_plugin_ctx *ctx, const vg_frame_desc *desc,
                            vg_plugin_frame **out)
{
    *out = NULL;
    vg_plugin_frame *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(ctx->error, sizeof ctx->error, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    vg_worker_request req = {.op = VG_WORKER_OP_FRAME_ALLOC, .desc = *desc};
    int rc = forward(ctx, &req, pixels_of(desc), &f->remote);
    if (rc == 0 && f->remote == 0) {
        snprintf(ctx->error, sizeof ctx->error,
                 "frame_alloc returned success but no frame");
        rc = VG_ERR_PLUGIN;
    }
    if (rc != 0) {
        free(f);
        return rc;
    }
    f->desc = *desc;
    *out = f;
    return 0;
}

static void slot_frame_free(vg_plugin_ctx *ctx, vg_plugin_frame *frame)
{
    if (!frame)
        return;
    if (vg_worker_alive(ctx->worker)) {
        vg_worker_request req = {.op = VG_WORKER_OP_FRAME_FREE,
                                 .frame = {frame->remote}};
        forward(ctx, &req, pixels_of(&frame->desc), NULL);
    }
    free(frame);
}

/* Copy rows between an image and its packed layout in shared memory. */
static void copy_planes(const vg_image *image, uint8_t *shm,
                        const vg_worker_image *layout, bool to_shm)
{
    int planes = image->format == VG_FORMAT_I420 ? 3 : 1;
    for (int p = 0; p < planes; p++) {
        int32_t rows = p == 0 ? image->height : (image->height + 1) / 2;
        size_t row = (size_t)layout->stride[p];
        for (int32_t y = 0; y < rows; y++) {
            uint8_t *packed = shm + layout->offset[p] + (size_t)y * row;
            uint8_t *strided = image->data[p] + (size_t)y * image->stride[p];
            if (to_shm)
                memcpy(packed, strided, row);
            else
                memcpy(strided, packed, row);
        }
    }
}

/* The shared memory laid out for an image of `frame`'s size. */
static uint8_t *shm_for(vg_plugin_ctx *ctx, const vg_plugin_frame *frame,
                        vg_worker_request *req)
{
    uint64_t size = vg_worker_image_layout(
        frame->desc.format, frame->desc.width, frame->desc.height, &req->image);
    uint8_t *shm = vg_worker_shm(ctx->worker, size);
    if (!shm)
        snprintf(ctx->error, sizeof ctx->error,
                 "cannot grow the shared memory to %llu bytes",
                 (unsigned long long)size);
    return shm;
}

static int slot_frame_upload(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                             const vg_image *src)
{
    vg_worker_request req = {.op = VG_WORKER_OP_UPLOAD, .frame = {dst->remote}};
    uint8_t *shm = shm_for(ctx, dst, &req);
    if (!shm)
        return VG_ERR_NO_MEMORY;
    copy_planes(src, shm, &req.image, true);
    return forward(ctx, &req, pixels_of(&dst->desc), NULL);
}

static int slot_frame_download(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                               const vg_image *dst)
{
    vg_worker_request req = {.op = VG_WORKER_OP_DOWNLOAD,
                             .frame = {0, src->remote}};
    uint8_t *shm = shm_for(ctx, src, &req);
    if (!shm)
        return VG_ERR_NO_MEMORY;
    int rc = forward(ctx, &req, pixels_of(&src->desc), NULL);
    if (rc == 0)
        copy_planes(dst, shm, &req.image, false);
    return rc;
}

/* ABI version 3's pair: the worker starts the plugin's download into a
 * buffer of its own and replies at once, so the copy overlaps the kernels
 * asked for next; the wait brings the bytes through the shared memory.
 * The core keeps `dst` alive and untouched until the wait, and the frame
 * is ours (allocated by slot_frame_alloc), so it may hold the view. */
static int slot_frame_download_start(vg_plugin_ctx *ctx,
                                     const vg_plugin_frame *src,
                                     const vg_image *dst)
{
    vg_worker_request req = {.op = VG_WORKER_OP_DOWNLOAD_START,
                             .frame = {0, src->remote}};
    vg_worker_image_layout(src->desc.format, src->desc.width, src->desc.height,
                           &req.image);
    int rc = forward(ctx, &req, pixels_of(&src->desc), NULL);
    if (rc == 0)
        ((vg_plugin_frame *)src)->download_dst = *dst;
    return rc;
}

static int slot_frame_download_wait(vg_plugin_ctx *ctx,
                                    const vg_plugin_frame *src)
{
    vg_worker_request req = {.op = VG_WORKER_OP_DOWNLOAD_WAIT,
                             .frame = {0, src->remote}};
    uint8_t *shm = shm_for(ctx, src, &req);
    if (!shm)
        return VG_ERR_NO_MEMORY;
    int rc = forward(ctx, &req, pixels_of(&src->desc), NULL);
    if (rc == 0)
        copy_planes(&src->download_dst, shm, &req.image, false);
    return rc;
}

static int slot_fill_pattern(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                             const vg_pattern_params *params)
{
    vg_worker_request req = {.op = VG_WORKER_OP_FILL_PATTERN,
                             .frame = {dst->remote},
                             .params.pattern = *params};
    return forward(ctx, &req, pixels_of(&dst->desc), NULL);
}

static int slot_warp_affine(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                            const vg_plugin_frame *src,
                            const vg_warp_params *params)
{
    vg_worker_request req = {.op = VG_WORKER_OP_WARP_AFFINE,
                             .frame = {dst->remote, src->remote},
                             .params.warp = *params};
    return forward(ctx, &req, pixels_of(&dst->desc), NULL);
}

static int slot_blend(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                      const vg_plugin_frame *a, const vg_plugin_frame *b,
                      const vg_blend_params *params)
{
    vg_worker_request req = {.op = VG_WORKER_OP_BLEND,
                             .frame = {dst->remote, a->remote, b->remote},
                             .params.blend = *params};
    return forward(ctx, &req, pixels_of(&dst->desc), NULL);
}

static int slot_blur(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                     const vg_plugin_frame *src, const vg_blur_params *params)
{
    vg_worker_request req = {.op = VG_WORKER_OP_BLUR,
                             .frame = {dst->remote, src->remote},
                             .params.blur = *params};
    return forward(ctx, &req, pixels_of(&dst->desc), NULL);
}

/* The two colour conversions differ only in their direction, `op`. */
static int forward_color(vg_plugin_ctx *ctx, vg_worker_op op,
                         vg_plugin_frame *dst, const vg_plugin_frame *src,
                         const vg_color_params *params)
{
    vg_worker_request req = {
        .op = op, .frame = {dst->remote, src->remote}, .params.color = *params};
    return forward(ctx, &req, pixels_of(&dst->desc), NULL);
}

static int slot_rgba_to_i420(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                             const vg_plugin_frame *src,
                             const vg_color_params *params)
{
    return forward_color(ctx, VG_WORKER_OP_RGBA_TO_I420, dst, src, params);
}

static int slot_i420_to_rgba(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                             const vg_plugin_frame *src,
                             const vg_color_params *params)
{
    return forward_color(ctx, VG_WORKER_OP_I420_TO_RGBA, dst, src, params);
}

static int slot_sync(vg_plugin_ctx *ctx)
{
    vg_worker_request req = {.op = VG_WORKER_OP_SYNC};
    return forward(ctx, &req, 0, NULL);
}

/* ABI 3's optional slot: the worker answers 0 when its plugin lacks it; a
 * dead worker has no cache entry to delete. */
static int slot_discard_cached_code(vg_plugin_ctx *ctx)
{
    if (!vg_worker_alive(ctx->worker))
        return 0;
    vg_worker_request req = {.op = VG_WORKER_OP_DISCARD_CACHED_CODE};
    uint64_t discarded = 0;
    return forward(ctx, &req, 0, &discarded) == 0 && discarded == 1 ? 1 : 0;
}

/* probe, check_device and open have no context to find the worker by:
 * the host asks them through vg_worker_probe, vg_worker_check and
 * vg_worker_open, and loader/plugin_isolation.c never calls these rows.
 * They fail cleanly rather than crash, should that ever change. */
static int slot_probe(const vg_option_value *options, vg_probe_result *out)
{
    (void)options;
    snprintf(out->reason, sizeof out->reason,
             "an isolated plugin is probed through its worker");
    return VG_ERR_UNSUPPORTED;
}

static int slot_check_device(const vg_option_value *options, uint32_t device,
                             const vg_job_limits *limits, char *reason,
                             size_t reason_size)
{
    (void)options;
    (void)device;
    (void)limits;
    snprintf(reason, reason_size,
             "an isolated plugin is checked through its worker");
    return VG_ERR_UNSUPPORTED;
}

static int slot_open(const vg_option_value *options, uint32_t device,
                     const vg_job_limits *limits, vg_plugin_ctx **out,
                     char *reason, size_t reason_size)
{
    (void)options;
    (void)device;
    (void)limits;
    *out = NULL;
    snprintf(reason, reason_size,
             "an isolated plugin is opened through its worker");
    return VG_ERR_UNSUPPORTED;
}

/* Name, kind, options and which optional slots exist come from the
 * plugin's own descriptor; backend.c calls the context and frame rows of
 * this one. */
static const vg_plugin worker_slots = {
    .abi_version = VG_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(vg_plugin),
    .name = "worker",
    VG_PLUGIN_SLOT_INITIALIZERS(slot_)
    /* OPTIONAL slots on a context */
    VG_PLUGIN_SLOT_INITIALIZER(slot_, discard_cached_code)};
/* The same, for a plugin with the asynchronous download pair. */
static const vg_plugin worker_slots_async = {
    .abi_version = VG_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(vg_plugin),
    .name = "worker",
    VG_PLUGIN_SLOT_INITIALIZERS(slot_)
        VG_PLUGIN_ASYNC_DOWNLOAD_INITIALIZERS(slot_)
            VG_PLUGIN_SLOT_INITIALIZER(slot_, discard_cached_code)};

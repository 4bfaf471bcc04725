/*
 * worker_slots.c - the plugin calls, forwarded to a worker process.
 *
 * probe, check and open are asked directly; everything on a context goes
 * through the worker's forwarding descriptor, a vg_plugin whose slots send
 * the call to the worker.  backend.c calls it exactly as it calls a plugin
 * loaded in this process, so its argument checks and messages stay the
 * same.  The kernels' slots, and those of every SLOT row of form
 * CONTEXT_CALL, are generated from VG_PLUGIN_SLOTS (vg/plugin.h); the
 * others are written out below (loader/worker_protocol.h says which).
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

static const vg_plugin *claim_slots(vg_plugin *slots, const vg_plugin *plugin);

int vg_worker_open(vg_worker *w, const vg_plugin *plugin, uint32_t device,
                   const vg_job_limits *limits, const vg_plugin **slots_out,
                   vg_plugin_ctx **ctx_out, char *reason, size_t reason_size)
{
    *ctx_out = NULL;
    *slots_out = claim_slots(vg_worker_slots(w), plugin);
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

/* DOWNLOAD or DOWNLOAD_WAIT: the worker leaves src's bytes in the shared
 * memory, and they are copied out into dst. */
static int download_through_shm(vg_plugin_ctx *ctx, vg_worker_op op,
                                const vg_plugin_frame *src, const vg_image *dst)
{
    vg_worker_request req = {.op = op, .frame = {0, src->remote}};
    uint8_t *shm = shm_for(ctx, src, &req);
    if (!shm)
        return VG_ERR_NO_MEMORY;
    int rc = forward(ctx, &req, pixels_of(&src->desc), NULL);
    if (rc == 0)
        copy_planes(dst, shm, &req.image, false);
    return rc;
}

static int slot_frame_download(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                               const vg_image *dst)
{
    return download_through_shm(ctx, VG_WORKER_OP_DOWNLOAD, src, dst);
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
    return download_through_shm(ctx, VG_WORKER_OP_DOWNLOAD_WAIT, src,
                                &src->download_dst);
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

/* probe (and probe_with_reason), check_device and open have no context to
 * find the worker by: the host asks them through vg_worker_probe,
 * vg_worker_check and vg_worker_open, and loader/plugin_isolation.c never
 * calls these rows.  They fail cleanly rather than crash, should that ever
 * change. */
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

static int slot_probe_with_reason(const vg_option_value *options,
                                  vg_probe_result *out, char *reason,
                                  size_t reason_size)
{
    (void)options;
    (void)out;
    snprintf(reason, reason_size,
             "an isolated plugin is probed through its worker");
    return VG_ERR_UNSUPPORTED;
}

/* ---- the generated forwarding slots -------------------------------------- */

/* slot_<slot> for every SLOT row of form CONTEXT_CALL
 * (loader/worker_protocol.h): the context is all the call carries. */
#define FORWARD_SLOT_(x, name, presence, since, ret, params, args)             \
    VG_WORKER_SLOT_##name(FORWARD_BY_FORM_)
#define FORWARD_BY_FORM_(slot, op_id, text, deadline, form)                    \
    FORWARD_##form(slot, op_id)
#define FORWARD_BY_HAND(slot, op_id)
#define FORWARD_CONTEXT_CALL(slot, op_id)                                      \
    static int slot_##slot(vg_plugin_ctx *ctx)                                 \
    {                                                                          \
        vg_worker_request req = {.op = VG_WORKER_OP_##op_id};                  \
        return forward(ctx, &req, 0, NULL);                                    \
    }

/* slot_<kernel> for every KERNEL row: the worker's handles of the
 * destination and the sources (frame[0], then frame[1] and frame[2] by
 * shape) and the parameters, under a deadline that grows with the
 * destination's pixels. */
#define FORWARD_SOURCES_SRC0
#define FORWARD_SOURCES_SRC1 , src->remote
#define FORWARD_SOURCES_SRC2 , a->remote, b->remote
#define FORWARD_KERNEL_(x, name, presence, since, ptype, shape, dst_format,    \
                        src_format, size_rule)                                 \
    static int slot_##name VG_KERNEL_PARAMS_##shape(ptype)                     \
    {                                                                          \
        vg_worker_request req = {                                              \
            .op = VG_WORKER_OP_KERNEL_##name,                                  \
            .frame = {dst->remote FORWARD_SOURCES_##shape},                    \
            .params.name = *params};                                           \
        return forward(ctx, &req, pixels_of(&dst->desc), NULL);                \
    }

VG_PLUGIN_SLOTS(FORWARD_SLOT_, FORWARD_KERNEL_, )

/* ---- the forwarding descriptor ------------------------------------------- */

/* Every row of VG_PLUGIN_SLOTS, set exactly when the plugin has it, so
 * backend.c sees the same optional slots in both modes.  A row without its
 * slot_<row> above does not compile. */
static const vg_plugin *claim_slots(vg_plugin *slots, const vg_plugin *plugin)
{
    *slots = (vg_plugin){.abi_version = VG_PLUGIN_ABI_VERSION,
                         .struct_size = sizeof(vg_plugin),
                         .name = "worker"};
#define CLAIM_SLOT_(x, name, ...)                                              \
    slots->name = VG_PLUGIN_HAS_SLOT(plugin, name) ? slot_##name : NULL;
    VG_PLUGIN_SLOTS(CLAIM_SLOT_, CLAIM_SLOT_, )
#undef CLAIM_SLOT_
    return slots;
}

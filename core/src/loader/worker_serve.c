/*
 * worker_serve.c - the worker side: run one backend plugin on behalf of the
 * libvg that started this process.
 *
 * The vg-worker executable (tools/vg-worker) is only vg_worker_main; libvg
 * starts it (never by hand) with the socket on fd 3 and the shared memory
 * on fd 4 (loader/worker_protocol.h).  Both ends of the protocol live in
 * this folder, so they are always built together.  It loads the
 * plugin, then serves one request at a time until the socket closes.  It
 * checks nothing: the host has validated every argument before it asks
 * (core/src/backend.c), and the host is the only peer.  Whatever goes wrong
 * here (a crash, a hang, an exit, output on stdout) is seen and explained
 * by the host.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "loader/worker_io.h"
#include "vg/image.h"
#include "vg/loader.h"
#include "vg/worker_main.h"

/* A download started by DOWNLOAD_START, until its DOWNLOAD_WAIT: the
 * plugin copies into `staging`, which belongs to the worker. */
typedef struct pending_download {
    const vg_plugin_ctx *ctx;
    const vg_plugin_frame *frame;
    vg_image staging;
} pending_download;

typedef struct worker {
    vg_loaded_plugin *plugin;
    const vg_plugin *desc;
    vg_option_value *options; /* from PROBE, for every CHECK and OPEN */
    uint32_t option_count;
    char *option_text; /* the values' strings, one block */
    uint8_t *shm;
    uint64_t shm_size;
    pending_download *pending;
    size_t pending_count, pending_cap;
} worker;

/* Map the shared memory at the size the host says it has now. */
static int map_shm(worker *w, uint64_t size)
{
    if (size == w->shm_size)
        return 0;
    if (w->shm)
        munmap(w->shm, w->shm_size);
    w->shm = NULL;
    w->shm_size = 0;
    if (size == 0)
        return 0;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   VG_WORKER_FD_SHM, 0);
    if (p == MAP_FAILED)
        return VG_ERR_NO_MEMORY;
    w->shm = p;
    w->shm_size = size;
    return 0;
}

static vg_image shm_image(const worker *w, const vg_worker_image *in)
{
    vg_image image = {.format = (vg_pixel_format)in->format,
                      .width = in->width,
                      .height = in->height};
    int planes = in->format == VG_FORMAT_I420 ? 3 : 1;
    for (int p = 0; p < planes; p++) {
        image.data[p] = w->shm + in->offset[p];
        image.stride[p] = in->stride[p];
    }
    return image;
}

/* Copy every plane of src into dst (same format and size). */
static void copy_image(const vg_image *dst, const vg_image *src)
{
    int planes = src->format == VG_FORMAT_I420 ? 3 : 1;
    for (int p = 0; p < planes; p++) {
        int32_t rows = p == 0 ? src->height : (src->height + 1) / 2;
        size_t row = src->format == VG_FORMAT_RGBA8 ? (size_t)src->width * 4
                     : p == 0                       ? (size_t)src->width
                              : (size_t)(src->width + 1) / 2;
        for (int32_t y = 0; y < rows; y++)
            memcpy(dst->data[p] + (size_t)y * (size_t)dst->stride[p],
                   src->data[p] + (size_t)y * (size_t)src->stride[p], row);
    }
}

/* Forget pending download i (its staging freed). */
static void drop_pending(worker *w, size_t i)
{
    vg_image_free(&w->pending[i].staging);
    w->pending[i] = w->pending[--w->pending_count];
}

/* Forget the pending downloads of `frame`, or of every frame of `ctx`. */
static void drop_pending_of(worker *w, const vg_plugin_ctx *ctx,
                            const vg_plugin_frame *frame)
{
    for (size_t i = w->pending_count; i-- > 0;)
        if (frame ? w->pending[i].frame == frame : w->pending[i].ctx == ctx)
            drop_pending(w, i);
}

static int download_start(worker *w, const vg_worker_request *req)
{
    vg_plugin_ctx *ctx = (vg_plugin_ctx *)(uintptr_t)req->ctx;
    const vg_plugin_frame *frame =
        (const vg_plugin_frame *)(uintptr_t)req->frame[1];
    if (w->pending_count == w->pending_cap) {
        size_t cap = w->pending_cap ? 2 * w->pending_cap : 4;
        pending_download *grown = realloc(w->pending, cap * sizeof *grown);
        if (!grown)
            return VG_ERR_NO_MEMORY;
        w->pending = grown;
        w->pending_cap = cap;
    }
    pending_download *d = &w->pending[w->pending_count];
    *d = (pending_download){.ctx = ctx, .frame = frame};
    int rc = vg_image_alloc((vg_pixel_format)req->image.format,
                            req->image.width, req->image.height, &d->staging);
    if (rc != 0)
        return rc;
    w->pending_count++;
    rc = w->desc->frame_download_start(ctx, frame, &d->staging);
    if (rc != 0)
        drop_pending(w, w->pending_count - 1);
    return rc;
}

static int download_wait(worker *w, const vg_worker_request *req)
{
    vg_plugin_ctx *ctx = (vg_plugin_ctx *)(uintptr_t)req->ctx;
    const vg_plugin_frame *frame =
        (const vg_plugin_frame *)(uintptr_t)req->frame[1];
    size_t i = 0;
    while (i < w->pending_count && w->pending[i].frame != frame)
        i++;
    if (i == w->pending_count)
        return VG_ERR_INVALID_ARGUMENT;
    int rc = w->desc->frame_download_wait(ctx, frame);
    if (rc == 0) {
        vg_image image = shm_image(w, &req->image);
        copy_image(&image, &w->pending[i].staging);
    }
    drop_pending(w, i);
    return rc;
}

/* PROBE's payload: the option values the host validated. */
static int read_options(worker *w, const uint8_t *p, size_t size)
{
    uint32_t count;
    if (size < sizeof count)
        return VG_ERR_INVALID_ARGUMENT;
    memcpy(&count, p, sizeof count);
    if (count != w->desc->option_count)
        return VG_ERR_INVALID_ARGUMENT;
    w->options = calloc(count ? count : 1, sizeof *w->options);
    w->option_text = malloc(size); /* every string fits in the payload */
    if (!w->options || !w->option_text)
        return VG_ERR_NO_MEMORY;
    w->option_count = count;
    size_t at = sizeof count, text_at = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len;
        if (size - at < sizeof(int64_t) + sizeof len)
            return VG_ERR_INVALID_ARGUMENT;
        memcpy(&w->options[i].integer, p + at, sizeof(int64_t));
        memcpy(&len, p + at + sizeof(int64_t), sizeof len);
        at += sizeof(int64_t) + sizeof len;
        if (size - at < len)
            return VG_ERR_INVALID_ARGUMENT;
        memcpy(w->option_text + text_at, p + at, len);
        w->option_text[text_at + len] = '\0';
        w->options[i].string = w->option_text + text_at;
        text_at += len + 1;
        at += len;
    }
    return 0;
}

static void slot_error(const worker *w, uint64_t ctx, vg_worker_reply *reply)
{
    const char *text = w->desc->last_error((vg_plugin_ctx *)(uintptr_t)ctx);
    snprintf(reply->message, sizeof reply->message, "%s", text ? text : "");
}

#define CTX(r) ((vg_plugin_ctx *)(uintptr_t)(r)->ctx)
#define FRAME(r, i) ((vg_plugin_frame *)(uintptr_t)(r)->frame[i])

/* The generated cases of serve()'s switch.  A SLOT row of form
 * CONTEXT_CALL (loader/worker_protocol.h) is called with the context; a
 * KERNEL row with the destination and its sources by shape (frame[1], then
 * frame[2]) and its member of the parameter union.  A slot the plugin lacks
 * answers VG_ERR_UNSUPPORTED (the host does not ask for one: its forwarding
 * descriptor has the plugin's slots only). */
#define SERVE_SLOT_(x, name, presence, since, ret, params, args)               \
    VG_WORKER_SLOT_##name(SERVE_BY_FORM_)
#define SERVE_BY_FORM_(slot, op, text, deadline, form) SERVE_##form(slot, op)
#define SERVE_BY_HAND(slot, op)
#define SERVE_CONTEXT_CALL(slot, op)                                           \
    case VG_WORKER_OP_##op:                                                    \
        rc = VG_PLUGIN_HAS_SLOT(d, slot) ? d->slot(CTX(req))                   \
                                         : VG_ERR_UNSUPPORTED;                 \
        break;
#define SERVE_SOURCES_SRC0(r)
#define SERVE_SOURCES_SRC1(r) , FRAME(r, 1)
#define SERVE_SOURCES_SRC2(r) , FRAME(r, 1), FRAME(r, 2)
#define SERVE_KERNEL_(x, name, presence, since, ptype, shape, dst_format,      \
                      src_format, size_rule)                                   \
    case VG_WORKER_OP_KERNEL_##name:                                           \
        rc = VG_PLUGIN_HAS_SLOT(d, name)                                       \
                 ? d->name(CTX(req), FRAME(req, 0) SERVE_SOURCES_##shape(req), \
                           &req->params.name)                                  \
                 : VG_ERR_UNSUPPORTED;                                         \
        break;

/* One request: call the slot, fill the reply.  `payload` is the request's
 * payload; `out` receives the reply's. */
static void serve(worker *w, const vg_worker_request *req,
                  const uint8_t *payload, vg_worker_reply *reply,
                  vg_probe_result *probe, uint32_t *out_size)
{
    const vg_plugin *d = w->desc;
    int rc = 0;
    bool kernel = true;
    switch ((vg_worker_op)req->op) {
    case VG_WORKER_OP_LOAD:
    case VG_WORKER_OP_COUNT:
        rc = VG_ERR_INVALID_ARGUMENT;
        kernel = false;
        break;
    case VG_WORKER_OP_PROBE:
        kernel = false;
        rc = read_options(w, payload, req->payload_size);
        if (rc != 0) {
            snprintf(reply->message, sizeof reply->message,
                     "the worker could not read the option values");
            break;
        }
        memset(probe, 0, sizeof *probe);
        /* ABI 2: the whole reason, longer than the fixed field. */
        if (VG_PLUGIN_HAS_SLOT(d, probe_with_reason))
            rc = d->probe_with_reason(w->options, probe, reply->message,
                                      sizeof reply->message);
        else
            rc = d->probe(w->options, probe);
        reply->message[sizeof reply->message - 1] = '\0';
        probe->reason[sizeof probe->reason - 1] = '\0';
        if (!reply->message[0])
            snprintf(reply->message, sizeof reply->message, "%s",
                     probe->reason);
        *out_size = sizeof *probe;
        break;
    case VG_WORKER_OP_CHECK:
        kernel = false;
        rc = d->check_device(w->options, req->device, &req->limits,
                             reply->message, sizeof reply->message);
        break;
    case VG_WORKER_OP_OPEN: {
        kernel = false;
        vg_plugin_ctx *ctx = NULL;
        rc = d->open(w->options, req->device, &req->limits, &ctx,
                     reply->message, sizeof reply->message);
        reply->handle = (uint64_t)(uintptr_t)ctx;
        break;
    }
    case VG_WORKER_OP_CLOSE:
        kernel = false;
        drop_pending_of(w, CTX(req), NULL);
        d->close(CTX(req));
        break;
    case VG_WORKER_OP_FRAME_ALLOC: {
        vg_plugin_frame *frame = NULL;
        rc = d->frame_alloc(CTX(req), &req->desc, &frame);
        reply->handle = (uint64_t)(uintptr_t)frame;
        break;
    }
    case VG_WORKER_OP_FRAME_FREE:
        d->frame_free(CTX(req), FRAME(req, 0));
        drop_pending_of(w, CTX(req), FRAME(req, 0));
        break;
    case VG_WORKER_OP_UPLOAD: {
        vg_image image = shm_image(w, &req->image);
        rc = d->frame_upload(CTX(req), FRAME(req, 0), &image);
        break;
    }
    case VG_WORKER_OP_DOWNLOAD: {
        vg_image image = shm_image(w, &req->image);
        rc = d->frame_download(CTX(req), FRAME(req, 1), &image);
        break;
    }
    case VG_WORKER_OP_DOWNLOAD_START:
        rc = d->frame_download_start ? download_start(w, req)
                                     : VG_ERR_UNSUPPORTED;
        break;
    case VG_WORKER_OP_DOWNLOAD_WAIT:
        rc =
            d->frame_download_wait ? download_wait(w, req) : VG_ERR_UNSUPPORTED;
        break;
        /* Every KERNEL row and every SLOT row of form CONTEXT_CALL. */
        VG_PLUGIN_SLOTS(SERVE_SLOT_, SERVE_KERNEL_, )
    case VG_WORKER_OP_DISCARD_CACHED_CODE:
        /* ABI 3, optional: 1 when the context's cached code was deleted. */
        kernel = false;
        reply->handle = VG_PLUGIN_HAS_SLOT(d, discard_cached_code) &&
                        d->discard_cached_code(CTX(req)) > 0;
        break;
    }
    reply->code = rc;
    /* Slots on a context explain failures through last_error. */
    if (rc != 0 && kernel)
        slot_error(w, req->ctx, reply);
}

/* LOAD: the first request.  Loading validates the descriptor exactly as
 * the host would; the reply carries the descriptor's name. */
static bool load(worker *w, int fd)
{
    vg_worker_request req;
    vg_worker_reply reply = {0};
    if (!vg_worker_recv_all(fd, &req, sizeof req) ||
        req.op != VG_WORKER_OP_LOAD || req.payload_size == 0 ||
        req.payload_size > 65536)
        return false;
    char *path = malloc(req.payload_size);
    if (!path || !vg_worker_recv_all(fd, path, req.payload_size)) {
        free(path);
        return false;
    }
    path[req.payload_size - 1] = '\0';
    reply.code =
        vg_plugin_load(path, &w->plugin, reply.message, sizeof reply.message);
    free(path);
    if (reply.code == 0) {
        w->desc = vg_loaded_plugin_descriptor(w->plugin);
        snprintf(reply.message, sizeof reply.message, "%s", w->desc->name);
    }
    fflush(stdout);
    return vg_worker_send_all(fd, &reply, sizeof reply) && reply.code == 0;
}

int vg_worker_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    /* The host decides what an interrupt means; a terminal's Ctrl-C or a
     * hang-up reaches the whole process group, this worker included. */
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    const int fd = VG_WORKER_FD_SOCKET;
    vg_worker_hello hello = {.magic = VG_WORKER_MAGIC,
                             .version = VG_WORKER_PROTOCOL_VERSION};
    if (!vg_worker_send_all(fd, &hello, sizeof hello))
        return 1;
    static worker w;
    if (!load(&w, fd))
        return 1;
    static vg_probe_result probe;
    uint8_t *payload = NULL;
    size_t payload_cap = 0;
    for (;;) {
        vg_worker_request req;
        if (!vg_worker_recv_all(fd, &req, sizeof req))
            break; /* the host closed the socket: done */
        if (req.payload_size > payload_cap) {
            uint8_t *grown = realloc(payload, req.payload_size);
            if (!grown)
                return 1;
            payload = grown;
            payload_cap = req.payload_size;
        }
        if (req.payload_size &&
            !vg_worker_recv_all(fd, payload, req.payload_size))
            break;
        vg_worker_reply reply = {0};
        uint32_t out_size = 0;
        if (map_shm(&w, req.shm_size) != 0) {
            reply.code = VG_ERR_NO_MEMORY;
            snprintf(reply.message, sizeof reply.message,
                     "the worker cannot map %llu bytes of shared memory",
                     (unsigned long long)req.shm_size);
        } else {
            serve(&w, &req, payload, &reply, &probe, &out_size);
        }
        reply.payload_size = out_size;
        /* Anything a plugin printed reaches the host's pipe before the
         * reply does, so the host sees it with this very call. */
        fflush(stdout);
        if (!vg_worker_send_all(fd, &reply, sizeof reply) ||
            (out_size && !vg_worker_send_all(fd, &probe, out_size)))
            break;
    }
    free(payload);
    /* _exit: the plugin's atexit handlers and destructors are not ours to
     * run, and some GPU runtimes hang in them. */
    _exit(0);
}

/*
 * worker_protocol.h - the messages between libvg and a backend worker
 * (internal; both ends are in this folder: worker_client.c and
 * worker_slots.c in the host, worker_serve.c in the vg-worker process).
 *
 * A worker is one process running one plugin.  libvg starts it with fork +
 * exec of the vg-worker executable, so no runtime initialised in the host
 * (CUDA, an OpenCL ICD) is ever used in a forked copy.  The worker gets:
 *   fd 0  /dev/null           nothing can be read from the user's terminal
 *   fd 1  a pipe to the host  anything a plugin prints is caught, never mixed
 *                             into vgrun's output stream
 *   fd 3  a stream socket     requests and replies, strictly one at a time
 *   fd 4  a memfd             host images (uploads, downloads), so pixel data
 *                             never travels through the socket
 *
 * Every exchange is one request (a fixed vg_worker_request, then
 * `payload_size` bytes) and one reply (a fixed vg_worker_reply, then
 * `payload_size` bytes).  Both sides run the same build, so the structs are
 * sent as they are in memory.  Handles (contexts, frames) are the worker's
 * own pointers, opaque to the host.
 */
#ifndef VG_WORKER_PROTOCOL_H
#define VG_WORKER_PROTOCOL_H

#include <stdint.h>

#include "vg/plugin.h"

#define VG_WORKER_FD_SOCKET 3
#define VG_WORKER_FD_SHM 4

/* Bumped whenever a struct below changes: a worker from another build
 * refuses to run rather than misread a message. */
#define VG_WORKER_PROTOCOL_VERSION 1u

/*
 * How each SLOT row of VG_PLUGIN_SLOTS (vg/plugin.h) reaches the worker.
 * VG_WORKER_SLOT_<slot>(X) expands
 *     X(slot, op, call name as it appears in reasons, deadline class, form)
 * for a row the host asks the worker as its own op, and nothing for a row
 * that needs no op of its own (last_error is answered by the host;
 * probe_with_reason is what the worker calls for PROBE).  form is
 *     BY_HAND       the host's forwarding slot (worker_slots.c) and the
 *                   worker's case (worker_serve.c) are written out, because
 *                   the call carries more than a context (options, images,
 *                   handles, payloads);
 *     CONTEXT_CALL  int slot(vg_plugin_ctx *ctx), failures explained by
 *                   last_error: both ends are generated.
 * KERNEL rows need no line: their op (VG_WORKER_OP_KERNEL_<kernel>), their
 * parameters (a member of vg_worker_request's union, named after the
 * kernel), their forwarding slot and their dispatch are all generated from
 * the row, by shape.
 *
 * A SLOT row appended to VG_PLUGIN_SLOTS without a line here does not
 * compile (VG_WORKER_SLOT_<slot> is undefined where the op table expands
 * it), nor does one without a forwarding slot_<slot> in worker_slots.c
 * (the forwarding descriptor is generated from every row), and a BY_HAND
 * op without its case in worker_serve.c's switch is a -Wswitch error.
 */
#define VG_WORKER_SLOT_probe(X) X(probe, PROBE, "probe", CONTROL, BY_HAND)
#define VG_WORKER_SLOT_check_device(X)                                         \
    X(check_device, CHECK, "capability check", CONTROL, BY_HAND)
#define VG_WORKER_SLOT_open(X) X(open, OPEN, "open", OPEN, BY_HAND)
#define VG_WORKER_SLOT_close(X) X(close, CLOSE, "close", CONTROL, BY_HAND)
#define VG_WORKER_SLOT_last_error(X)
#define VG_WORKER_SLOT_frame_alloc(X)                                          \
    X(frame_alloc, FRAME_ALLOC, "frame_alloc", FRAME, BY_HAND)
#define VG_WORKER_SLOT_frame_free(X)                                           \
    X(frame_free, FRAME_FREE, "frame_free", FRAME, BY_HAND)
#define VG_WORKER_SLOT_frame_upload(X)                                         \
    X(frame_upload, UPLOAD, "frame_upload", KERNEL, BY_HAND)
#define VG_WORKER_SLOT_frame_download(X)                                       \
    X(frame_download, DOWNLOAD, "frame_download", KERNEL, BY_HAND)
#define VG_WORKER_SLOT_sync(X) X(sync, SYNC, "sync", KERNEL, CONTEXT_CALL)
#define VG_WORKER_SLOT_probe_with_reason(X)
#define VG_WORKER_SLOT_frame_download_start(X)                                 \
    X(frame_download_start, DOWNLOAD_START, "frame_download_start", KERNEL,    \
      BY_HAND)
#define VG_WORKER_SLOT_frame_download_wait(X)                                  \
    X(frame_download_wait, DOWNLOAD_WAIT, "frame_download_wait", KERNEL,       \
      BY_HAND)
#define VG_WORKER_SLOT_discard_cached_code(X)                                  \
    X(discard_cached_code, DISCARD_CACHED_CODE, "discard_cached_code",         \
      CONTROL, BY_HAND)

/* The one list of what a worker can be asked, X(slot, op, name, deadline
 * class, form) as above: LOAD (the host's first request, before any slot),
 * then one op per row of VG_PLUGIN_SLOTS that has one, in table order.  The
 * host's deadlines and messages and the worker's dispatch all come from
 * it. */
#define VG_WORKER_OP_TABLE(X)                                                  \
    X(load, LOAD, "load", CONTROL, BY_HAND)                                    \
    VG_PLUGIN_SLOTS(VG_WORKER_OP_OF_SLOT_, VG_WORKER_OP_OF_KERNEL_, X)
#define VG_WORKER_OP_OF_SLOT_(X, name, presence, since, ret, params, args)     \
    VG_WORKER_SLOT_##name(X)
#define VG_WORKER_OP_OF_KERNEL_(X, name, presence, since, ptype, shape,        \
                                dst_format, src_format, size_rule)             \
    X(name, KERNEL_##name, #name, KERNEL, KERNEL_CALL)

/* A compile error in this enum that names VG_WORKER_SLOT_<slot>: a SLOT row
 * of VG_PLUGIN_SLOTS has no line above. */
typedef enum vg_worker_op {
#define VG_WORKER_OP_ENUM_(slot, op, name, deadline, form) VG_WORKER_OP_##op,
    VG_WORKER_OP_TABLE(VG_WORKER_OP_ENUM_)
#undef VG_WORKER_OP_ENUM_
        VG_WORKER_OP_COUNT
} vg_worker_op;

/* A host image inside the shared memory: plane p starts at offset[p]. */
typedef struct vg_worker_image {
    uint32_t format; /* vg_pixel_format */
    int32_t width, height;
    uint64_t offset[3];
    int32_t stride[3];
} vg_worker_image;

typedef struct vg_worker_request {
    uint32_t op;           /* vg_worker_op */
    uint32_t payload_size; /* bytes after this struct */
    uint64_t shm_size;     /* the memfd's size: the worker maps this much */
    uint64_t ctx;          /* context handle (after OPEN) */
    uint64_t frame[3];     /* destination, source (or a), b */
    uint32_t device;       /* CHECK, OPEN */
    vg_job_limits limits;  /* CHECK, OPEN */
    vg_frame_desc desc;    /* FRAME_ALLOC */
    vg_worker_image image; /* UPLOAD, DOWNLOAD, DOWNLOAD_START and _WAIT */
    /* A kernel's parameters: one member per KERNEL row, named after it. */
    union {
#define VG_WORKER_PARAMS_MEMBER_(x, name, presence, since, ptype, shape,       \
                                 dst_format, src_format, size_rule)            \
    ptype name;
        VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VG_WORKER_PARAMS_MEMBER_, )
#undef VG_WORKER_PARAMS_MEMBER_
    } params;
} vg_worker_request;

typedef struct vg_worker_reply {
    int32_t code;          /* 0 or a negative vg_error */
    uint32_t payload_size; /* bytes after this struct */
    uint64_t handle;       /* OPEN: the context; FRAME_ALLOC: the frame */
    /* The slot's reason or last_error() text on failure ("" on success);
     * LOAD: the descriptor's name on success. */
    char message[VG_TEXT_MAX * 4];
} vg_worker_reply;

/* DOWNLOAD_START (ABI version 3's asynchronous download, asked only of a
 * plugin that has it): the worker starts the plugin's download of frame[1]
 * into a buffer of its own, of `image`'s format and size, and replies at
 * once; DOWNLOAD_WAIT waits for it and copies the bytes into `image` in the
 * shared memory.  The shared memory serves every call in between, so the
 * plugin never writes it asynchronously.
 *
 * LOAD payload: the plugin path (NUL-terminated).
 * PROBE payload: uint32 option count, then per option an int64 integer, a
 * uint32 length and that many bytes of text (no NUL); the worker keeps the
 * values for every later CHECK and OPEN.  PROBE reply payload: a
 * vg_probe_result. */

/* The first bytes a worker writes after starting, before any request: the
 * host knows the exec worked and the protocol matches. */
typedef struct vg_worker_hello {
    uint32_t magic; /* VG_WORKER_MAGIC */
    uint32_t version;
} vg_worker_hello;

#define VG_WORKER_MAGIC 0x76677772u /* "vgwr" */

#endif /* VG_WORKER_PROTOCOL_H */

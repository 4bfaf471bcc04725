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

/* X(op, call name as it appears in reasons, deadline class).  The one list
 * of what a worker can be asked: the host's deadlines and messages and the
 * worker's dispatch all come from it. */
#define VG_WORKER_OP_TABLE(X)                                                  \
    X(LOAD, "load", CONTROL)                                                   \
    X(PROBE, "probe", CONTROL)                                                 \
    X(CHECK, "capability check", CONTROL)                                      \
    X(OPEN, "open", OPEN)                                                      \
    X(CLOSE, "close", CONTROL)                                                 \
    X(FRAME_ALLOC, "frame_alloc", FRAME)                                       \
    X(FRAME_FREE, "frame_free", FRAME)                                         \
    X(UPLOAD, "frame_upload", KERNEL)                                          \
    X(DOWNLOAD, "frame_download", KERNEL)                                      \
    X(FILL_PATTERN, "fill_pattern", KERNEL)                                    \
    X(WARP_AFFINE, "warp_affine", KERNEL)                                      \
    X(BLEND, "blend", KERNEL)                                                  \
    X(BLUR, "blur", KERNEL)                                                    \
    X(RGBA_TO_I420, "rgba_to_i420", KERNEL)                                    \
    X(I420_TO_RGBA, "i420_to_rgba", KERNEL)                                    \
    X(SYNC, "sync", KERNEL)                                                    \
    X(DOWNLOAD_START, "frame_download_start", KERNEL)                          \
    X(DOWNLOAD_WAIT, "frame_download_wait", KERNEL)                            \
    X(DISCARD_CACHED_CODE, "discard_cached_code", CONTROL)

typedef enum vg_worker_op {
#define VG_WORKER_OP_ENUM_(op, name, deadline) VG_WORKER_OP_##op,
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
    union {
        vg_pattern_params pattern;
        vg_warp_params warp;
        vg_blend_params blend;
        vg_blur_params blur;
        vg_color_params color;
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

/*
 * backend.c - the validated wrappers around a plugin's context and kernels.
 *
 * Every call into a plugin slot goes through here: arguments are checked
 * first (so plugins can trust them), and failures get the backend's name and
 * the plugin's own last_error() added once.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/kernel_params.h"
#include "loader/loaded_plugin.h"
#include "vg/backend.h"

struct vg_backend_frame {
    vg_plugin_frame *handle;
    vg_frame_desc desc;
    /* Between vg_backend_download_start and _wait: nothing may write the
     * frame (the copy may still be reading it). */
    bool download_pending;
    vg_backend_frame *next; /* the owner's list, so close can free leftovers */
};

struct vg_backend {
    vg_loaded_plugin *plugin; /* borrowed */
    const vg_plugin *desc;    /* name, kind, which slots exist */
    /* the context and frame slots to call: desc itself, or the forwarding
     * slots of the plugin's worker process (loader/worker_slots.c) */
    const vg_plugin *slots;
    vg_plugin_ctx *ctx;
    bool async_download; /* slots has the ABI v3 download pair */
    uint32_t device;
    vg_backend_frame *frames;
    char error[1024];
};

static int fail(vg_backend *b, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record "name: message" as the backend's last error and return code. */
static int fail(vg_backend *b, int code, const char *fmt, ...)
{
    int used = snprintf(b->error, sizeof b->error, "%s: ", b->desc->name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->error + used, sizeof b->error - (size_t)used, fmt, ap);
    va_end(ap);
    return code;
}

/* A slot returned `code`: keep the plugin's explanation. */
static int slot_failed(vg_backend *b, const char *slot, int code)
{
    const char *detail = b->slots->last_error(b->ctx);
    /* The worker's death already names the file, the call and the signal
     * or status. */
    if (code == VG_ERR_CRASHED || code == VG_ERR_INTERRUPTED)
        return fail(b, code, "%s", detail);
    return fail(b, code < 0 ? code : VG_ERR_KERNEL, "%s failed: %s", slot,
                detail && *detail ? detail : vg_strerror(code));
}

int vg_check_frame_size(int32_t width, int32_t height, char *msg,
                        size_t msg_size)
{
    if (width < 1 || height < 1 || width > VG_MAX_DIMENSION ||
        height > VG_MAX_DIMENSION) {
        snprintf(msg, msg_size,
                 "frame size %dx%d is outside the supported range 1x1 to "
                 "%dx%d",
                 width, height, VG_MAX_DIMENSION, VG_MAX_DIMENSION);
        return VG_ERR_LIMIT;
    }
    return 0;
}

int vg_backend_open(vg_loaded_plugin *plugin, uint32_t device,
                    const vg_job_limits *limits, vg_backend **out, char *reason,
                    size_t reason_size)
{
    *out = NULL;
    int rc = vg_check_frame_size(limits->max_width, limits->max_height, reason,
                                 reason_size);
    if (rc != 0)
        return rc;
    vg_backend *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    b->plugin = plugin;
    b->desc = vg_loaded_plugin_descriptor(plugin);
    b->device = device;
    reason[0] = '\0';
    rc = vg_loaded_plugin_open(plugin, device, limits, &b->slots, &b->ctx,
                               reason, reason_size);
    if (rc == 0 && !b->ctx) {
        snprintf(reason, reason_size, "open returned success but no context");
        rc = VG_ERR_PLUGIN;
    }
    if (rc != 0) {
        if (!reason[0])
            snprintf(reason, reason_size, "%s", vg_strerror(rc));
        free(b);
        return rc;
    }
    /* From the slots it calls: for a plugin in a worker process, the
     * forwarding slots, which have the pair when the plugin has it. */
    b->async_download = VG_PLUGIN_HAS_SLOT(b->slots, frame_download_start);
    *out = b;
    return 0;
}

void vg_backend_close(vg_backend **backend)
{
    if (!backend || !*backend)
        return;
    vg_backend *b = *backend;
    while (b->frames) {
        vg_backend_frame *f = b->frames;
        vg_backend_frame_free(b, &f);
    }
    b->slots->close(b->ctx);
    free(b);
    *backend = NULL;
}

const char *vg_backend_name(const vg_backend *backend)
{
    return backend->desc->name;
}

vg_backend_kind vg_backend_kind_of(const vg_backend *backend)
{
    return (vg_backend_kind)backend->desc->kind;
}

uint32_t vg_backend_device(const vg_backend *backend)
{
    return backend->device;
}

const vg_loaded_plugin *vg_backend_plugin(const vg_backend *backend)
{
    return backend->plugin;
}

const char *vg_backend_last_error(const vg_backend *backend)
{
    return backend->error;
}

static const char *format_name(vg_pixel_format format)
{
    switch (format) {
    case VG_FORMAT_RGBA8:
        return "RGBA8";
    case VG_FORMAT_I420:
        return "I420";
    }
    return "unknown";
}

int vg_backend_frame_alloc(vg_backend *b, vg_pixel_format format, int32_t width,
                           int32_t height, vg_backend_frame **out)
{
    *out = NULL;
    if (format != VG_FORMAT_RGBA8 && format != VG_FORMAT_I420)
        return fail(b, VG_ERR_INVALID_ARGUMENT, "unknown pixel format %d",
                    (int)format);
    char msg[256];
    if (vg_check_frame_size(width, height, msg, sizeof msg) != 0)
        return fail(b, VG_ERR_LIMIT, "%s", msg);
    vg_backend_frame *f = calloc(1, sizeof *f);
    if (!f)
        return fail(b, VG_ERR_NO_MEMORY, "out of memory");
    f->desc =
        (vg_frame_desc){.format = format, .width = width, .height = height};
    int rc = b->slots->frame_alloc(b->ctx, &f->desc, &f->handle);
    if (rc == 0 && !f->handle)
        rc = VG_ERR_PLUGIN;
    if (rc != 0) {
        free(f);
        return slot_failed(b, "frame_alloc", rc);
    }
    f->next = b->frames;
    b->frames = f;
    *out = f;
    return 0;
}

void vg_backend_frame_free(vg_backend *b, vg_backend_frame **frame)
{
    if (!frame || !*frame)
        return;
    for (vg_backend_frame **link = &b->frames; *link; link = &(*link)->next) {
        if (*link == *frame) {
            *link = (*frame)->next;
            break;
        }
    }
    /* The plugin may still be copying out of it: finish first (its outcome
     * no longer matters to anyone). */
    if ((*frame)->download_pending && b->async_download)
        b->slots->frame_download_wait(b->ctx, (*frame)->handle);
    b->slots->frame_free(b->ctx, (*frame)->handle);
    free(*frame);
    *frame = NULL;
}

vg_frame_desc vg_backend_frame_desc(const vg_backend_frame *frame)
{
    return frame->desc;
}

static bool owns(const vg_backend *b, const vg_backend_frame *frame)
{
    for (const vg_backend_frame *f = b->frames; f; f = f->next)
        if (f == frame)
            return true;
    return false;
}

/* Check that `frame` belongs to b and has the format a kernel expects. */
static int check_frame(vg_backend *b, const char *what,
                       const vg_backend_frame *frame, vg_pixel_format format)
{
    if (!frame || !owns(b, frame))
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "%s is not a frame of this backend", what);
    if (frame->desc.format != format)
        return fail(b, VG_ERR_INVALID_ARGUMENT, "%s must be %s, not %s", what,
                    format_name(format), format_name(frame->desc.format));
    return 0;
}

/* What a write to a frame whose download is in flight is refused with,
 * after the frame's name. */
#define VG_DOWNLOAD_IN_FLIGHT                                                  \
    "has a download in flight: wait for it before writing the frame"

/* check_frame for a frame about to be written: also not while a download
 * may still be reading it. */
static int check_dest(vg_backend *b, const char *what,
                      const vg_backend_frame *frame, vg_pixel_format format)
{
    int rc = check_frame(b, what, frame, format);
    if (rc == 0 && frame->download_pending)
        return fail(b, VG_ERR_INVALID_ARGUMENT, "%s " VG_DOWNLOAD_IN_FLIGHT,
                    what);
    return rc;
}

/* Check a host image against a frame: same format and size, planes present,
 * strides at least one row. */
static int check_image(vg_backend *b, const vg_image *image,
                       const vg_backend_frame *frame)
{
    if (image->format != frame->desc.format ||
        image->width != frame->desc.width ||
        image->height != frame->desc.height)
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "image %s %dx%d does not match frame %s %dx%d",
                    format_name(image->format), image->width, image->height,
                    format_name(frame->desc.format), frame->desc.width,
                    frame->desc.height);
    int planes = image->format == VG_FORMAT_I420 ? 3 : 1;
    for (int p = 0; p < planes; p++) {
        int32_t row = image->format == VG_FORMAT_RGBA8 ? image->width * 4
                      : p == 0                         ? image->width
                                                       : (image->width + 1) / 2;
        if (!image->data[p] || image->stride[p] < row)
            return fail(b, VG_ERR_INVALID_ARGUMENT,
                        "image plane %d: missing data or stride %d < row size "
                        "%d",
                        p, image->stride[p], row);
    }
    return 0;
}

int vg_backend_upload(vg_backend *b, vg_backend_frame *dst, const vg_image *src)
{
    int rc =
        check_dest(b, "upload destination", dst, dst ? dst->desc.format : 0);
    if (rc == 0)
        rc = check_image(b, src, dst);
    if (rc == 0 && (rc = b->slots->frame_upload(b->ctx, dst->handle, src)) != 0)
        return slot_failed(b, "frame_upload", rc);
    return rc;
}

int vg_backend_download(vg_backend *b, const vg_backend_frame *src,
                        const vg_image *dst)
{
    int rc = check_frame(b, "download source", src, src ? src->desc.format : 0);
    if (rc == 0)
        rc = check_image(b, dst, src);
    if (rc == 0 &&
        (rc = b->slots->frame_download(b->ctx, src->handle, dst)) != 0)
        return slot_failed(b, "frame_download", rc);
    return rc;
}

int vg_backend_download_start(vg_backend *b, vg_backend_frame *src,
                              const vg_image *dst)
{
    int rc = check_frame(b, "download source", src, src ? src->desc.format : 0);
    if (rc == 0 && src->download_pending)
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "download source already has a download in flight");
    if (rc == 0)
        rc = check_image(b, dst, src);
    if (rc != 0)
        return rc;
    if (!b->async_download) {
        /* Complete now; the wait has nothing left to do. */
        if ((rc = b->slots->frame_download(b->ctx, src->handle, dst)) != 0)
            return slot_failed(b, "frame_download", rc);
    } else if ((rc = b->slots->frame_download_start(b->ctx, src->handle,
                                                    dst)) != 0) {
        return slot_failed(b, "frame_download_start", rc);
    }
    src->download_pending = true;
    return 0;
}

int vg_backend_download_wait(vg_backend *b, vg_backend_frame *src)
{
    int rc = check_frame(b, "download source", src, src ? src->desc.format : 0);
    if (rc == 0 && !src->download_pending)
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "no download of this frame is in flight");
    if (rc != 0)
        return rc;
    /* Over whatever the outcome: the plugin's wait ends the copy. */
    src->download_pending = false;
    if (b->async_download &&
        (rc = b->slots->frame_download_wait(b->ctx, src->handle)) != 0)
        return slot_failed(b, "frame_download_wait", rc);
    return 0;
}

bool vg_backend_has_async_download(const vg_backend *b)
{
    return b->async_download;
}

bool vg_backend_provides(const vg_backend *b, const char *slot)
{
#define VG_PROVIDES_SLOT_(x, name, ...)                                        \
    if (strcmp(slot, #name) == 0)                                              \
        return b->desc->name != NULL;
    VG_PLUGIN_SLOTS(VG_PROVIDES_SLOT_, VG_PROVIDES_SLOT_, )
#undef VG_PROVIDES_SLOT_
    return false;
}

/* The frames of a kernel call: the destination and every source belong to
 * this backend and have the formats the slot table gives; the destination
 * has no download in flight (vg_backend_download_start: the copy may still
 * be reading it); with SAME_SIZE, every source has the destination's size;
 * no source is the destination. */
static int check_kernel_frames(vg_backend *b, const char *kernel,
                               const vg_backend_frame *dst,
                               vg_pixel_format dst_format,
                               const vg_backend_frame *const *sources,
                               const char *const *source_names,
                               vg_pixel_format src_format, bool same_size)
{
    char what[64];
    snprintf(what, sizeof what, "%s destination", kernel);
    int rc = check_frame(b, what, dst, dst_format);
    /* A kernel that changes the format names its destination as a
     * conversion's ("rgba_to_i420: conversion destination has ..."). */
    if (rc == 0 && dst->download_pending)
        rc = fail(b, VG_ERR_INVALID_ARGUMENT, "%s: %sdestination %s", kernel,
                  dst_format != src_format ? "conversion " : "",
                  VG_DOWNLOAD_IN_FLIGHT);
    for (size_t i = 0; rc == 0 && sources[i]; i++) {
        const vg_backend_frame *src = sources[i];
        snprintf(what, sizeof what, "%s source %s", kernel, source_names[i]);
        rc = check_frame(b, what, src, src_format);
        if (rc == 0 && same_size &&
            (src->desc.width != dst->desc.width ||
             src->desc.height != dst->desc.height))
            rc = fail(b, VG_ERR_INVALID_ARGUMENT,
                      "%s: sizes differ (%dx%d and %dx%d)", kernel,
                      dst->desc.width, dst->desc.height, src->desc.width,
                      src->desc.height);
        if (rc == 0 && src == dst)
            rc = fail(b, VG_ERR_INVALID_ARGUMENT,
                      "%s: destination and source %s are the same frame",
                      kernel, source_names[i]);
    }
    return rc;
}

/* A kernel's sources, NULL-terminated, and their names, by shape. */
/* clang-format off */
#define VG_BACKEND_SOURCES_SRC0 {NULL}
#define VG_BACKEND_SOURCES_SRC1 {src, NULL}
#define VG_BACKEND_SOURCES_SRC2 {a, b, NULL}
#define VG_BACKEND_SOURCE_NAMES_SRC0 {NULL}
#define VG_BACKEND_SOURCE_NAMES_SRC1 {"src", NULL}
#define VG_BACKEND_SOURCE_NAMES_SRC2 {"a", "b", NULL}
/* clang-format on */
#define VG_BACKEND_SAME_SIZE true
#define VG_BACKEND_ANY_SIZE false

/* vg_backend_<kernel> for every KERNEL row of VG_PLUGIN_SLOTS: the frames
 * checked against the row, the parameters against vg_check_<kernel>_params
 * (kernel_params.c), a missing slot turned into VG_ERR_UNSUPPORTED, and the
 * plugin's failure reported with its last_error. */
#define VG_BACKEND_KERNEL_(x, name, presence, since, ptype, shape, dst_format, \
                           src_format, size_rule)                              \
    int vg_backend_##name VG_BACKEND_KERNEL_PARAMS_##shape(ptype)              \
    {                                                                          \
        vg_backend *self = backend;                                            \
        if (!self->desc->name)                                                 \
            return fail(self, VG_ERR_UNSUPPORTED,                              \
                        "%s is not provided by this plugin", #name);           \
        const vg_backend_frame *const sources[] = VG_BACKEND_SOURCES_##shape;  \
        static const char *const source_names[] =                              \
            VG_BACKEND_SOURCE_NAMES_##shape;                                   \
        int rc = check_kernel_frames(                                          \
            self, #name, dst, VG_FORMAT_##dst_format, sources, source_names,   \
            VG_FORMAT_##src_format, VG_BACKEND_##size_rule);                   \
        if (rc != 0)                                                           \
            return rc;                                                         \
        char msg[256];                                                         \
        rc = vg_check_##name##_params(params, &dst->desc, msg, sizeof msg);    \
        if (rc != 0)                                                           \
            return fail(self, rc, "%s: %s", #name, msg);                       \
        rc = self->slots->name VG_BACKEND_KERNEL_CALL_##shape;                 \
        if (rc != 0)                                                           \
            return slot_failed(self, #name, rc);                               \
        return 0;                                                              \
    }
#define VG_BACKEND_KERNEL_CALL_SRC0 (self->ctx, dst->handle, params)
#define VG_BACKEND_KERNEL_CALL_SRC1                                            \
    (self->ctx, dst->handle, src->handle, params)
#define VG_BACKEND_KERNEL_CALL_SRC2                                            \
    (self->ctx, dst->handle, a->handle, b->handle, params)
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, VG_BACKEND_KERNEL_, )
#undef VG_BACKEND_KERNEL_

int vg_backend_sync(vg_backend *b)
{
    int rc = b->slots->sync(b->ctx);
    if (rc != 0)
        return slot_failed(b, "sync", rc);
    return 0;
}

int vg_backend_discard_cached_code(vg_backend *backend)
{
    /* desc says whether the plugin has the slot; slots is what to call (the
     * plugin's own, or its worker's forwarding one). */
    if (!backend || !VG_PLUGIN_HAS_SLOT(backend->desc, discard_cached_code) ||
        !VG_PLUGIN_HAS_SLOT(backend->slots, discard_cached_code))
        return 0;
    return backend->slots->discard_cached_code(backend->ctx) > 0 ? 1 : 0;
}

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

#include "loader/loaded_plugin.h"
#include "vg/backend.h"

struct vg_backend_frame {
    vg_frame *handle;
    vg_frame_desc desc;
    /* Between vg_backend_download_start and _wait: nothing may write the
     * frame (the copy may still be reading it). */
    bool download_pending;
    vg_backend_frame *next; /* the owner's list, so close can free leftovers */
};

struct vg_backend {
    vg_loaded_plugin *plugin; /* borrowed */
    const vg_plugin *desc;
    vg_backend_ctx *ctx;
    bool async_download; /* the plugin has the ABI v3 download slots */
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
    const char *detail = b->desc->last_error(b->ctx);
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
                    const vg_job_limits *limits, vg_backend **out,
                    char *reason, size_t reason_size)
{
    *out = NULL;
    int rc = vg_check_frame_size(limits->max_width, limits->max_height,
                                 reason, reason_size);
    if (rc != 0)
        return rc;
    vg_backend *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    b->plugin = plugin;
    b->desc = vg_loaded_plugin_descriptor(plugin);
    b->async_download = VG_PLUGIN_HAS_SLOT(b->desc, frame_download_start);
    b->device = device;
    reason[0] = '\0';
    rc = b->desc->open(vg_loaded_plugin_options(plugin), device, limits,
                       &b->ctx, reason, reason_size);
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
    b->desc->close(b->ctx);
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

int vg_backend_frame_alloc(vg_backend *b, vg_pixel_format format,
                           int32_t width, int32_t height,
                           vg_backend_frame **out)
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
    f->desc = (vg_frame_desc){.format = format, .width = width,
                              .height = height};
    int rc = b->desc->frame_alloc(b->ctx, &f->desc, &f->handle);
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
        b->desc->frame_download_wait(b->ctx, (*frame)->handle);
    b->desc->frame_free(b->ctx, (*frame)->handle);
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

/* check_frame for a frame about to be written: also not while a download
 * may still be reading it. */
static int check_dest(vg_backend *b, const char *what,
                      const vg_backend_frame *frame, vg_pixel_format format)
{
    int rc = check_frame(b, what, frame, format);
    if (rc == 0 && frame->download_pending)
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "%s has a download in flight: wait for it before writing "
                    "the frame",
                    what);
    return rc;
}

static int check_same_size(vg_backend *b, const char *what,
                           const vg_backend_frame *x,
                           const vg_backend_frame *y)
{
    if (x->desc.width != y->desc.width || x->desc.height != y->desc.height)
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "%s: sizes differ (%dx%d and %dx%d)", what, x->desc.width,
                    x->desc.height, y->desc.width, y->desc.height);
    return 0;
}

static int check_distinct(vg_backend *b, const vg_backend_frame *dst,
                          const vg_backend_frame *src)
{
    if (dst == src)
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "destination and source are the same frame");
    return 0;
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
    if (rc == 0 && (rc = b->desc->frame_upload(b->ctx, dst->handle, src)) != 0)
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
        (rc = b->desc->frame_download(b->ctx, src->handle, dst)) != 0)
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
        if ((rc = b->desc->frame_download(b->ctx, src->handle, dst)) != 0)
            return slot_failed(b, "frame_download", rc);
    } else if ((rc = b->desc->frame_download_start(b->ctx, src->handle, dst)) !=
               0) {
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
        (rc = b->desc->frame_download_wait(b->ctx, src->handle)) != 0)
        return slot_failed(b, "frame_download_wait", rc);
    return 0;
}

bool vg_backend_has_async_download(const vg_backend *b)
{
    return b->async_download;
}

int vg_backend_fill_pattern(vg_backend *b, vg_backend_frame *dst,
                            const vg_pattern_params *params)
{
    int rc = check_dest(b, "pattern destination", dst, VG_FORMAT_RGBA8);
    if (rc != 0)
        return rc;
    if (params->kind < VG_PATTERN_TESTSRC || params->kind > VG_PATTERN_SOLID)
        return fail(b, VG_ERR_INVALID_ARGUMENT, "unknown pattern kind %u",
                    params->kind);
    if ((rc = b->desc->fill_pattern(b->ctx, dst->handle, params)) != 0)
        return slot_failed(b, "fill_pattern", rc);
    return 0;
}

/* The affine map is linear, so its extremes over the destination are at the
 * corners: checking those four keeps every coordinate inside int32. */
static bool warp_fits(const vg_warp_params *p, int32_t width, int32_t height)
{
    for (int corner = 0; corner < 4; corner++) {
        int64_t x = (corner & 1) ? width - 1 : 0;
        int64_t y = (corner & 2) ? height - 1 : 0;
        int64_t u = p->u0 + x * p->du_dx + y * p->du_dy;
        int64_t v = p->v0 + x * p->dv_dx + y * p->dv_dy;
        if (u < INT32_MIN || u > INT32_MAX || v < INT32_MIN || v > INT32_MAX)
            return false;
    }
    return true;
}

int vg_backend_warp_affine(vg_backend *b, vg_backend_frame *dst,
                           const vg_backend_frame *src,
                           const vg_warp_params *params)
{
    int rc = check_dest(b, "warp destination", dst, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_frame(b, "warp source", src, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_distinct(b, dst, src);
    if (rc != 0)
        return rc;
    if (params->edge != VG_EDGE_CLAMP && params->edge != VG_EDGE_BORDER)
        return fail(b, VG_ERR_INVALID_ARGUMENT, "unknown edge mode %u",
                    params->edge);
    if (!warp_fits(params, dst->desc.width, dst->desc.height))
        return fail(b, VG_ERR_LIMIT,
                    "warp source coordinates exceed the 16.16 range "
                    "(|coordinate| < 32768 pixels)");
    if ((rc = b->desc->warp_affine(b->ctx, dst->handle, src->handle,
                                   params)) != 0)
        return slot_failed(b, "warp_affine", rc);
    return 0;
}

int vg_backend_blend(vg_backend *b, vg_backend_frame *dst,
                     const vg_backend_frame *a, const vg_backend_frame *bb,
                     const vg_blend_params *params)
{
    int rc = check_dest(b, "blend destination", dst, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_frame(b, "blend input a", a, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_frame(b, "blend input b", bb, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_same_size(b, "blend", dst, a);
    if (rc == 0)
        rc = check_same_size(b, "blend", dst, bb);
    if (rc == 0)
        rc = check_distinct(b, dst, a);
    if (rc == 0)
        rc = check_distinct(b, dst, bb);
    if (rc != 0)
        return rc;
    switch (params->mode) {
    case VG_BLEND_CROSSFADE:
        if (params->weight > 256)
            return fail(b, VG_ERR_INVALID_ARGUMENT,
                        "crossfade weight %u is above 256", params->weight);
        break;
    case VG_BLEND_ALPHA_OVER:
        break;
    case VG_BLEND_WIPE:
        if (params->position < 0 || params->position > dst->desc.width)
            return fail(b, VG_ERR_INVALID_ARGUMENT,
                        "wipe position %d outside 0..%d", params->position,
                        dst->desc.width);
        break;
    default:
        return fail(b, VG_ERR_INVALID_ARGUMENT, "unknown blend mode %u",
                    params->mode);
    }
    if ((rc = b->desc->blend(b->ctx, dst->handle, a->handle, bb->handle,
                             params)) != 0)
        return slot_failed(b, "blend", rc);
    return 0;
}

static bool blur_taps_valid(const vg_blur_params *p)
{
    int32_t sum = 0;
    for (int32_t i = 0; i <= 2 * p->radius; i++) {
        if (p->taps[i] < 0 || p->taps[i] != p->taps[2 * p->radius - i])
            return false;
        sum += p->taps[i];
    }
    return sum == 16384;
}

int vg_backend_blur(vg_backend *b, vg_backend_frame *dst,
                    const vg_backend_frame *src, const vg_blur_params *params)
{
    int rc = check_dest(b, "blur destination", dst, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_frame(b, "blur source", src, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_same_size(b, "blur", dst, src);
    if (rc == 0)
        rc = check_distinct(b, dst, src);
    if (rc != 0)
        return rc;
    if (params->radius < 1 || params->radius > VG_BLUR_MAX_RADIUS)
        return fail(b, VG_ERR_LIMIT, "blur radius %d outside 1..%d",
                    params->radius, VG_BLUR_MAX_RADIUS);
    if (!blur_taps_valid(params))
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "blur taps must be non-negative, symmetric and sum to "
                    "16384");
    if ((rc = b->desc->blur(b->ctx, dst->handle, src->handle, params)) != 0)
        return slot_failed(b, "blur", rc);
    return 0;
}

static int check_color(vg_backend *b, const vg_color_params *p)
{
    if ((p->matrix != VG_MATRIX_BT601 && p->matrix != VG_MATRIX_BT709) ||
        (p->range != VG_RANGE_LIMITED && p->range != VG_RANGE_FULL))
        return fail(b, VG_ERR_INVALID_ARGUMENT,
                    "colour parameters name no known matrix and range");
    return 0;
}

int vg_backend_rgba_to_i420(vg_backend *b, vg_backend_frame *dst,
                            const vg_backend_frame *src,
                            const vg_color_params *params)
{
    int rc = check_dest(b, "conversion destination", dst, VG_FORMAT_I420);
    if (rc == 0)
        rc = check_frame(b, "conversion source", src, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_same_size(b, "rgba_to_i420", dst, src);
    if (rc == 0)
        rc = check_color(b, params);
    if (rc != 0)
        return rc;
    if ((rc = b->desc->rgba_to_i420(b->ctx, dst->handle, src->handle,
                                    params)) != 0)
        return slot_failed(b, "rgba_to_i420", rc);
    return 0;
}

int vg_backend_i420_to_rgba(vg_backend *b, vg_backend_frame *dst,
                            const vg_backend_frame *src,
                            const vg_color_params *params)
{
    int rc = check_dest(b, "conversion destination", dst, VG_FORMAT_RGBA8);
    if (rc == 0)
        rc = check_frame(b, "conversion source", src, VG_FORMAT_I420);
    if (rc == 0)
        rc = check_same_size(b, "i420_to_rgba", dst, src);
    if (rc == 0)
        rc = check_color(b, params);
    if (rc != 0)
        return rc;
    if ((rc = b->desc->i420_to_rgba(b->ctx, dst->handle, src->handle,
                                    params)) != 0)
        return slot_failed(b, "i420_to_rgba", rc);
    return 0;
}

int vg_backend_sync(vg_backend *b)
{
    int rc = b->desc->sync(b->ctx);
    if (rc != 0)
        return slot_failed(b, "sync", rc);
    return 0;
}

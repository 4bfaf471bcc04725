/*
 * example.h - the example backend's context and frames, shared by its three
 * files: example_plugin.c (descriptor, probe, options, contexts),
 * example_frames.c (frames in host memory) and example_kernels.c (the six
 * kernels, scalar loops over vg/pixel_math.h).
 */
#ifndef EXAMPLE_H
#define EXAMPLE_H

#include <stdarg.h>

#include "vg/plugin.h"

/* The declared options, in the order of the option table: the core hands
 * the plugin one value per option in this order. */
enum example_option {
    EXAMPLE_OPT_MAX_WIDTH,
    EXAMPLE_OPT_MAX_HEIGHT,
    EXAMPLE_OPT_DEVICE_NAME,
    EXAMPLE_OPTION_COUNT
};

/* A frame is a host image this plugin allocated.  Frames of a context form
 * a list so that close can free the ones the caller left behind. */
struct vg_plugin_frame {
    vg_image image;
    struct vg_plugin_frame *next;
};

struct vg_plugin_ctx {
    struct vg_plugin_frame *frames;
    char last_error[VG_TEXT_MAX];
};

/* Record the failure message last_error returns, and return `code`. */
int example_fail(vg_plugin_ctx *ctx, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Frames (example_frames.c). */
int example_frame_alloc(vg_plugin_ctx *ctx, const vg_frame_desc *desc,
                        vg_plugin_frame **out);
void example_frame_free(vg_plugin_ctx *ctx, vg_plugin_frame *frame);
void example_frames_free_all(vg_plugin_ctx *ctx);
int example_frame_upload(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_image *src);
int example_frame_download(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                           const vg_image *dst);

/* Kernels (example_kernels.c). */
int example_fill_pattern(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_pattern_params *params);
int example_warp_affine(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                        const vg_plugin_frame *src,
                        const vg_warp_params *params);
int example_blend(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                  const vg_plugin_frame *a, const vg_plugin_frame *b,
                  const vg_blend_params *params);
int example_blur(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                 const vg_plugin_frame *src, const vg_blur_params *params);
int example_rgba_to_i420(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_plugin_frame *src,
                         const vg_color_params *params);
int example_i420_to_rgba(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                         const vg_plugin_frame *src,
                         const vg_color_params *params);

#endif /* EXAMPLE_H */

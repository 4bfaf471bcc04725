/*
 * peers_swscale.c - FFmpeg's swscale equivalents: colour conversion and
 * bilinear scaling, with swscale's own slice threads for the threaded run.
 * Default colourspace (BT.601, limited range), as vg's cases use.
 */
#include <libavutil/opt.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <stdlib.h>

#include "vg/image.h"
#include "vgbench.h"

typedef struct sws_bench {
    const vgb_case *c;
    struct SwsContext *ctx;
    vg_image dst;
} sws_bench;

static void run_fn(void *arg, int iteration)
{
    sws_bench *sb = arg;
    const vg_image *s = &sb->c->src[iteration % sb->c->sets];
    sws_scale(sb->ctx, (const uint8_t *const *)s->data, s->stride, 0, s->height,
              sb->dst.data, sb->dst.stride);
}

static struct SwsContext *make_context(const vgb_case *c, int threads)
{
    enum AVPixelFormat in = AV_PIX_FMT_RGBA, out = AV_PIX_FMT_RGBA;
    if (c->kernel == VGB_RGBA_TO_I420)
        out = AV_PIX_FMT_YUV420P;
    if (c->kernel == VGB_I420_TO_RGBA)
        in = AV_PIX_FMT_YUV420P;
    struct SwsContext *ctx = sws_alloc_context();
    if (!ctx)
        return NULL;
    av_opt_set_int(ctx, "srcw", c->src_width, 0);
    av_opt_set_int(ctx, "srch", c->src_height, 0);
    av_opt_set_int(ctx, "src_format", in, 0);
    av_opt_set_int(ctx, "dstw", c->width, 0);
    av_opt_set_int(ctx, "dsth", c->height, 0);
    av_opt_set_int(ctx, "dst_format", out, 0);
    av_opt_set_int(ctx, "sws_flags", SWS_BILINEAR, 0);
    av_opt_set_int(ctx, "threads", threads, 0);
    if (sws_init_context(ctx, NULL, NULL) < 0) {
        sws_freeContext(ctx);
        return NULL;
    }
    return ctx;
}

static void release(void *arg)
{
    sws_bench *sb = arg;
    sws_freeContext(sb->ctx);
    vg_image_free(&sb->dst);
    free(sb);
}

int vgb_swscale_run(const vgb_case *c, int threads, vgb_result *out)
{
    switch (c->kernel) {
    case VGB_WARP_DOWN:
    case VGB_WARP_UP:
    case VGB_RGBA_TO_I420:
    case VGB_I420_TO_RGBA:
        break;
    default:
        return VGB_NOT_APPLICABLE;
    }
    sws_bench *sb = calloc(1, sizeof *sb);
    if (!sb)
        return -1;
    sb->c = c;
    sb->ctx = make_context(c, threads);
    if (!sb->ctx ||
        vg_image_alloc(c->want.format, c->width, c->height, &sb->dst) != 0) {
        release(sb);
        return -1;
    }
    *out = (vgb_result){.c = c,
                        .threads = threads,
                        .timer = {.fn = run_fn, .arg = sb, .release = release}};
    snprintf(out->impl, sizeof out->impl, "swscale");
    if (c->kernel == VGB_WARP_UP || c->kernel == VGB_WARP_DOWN)
        snprintf(out->note, sizeof out->note, "its own filter taps");
    run_fn(sb, 0);
    out->max_diff = vgb_image_max_diff(&c->want, &sb->dst);
    return 0;
}

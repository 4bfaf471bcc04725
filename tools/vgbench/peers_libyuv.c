/*
 * peers_libyuv.c - libyuv's equivalents (single-threaded by design).
 *
 * libyuv names formats by the 32-bit word, little-endian: its "ABGR" is
 * vg's RGBA byte order.  ARGBBlend composites premultiplied colour, which
 * is not vg's straight-alpha over: it is timed for reference only.
 */
#include <libyuv.h>
#include <stdio.h>
#include <stdlib.h>

#include "vg/image.h"
#include "vgbench.h"

typedef struct yuv_bench {
    const vgb_case *c;
    vg_image dst;
} yuv_bench;

static void run_fn(void *arg, int iteration)
{
    yuv_bench *yb = arg;
    const vgb_case *c = yb->c;
    const vg_image *s = &c->src[iteration % c->sets];
    const vg_image *s2 = &c->src2[iteration % c->sets];
    const vg_image *d = &yb->dst;
    switch (c->kernel) {
    case VGB_WARP_DOWN:
    case VGB_WARP_UP:
        ARGBScale(s->data[0], s->stride[0], s->width, s->height, d->data[0],
                  d->stride[0], d->width, d->height, kFilterBilinear);
        break;
    case VGB_CROSSFADE:
        ARGBInterpolate(s->data[0], s->stride[0], s2->data[0], s2->stride[0],
                        d->data[0], d->stride[0], d->width, d->height,
                        (int)c->params.blend.weight);
        break;
    case VGB_ALPHA_OVER:
        ARGBBlend(s->data[0], s->stride[0], s2->data[0], s2->stride[0],
                  d->data[0], d->stride[0], d->width, d->height);
        break;
    case VGB_RGBA_TO_I420:
        ABGRToI420(s->data[0], s->stride[0], d->data[0], d->stride[0],
                   d->data[1], d->stride[1], d->data[2], d->stride[2], d->width,
                   d->height);
        break;
    case VGB_I420_TO_RGBA:
        I420ToABGR(s->data[0], s->stride[0], s->data[1], s->stride[1],
                   s->data[2], s->stride[2], d->data[0], d->stride[0], d->width,
                   d->height);
        break;
    default:
        break;
    }
}

static void release(void *arg)
{
    yuv_bench *yb = arg;
    vg_image_free(&yb->dst);
    free(yb);
}

int vgb_libyuv_run(const vgb_case *c, int threads, vgb_result *out)
{
    switch (c->kernel) {
    case VGB_WARP_DOWN:
    case VGB_WARP_UP:
    case VGB_CROSSFADE:
    case VGB_ALPHA_OVER:
    case VGB_RGBA_TO_I420:
    case VGB_I420_TO_RGBA:
        break;
    default:
        return VGB_NOT_APPLICABLE;
    }
    if (threads != 1)
        return VGB_NOT_APPLICABLE;
    yuv_bench *yb = calloc(1, sizeof *yb);
    if (!yb)
        return -1;
    yb->c = c;
    if (vg_image_alloc(c->want.format, c->width, c->height, &yb->dst) != 0) {
        free(yb);
        return -1;
    }
    *out = (vgb_result){.c = c,
                        .threads = 1,
                        .timer = {.fn = run_fn, .arg = yb, .release = release}};
    snprintf(out->impl, sizeof out->impl, "libyuv");
    if (c->kernel == VGB_ALPHA_OVER)
        snprintf(out->note, sizeof out->note, "premultiplied: not equivalent");
    else if (c->kernel == VGB_WARP_UP || c->kernel == VGB_WARP_DOWN)
        snprintf(out->note, sizeof out->note, "its own sample positions");
    run_fn(yb, 0);
    out->max_diff = vgb_image_max_diff(&c->want, &yb->dst);
    return 0;
}

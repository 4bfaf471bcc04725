/*
 * peers_opencv.cpp - OpenCV's equivalents, behind one C function (the only
 * C++ in vg, compiled only when OpenCV is found).
 *
 * GaussianBlur uses BORDER_REPLICATE, vg's edge rule, so the outputs can be
 * compared; OpenCV's I420 chroma takes one pixel of each 2x2 block rather
 * than their mean.
 */
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "vgbench.h"

namespace
{

struct cv_bench {
    const vgb_case *c;
    int threads;
    cv::Mat src[8], src2[8], dst;
};

cv::Mat view(const vg_image &img)
{
    if (img.format == VG_FORMAT_I420) /* contiguous planes, stride = width */
        return cv::Mat(img.height * 3 / 2, img.width, CV_8UC1, img.data[0]);
    return cv::Mat(img.height, img.width, CV_8UC4, img.data[0],
                   (size_t)img.stride[0]);
}

void run_fn(void *arg, int iteration)
{
    cv_bench *b = static_cast<cv_bench *>(arg);
    const vgb_case *c = b->c;
    const cv::Mat &s = b->src[iteration % c->sets];
    const cv::Mat &s2 = b->src2[iteration % c->sets];
    switch (c->kernel) {
    case VGB_WARP_DOWN:
    case VGB_WARP_UP:
        cv::resize(s, b->dst, cv::Size(c->width, c->height), 0, 0,
                   cv::INTER_LINEAR);
        break;
    case VGB_CROSSFADE: {
        double w = c->params.blend.weight / 256.0;
        cv::addWeighted(s, 1.0 - w, s2, w, 0.0, b->dst);
        break;
    }
    case VGB_BLUR5:
    case VGB_BLUR19:
        cv::GaussianBlur(s, b->dst,
                         cv::Size(2 * c->params.blur.radius + 1,
                                  2 * c->params.blur.radius + 1),
                         c->sigma, c->sigma, cv::BORDER_REPLICATE);
        break;
    case VGB_RGBA_TO_I420:
        cv::cvtColor(s, b->dst, cv::COLOR_RGBA2YUV_I420);
        break;
    case VGB_I420_TO_RGBA:
        cv::cvtColor(s, b->dst, cv::COLOR_YUV2RGBA_I420);
        break;
    default:
        break;
    }
}

/* I420 packed contiguously (OpenCV's layout) as a vg_image view. */
vg_image i420_view(cv::Mat &m, int32_t w, int32_t h)
{
    vg_image img = {};
    img.format = VG_FORMAT_I420;
    img.width = w;
    img.height = h;
    img.data[0] = m.data;
    img.data[1] = m.data + (size_t)w * h;
    img.data[2] = img.data[1] + (size_t)(w / 2) * (h / 2);
    img.stride[0] = w;
    img.stride[1] = img.stride[2] = w / 2;
    return img;
}

/* OpenCV's thread count is global, and lines are timed in turn. */
void begin(void *arg)
{
    cv::setNumThreads(static_cast<cv_bench *>(arg)->threads);
}

void release(void *arg)
{
    delete static_cast<cv_bench *>(arg);
}

} // namespace

extern "C" int vgb_opencv_run(const vgb_case *c, int threads, vgb_result *out)
{
    switch (c->kernel) {
    case VGB_WARP_DOWN:
    case VGB_WARP_UP:
    case VGB_CROSSFADE:
    case VGB_BLUR5:
    case VGB_BLUR19:
    case VGB_RGBA_TO_I420:
    case VGB_I420_TO_RGBA:
        break;
    default:
        return VGB_NOT_APPLICABLE;
    }
    cv_bench *bp = new cv_bench;
    cv_bench &b = *bp;
    b.c = c;
    b.threads = threads;
    for (int s = 0; s < c->sets; s++) {
        b.src[s] = view(c->src[s]);
        if (c->src2[s].data[0])
            b.src2[s] = view(c->src2[s]);
    }
    *out = vgb_result{};
    out->c = c;
    out->threads = threads;
    out->timer.fn = run_fn;
    out->timer.arg = bp;
    out->timer.release = release;
    out->timer.begin = begin;
    begin(bp);
    std::snprintf(out->impl, sizeof out->impl, "opencv");
    if (c->kernel == VGB_RGBA_TO_I420)
        std::snprintf(out->note, sizeof out->note,
                      "chroma from one pixel per block");
    run_fn(bp, 0);
    if (c->kernel == VGB_RGBA_TO_I420) {
        vg_image got = i420_view(b.dst, c->width, c->height);
        out->max_diff = vgb_image_max_diff(&c->want, &got);
    } else {
        cv::Mat want = view(c->want);
        cv::Mat diff;
        cv::absdiff(want, b.dst, diff);
        double worst = 0;
        cv::minMaxLoc(diff.reshape(1), nullptr, &worst);
        out->max_diff = (int)worst;
    }
    return 0;
}

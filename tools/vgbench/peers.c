/*
 * peers.c - the other libraries vgbench compares with, and whether this
 * build has them (each is optional: CMake defines VGB_HAVE_<NAME> when its
 * development package was found).
 */
#include "vgbench.h"

#ifndef VGB_HAVE_LIBYUV
#define vgb_libyuv_run NULL
#define VGB_HAVE_LIBYUV 0
#endif
#ifndef VGB_HAVE_SWSCALE
#define vgb_swscale_run NULL
#define VGB_HAVE_SWSCALE 0
#endif
#ifndef VGB_HAVE_OPENCV
#define vgb_opencv_run NULL
#define VGB_HAVE_OPENCV 0
#endif

static const vgb_peer peers[] = {
    {"libyuv", "libyuv-dev", VGB_HAVE_LIBYUV, false, vgb_libyuv_run},
    {"swscale", "libswscale-dev", VGB_HAVE_SWSCALE, true, vgb_swscale_run},
    {"opencv", "libopencv-dev", VGB_HAVE_OPENCV, true, vgb_opencv_run},
};

size_t vgb_peers(const vgb_peer **out)
{
    *out = peers;
    return sizeof peers / sizeof peers[0];
}

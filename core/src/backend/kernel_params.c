/*
 * kernel_params.c - what each kernel accepts, checked before a plugin runs.
 *
 * One function per kernel (kernel_params.h); the frames' formats, sizes and
 * ownership are checked from the slot table in backend.c before these run.
 */
#include <stdbool.h>
#include <stdio.h>

#include "backend/kernel_params.h"

int vg_check_fill_pattern_params(const vg_pattern_params *params,
                                 const vg_frame_desc *dst, char *msg,
                                 size_t msg_size)
{
    (void)dst;
    if (params->kind < VG_PATTERN_TESTSRC || params->kind > VG_PATTERN_SOLID) {
        snprintf(msg, msg_size, "unknown pattern kind %u", params->kind);
        return VG_ERR_INVALID_ARGUMENT;
    }
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

int vg_check_warp_affine_params(const vg_warp_params *params,
                                const vg_frame_desc *dst, char *msg,
                                size_t msg_size)
{
    if (params->edge != VG_EDGE_CLAMP && params->edge != VG_EDGE_BORDER) {
        snprintf(msg, msg_size, "unknown edge mode %u", params->edge);
        return VG_ERR_INVALID_ARGUMENT;
    }
    if (!warp_fits(params, dst->width, dst->height)) {
        snprintf(msg, msg_size,
                 "warp source coordinates exceed the 16.16 range "
                 "(|coordinate| < 32768 pixels)");
        return VG_ERR_LIMIT;
    }
    return 0;
}

int vg_check_blend_params(const vg_blend_params *params,
                          const vg_frame_desc *dst, char *msg, size_t msg_size)
{
    switch (params->mode) {
    case VG_BLEND_CROSSFADE:
        if (params->weight > 256) {
            snprintf(msg, msg_size, "crossfade weight %u is above 256",
                     params->weight);
            return VG_ERR_INVALID_ARGUMENT;
        }
        return 0;
    case VG_BLEND_ALPHA_OVER:
        return 0;
    case VG_BLEND_WIPE:
        if (params->position < 0 || params->position > dst->width) {
            snprintf(msg, msg_size, "wipe position %d outside 0..%d",
                     params->position, dst->width);
            return VG_ERR_INVALID_ARGUMENT;
        }
        return 0;
    }
    snprintf(msg, msg_size, "unknown blend mode %u", params->mode);
    return VG_ERR_INVALID_ARGUMENT;
}

int vg_check_blur_params(const vg_blur_params *params, const vg_frame_desc *dst,
                         char *msg, size_t msg_size)
{
    (void)dst;
    if (params->radius < 1 || params->radius > VG_BLUR_MAX_RADIUS) {
        snprintf(msg, msg_size, "blur radius %d outside 1..%d", params->radius,
                 VG_BLUR_MAX_RADIUS);
        return VG_ERR_LIMIT;
    }
    int32_t sum = 0;
    for (int32_t i = 0; i <= 2 * params->radius; i++) {
        if (params->taps[i] < 0 ||
            params->taps[i] != params->taps[2 * params->radius - i]) {
            sum = -1;
            break;
        }
        sum += params->taps[i];
    }
    if (sum != 16384) {
        snprintf(msg, msg_size,
                 "blur taps must be non-negative, symmetric and sum to 16384");
        return VG_ERR_INVALID_ARGUMENT;
    }
    return 0;
}

/* Both conversions take the same coefficients. */
static int check_color(const vg_color_params *p, char *msg, size_t msg_size)
{
    if ((p->matrix != VG_MATRIX_BT601 && p->matrix != VG_MATRIX_BT709) ||
        (p->range != VG_RANGE_LIMITED && p->range != VG_RANGE_FULL)) {
        snprintf(msg, msg_size,
                 "colour parameters name no known matrix and range");
        return VG_ERR_INVALID_ARGUMENT;
    }
    return 0;
}

int vg_check_rgba_to_i420_params(const vg_color_params *params,
                                 const vg_frame_desc *dst, char *msg,
                                 size_t msg_size)
{
    (void)dst;
    return check_color(params, msg, msg_size);
}

int vg_check_i420_to_rgba_params(const vg_color_params *params,
                                 const vg_frame_desc *dst, char *msg,
                                 size_t msg_size)
{
    (void)dst;
    return check_color(params, msg, msg_size);
}

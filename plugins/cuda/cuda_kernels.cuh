/*
 * cuda_kernels.cuh - the CUDA kernels themselves: device code only.
 *
 * Included by cuda_kernels.cu, which nvcc compiles into the plugin's
 * fatbinary and which launches them.  Kept apart from the launchers so the
 * very same source can also be compiled by a host C++ compiler: the CUDA
 * simulator (tests/cudasim/) runs these bodies on the CPU over the
 * plugin's own grid, so CI tests the kernels that ship without a GPU.
 * Nothing here may use the launch syntax or the runtime API.
 *
 * The per-pixel arithmetic is vg/pixel_math.h, compiled here as __host__
 * __device__ functions: the loops below only map threads to pixels the way
 * core/reference walks them (same taps, same edge rules, same rounding), so
 * the bytes equal the reference's.  No floating point touches a pixel.
 */
#ifndef VG_CUDA_KERNELS_CUH
#define VG_CUDA_KERNELS_CUH

#include <stddef.h>
#include <stdint.h>

#include "vg/pixel_math.h"
#include "vg/plugin.h"

/* Every kernel, once: X(name, function).  The capability check queries each
 * (cuda_kernels.cu) and the simulator maps launches to them by name. */
#define VG_CUDA_KERNEL_LIST(X)                                                 \
    X(pattern, pattern_kernel)                                                 \
    X(warp, warp_kernel)                                                       \
    X(blend, blend_kernel)                                                     \
    X(blur_h, blur_h_kernel)                                                   \
    X(blur_v, blur_v_kernel)                                                   \
    X(rgba_to_i420, rgba_to_i420_kernel)                                       \
    X(i420_to_rgba, i420_to_rgba_kernel)

/* 32 x 8 threads: a warp covers 32 consecutive pixels of a row (coalesced
 * 128-byte RGBA accesses), eight rows per block. */
#define VG_CUDA_BLOCK_W 32
#define VG_CUDA_BLOCK_H 8

namespace
{

__device__ inline uchar4 *rgba_row(uint8_t *base, size_t pitch, int32_t y)
{
    return reinterpret_cast<uchar4 *>(base + (size_t)y * pitch);
}

__device__ inline const uchar4 *rgba_row(const uint8_t *base, size_t pitch,
                                         int32_t y)
{
    return reinterpret_cast<const uchar4 *>(base + (size_t)y * pitch);
}

__device__ inline uchar4 unpack(uint32_t rgba)
{
    return make_uchar4(vg_pm_channel(rgba, 0), vg_pm_channel(rgba, 1),
                       vg_pm_channel(rgba, 2), vg_pm_channel(rgba, 3));
}

/* ------------------------------------------------------------------------ */
/* Kernels                                                                   */
/* ------------------------------------------------------------------------ */

__global__ void pattern_kernel(uint8_t *dst, size_t pitch, int32_t w, int32_t h,
                               vg_pattern_params p)
{
    int32_t x = (int32_t)(blockIdx.x * blockDim.x + threadIdx.x);
    int32_t y = (int32_t)(blockIdx.y * blockDim.y + threadIdx.y);
    if (x >= w || y >= h)
        return;
    uint32_t rgba = vg_pm_pattern(p.kind, (uint32_t)x, (uint32_t)y, (uint32_t)w,
                                  (uint32_t)h, p.frame_index, p.rgba);
    rgba_row(dst, pitch, y)[x] = unpack(rgba);
}

/* One bilinear tap, as core/reference/ref_warp.c's warp_tap. */
__device__ inline uchar4 warp_tap(const uint8_t *src, size_t pitch, int32_t sw,
                                  int32_t sh, uint32_t edge, uchar4 border,
                                  int32_t tx, int32_t ty)
{
    if (edge == VG_PM_EDGE_BORDER &&
        (!vg_pm_index_inside(tx, sw) || !vg_pm_index_inside(ty, sh)))
        return border;
    tx = vg_pm_clamp_index(tx, sw);
    ty = vg_pm_clamp_index(ty, sh);
    return rgba_row(src, pitch, ty)[tx];
}

__global__ void warp_kernel(uint8_t *dst, size_t dst_pitch, int32_t w,
                            int32_t h, const uint8_t *src, size_t src_pitch,
                            int32_t sw, int32_t sh, vg_warp_params p)
{
    int32_t x = (int32_t)(blockIdx.x * blockDim.x + threadIdx.x);
    int32_t y = (int32_t)(blockIdx.y * blockDim.y + threadIdx.y);
    if (x >= w || y >= h)
        return;
    uchar4 border = unpack(p.border_rgba);
    int32_t u = vg_pm_warp_coord(p.u0, p.du_dx, p.du_dy, x, y);
    int32_t v = vg_pm_warp_coord(p.v0, p.dv_dx, p.dv_dy, x, y);
    int32_t ix = vg_pm_coord_index(u), fx = vg_pm_coord_frac(u);
    int32_t iy = vg_pm_coord_index(v), fy = vg_pm_coord_frac(v);
    uchar4 p00 = warp_tap(src, src_pitch, sw, sh, p.edge, border, ix, iy);
    uchar4 p01 = warp_tap(src, src_pitch, sw, sh, p.edge, border, ix + 1, iy);
    uchar4 p10 = warp_tap(src, src_pitch, sw, sh, p.edge, border, ix, iy + 1);
    uchar4 p11 =
        warp_tap(src, src_pitch, sw, sh, p.edge, border, ix + 1, iy + 1);
    rgba_row(dst, dst_pitch, y)[x] =
        make_uchar4(vg_pm_bilinear(p00.x, p01.x, p10.x, p11.x, fx, fy),
                    vg_pm_bilinear(p00.y, p01.y, p10.y, p11.y, fx, fy),
                    vg_pm_bilinear(p00.z, p01.z, p10.z, p11.z, fx, fy),
                    vg_pm_bilinear(p00.w, p01.w, p10.w, p11.w, fx, fy));
}

__global__ void blend_kernel(uint8_t *dst, size_t dst_pitch, int32_t w,
                             int32_t h, const uint8_t *a, size_t a_pitch,
                             const uint8_t *b, size_t b_pitch,
                             vg_blend_params p)
{
    int32_t x = (int32_t)(blockIdx.x * blockDim.x + threadIdx.x);
    int32_t y = (int32_t)(blockIdx.y * blockDim.y + threadIdx.y);
    if (x >= w || y >= h)
        return;
    uchar4 pa = rgba_row(a, a_pitch, y)[x];
    uchar4 pb = rgba_row(b, b_pitch, y)[x];
    uchar4 out;
    switch (p.mode) {
    case VG_PM_BLEND_CROSSFADE: {
        int32_t wt = (int32_t)p.weight;
        out = make_uchar4(
            vg_pm_crossfade(pa.x, pb.x, wt), vg_pm_crossfade(pa.y, pb.y, wt),
            vg_pm_crossfade(pa.z, pb.z, wt), vg_pm_crossfade(pa.w, pb.w, wt));
        break;
    }
    case VG_PM_BLEND_ALPHA_OVER:
        out = make_uchar4(vg_pm_over_color(pa.x, pb.x, pa.w),
                          vg_pm_over_color(pa.y, pb.y, pa.w),
                          vg_pm_over_color(pa.z, pb.z, pa.w),
                          vg_pm_over_alpha(pa.w, pb.w));
        break;
    default: /* VG_PM_BLEND_WIPE; the core rejects other modes */
        out = vg_pm_wipe_takes_b(x, p.position) ? pb : pa;
        break;
    }
    rgba_row(dst, dst_pitch, y)[x] = out;
}

/* Blur, horizontal pass: source bytes -> 8.8 intermediates (ushort4). */
__global__ void blur_h_kernel(uint16_t *tmp, size_t tmp_pitch, int32_t w,
                              int32_t h, const uint8_t *src, size_t src_pitch,
                              vg_blur_params p)
{
    int32_t x = (int32_t)(blockIdx.x * blockDim.x + threadIdx.x);
    int32_t y = (int32_t)(blockIdx.y * blockDim.y + threadIdx.y);
    if (x >= w || y >= h)
        return;
    const uchar4 *in = rgba_row(src, src_pitch, y);
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int32_t k = 0; k <= 2 * p.radius; k++) {
        uchar4 px = in[vg_pm_clamp_index(x + k - p.radius, w)];
        int32_t t = p.taps[k];
        s0 += t * px.x;
        s1 += t * px.y;
        s2 += t * px.z;
        s3 += t * px.w;
    }
    reinterpret_cast<ushort4 *>(reinterpret_cast<uint8_t *>(tmp) +
                                (size_t)y * tmp_pitch)[x] =
        make_ushort4(vg_pm_blur_h_round(s0), vg_pm_blur_h_round(s1),
                     vg_pm_blur_h_round(s2), vg_pm_blur_h_round(s3));
}

/* Blur, vertical pass: 8.8 intermediates -> destination bytes. */
__global__ void blur_v_kernel(uint8_t *dst, size_t dst_pitch, int32_t w,
                              int32_t h, const uint16_t *tmp, size_t tmp_pitch,
                              vg_blur_params p)
{
    int32_t x = (int32_t)(blockIdx.x * blockDim.x + threadIdx.x);
    int32_t y = (int32_t)(blockIdx.y * blockDim.y + threadIdx.y);
    if (x >= w || y >= h)
        return;
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int32_t k = 0; k <= 2 * p.radius; k++) {
        int32_t sy = vg_pm_clamp_index(y + k - p.radius, h);
        ushort4 px = reinterpret_cast<const ushort4 *>(
            reinterpret_cast<const uint8_t *>(tmp) + (size_t)sy * tmp_pitch)[x];
        int32_t t = p.taps[k];
        s0 += t * px.x;
        s1 += t * px.y;
        s2 += t * px.z;
        s3 += t * px.w;
    }
    rgba_row(dst, dst_pitch, y)[x] =
        make_uchar4(vg_pm_blur_v_round(s0), vg_pm_blur_v_round(s1),
                    vg_pm_blur_v_round(s2), vg_pm_blur_v_round(s3));
}

/* RGBA -> I420, one thread per 2x2 block: its (up to) four luma samples
 * and one U and V from the block's sums, the last row and column of an odd
 * frame replicated (core/reference/ref_color.c). */
__global__ void rgba_to_i420_kernel(uint8_t *y_plane, size_t y_pitch,
                                    uint8_t *u_plane, size_t u_pitch,
                                    uint8_t *v_plane, size_t v_pitch, int32_t w,
                                    int32_t h, const uint8_t *src,
                                    size_t src_pitch, vg_color_params p)
{
    int32_t cx = (int32_t)(blockIdx.x * blockDim.x + threadIdx.x);
    int32_t cy = (int32_t)(blockIdx.y * blockDim.y + threadIdx.y);
    if (cx >= (w + 1) / 2 || cy >= (h + 1) / 2)
        return;
    int32_t x0 = 2 * cx, x1 = vg_pm_clamp_index(2 * cx + 1, w);
    int32_t y0 = 2 * cy, y1 = vg_pm_clamp_index(2 * cy + 1, h);
    uchar4 q[4] = {
        rgba_row(src, src_pitch, y0)[x0], rgba_row(src, src_pitch, y0)[x1],
        rgba_row(src, src_pitch, y1)[x0], rgba_row(src, src_pitch, y1)[x1]};

    for (int i = 0; i < 4; i++) {
        int32_t x = 2 * cx + (i & 1), y = 2 * cy + (i >> 1);
        if (x < w && y < h)
            y_plane[(size_t)y * y_pitch + (size_t)x] = vg_pm_rgb_to_y(
                q[i].x, q[i].y, q[i].z, p.y_r, p.y_g, p.y_b, p.y_offset);
    }
    int32_t sr = q[0].x + q[1].x + q[2].x + q[3].x;
    int32_t sg = q[0].y + q[1].y + q[2].y + q[3].y;
    int32_t sb = q[0].z + q[1].z + q[2].z + q[3].z;
    u_plane[(size_t)cy * u_pitch + (size_t)cx] =
        vg_pm_sums_to_chroma(sr, sg, sb, p.u_r, p.u_g, p.u_b);
    v_plane[(size_t)cy * v_pitch + (size_t)cx] =
        vg_pm_sums_to_chroma(sr, sg, sb, p.v_r, p.v_g, p.v_b);
}

__global__ void i420_to_rgba_kernel(uint8_t *dst, size_t dst_pitch, int32_t w,
                                    int32_t h, const uint8_t *y_plane,
                                    size_t y_pitch, const uint8_t *u_plane,
                                    size_t u_pitch, const uint8_t *v_plane,
                                    size_t v_pitch, vg_color_params p)
{
    int32_t x = (int32_t)(blockIdx.x * blockDim.x + threadIdx.x);
    int32_t y = (int32_t)(blockIdx.y * blockDim.y + threadIdx.y);
    if (x >= w || y >= h)
        return;
    int32_t luma = vg_pm_luma_term(y_plane[(size_t)y * y_pitch + (size_t)x],
                                   p.y_scale, p.y_offset);
    uint8_t u = u_plane[(size_t)(y / 2) * u_pitch + (size_t)(x / 2)];
    uint8_t v = v_plane[(size_t)(y / 2) * v_pitch + (size_t)(x / 2)];
    rgba_row(dst, dst_pitch, y)[x] =
        make_uchar4(vg_pm_yuv_to_channel(luma, 0, u, p.r_v, v),
                    vg_pm_yuv_to_channel(luma, p.g_u, u, p.g_v, v),
                    vg_pm_yuv_to_channel(luma, p.b_u, u, 0, v), 255);
}

} // namespace

#endif /* VG_CUDA_KERNELS_CUH */

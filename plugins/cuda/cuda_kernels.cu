/*
 * cuda_kernels.cu - the slots that launch the video kernels
 * (cuda_kernels.cuh), and the record of the images this plugin carries.
 *
 * All kernels run on the context's compute stream in the order they were
 * queued; each records its destination's `written` event so a download
 * waits for exactly that frame (cuda_memory.c).
 */
#include "cuda_internal.h"
#include "cuda_kernels.cuh"

/* The record of what this plugin carries (VG_CUDA_BUILT_ARCHS, written by
 * CMake and read by the capability check) must name the architectures nvcc
 * really compiled (__CUDA_ARCH_LIST__, e.g. 750,800): checked here at
 * compile time, so the two cannot drift. */
#if defined(__CUDA_ARCH_LIST__)
namespace
{
constexpr int nvcc_arch_list[] = {__CUDA_ARCH_LIST__};

constexpr bool in_nvcc_list(int arch)
{
    for (int a : nvcc_arch_list)
        if (a == arch)
            return true;
    return false;
}

/* The next number of `s` ("sm_80 compute_75" -> 80, then 75) as 10 * NN in
 * *arch; returns where to continue, or nullptr at the end. */
constexpr const char *next_recorded(const char *s, int *arch)
{
    while (*s && (*s < '0' || *s > '9'))
        s++;
    if (!*s)
        return nullptr;
    int n = 0;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    *arch = n * 10;
    return s;
}

constexpr bool recorded(int arch)
{
    int a = 0;
    for (const char *s = next_recorded(VG_CUDA_BUILT_ARCHS, &a); s;
         s = next_recorded(s, &a))
        if (a == arch)
            return true;
    return false;
}

constexpr bool records_agree()
{
    int a = 0;
    for (const char *s = next_recorded(VG_CUDA_BUILT_ARCHS, &a); s;
         s = next_recorded(s, &a))
        if (!in_nvcc_list(a))
            return false;
    for (int listed : nvcc_arch_list)
        if (!recorded(listed))
            return false;
    return true;
}

static_assert(records_agree(),
              "VG_CUDA_BUILT_ARCHS disagrees with nvcc's __CUDA_ARCH_LIST__");
} // namespace
#endif

namespace
{

dim3 grid_for(int32_t width, int32_t height)
{
    return dim3((unsigned)(width + VG_CUDA_BLOCK_W - 1) / VG_CUDA_BLOCK_W,
                (unsigned)(height + VG_CUDA_BLOCK_H - 1) / VG_CUDA_BLOCK_H);
}

const dim3 block_dim(VG_CUDA_BLOCK_W, VG_CUDA_BLOCK_H);

/* Every kernel, for the capability check's cudaFuncGetAttributes. */
const struct {
    const char *name;
    const void *fn;
} kernels[] = {
#define VG_CUDA_KERNEL_ENTRY_(name, fn)                                        \
    {#name, reinterpret_cast<const void *>(fn)},
    VG_CUDA_KERNEL_LIST(VG_CUDA_KERNEL_ENTRY_)
#undef VG_CUDA_KERNEL_ENTRY_
};

/* After a launch: a launch error (bad configuration, no image) or an
 * earlier asynchronous failure fails this kernel; otherwise remember that
 * `dst` is now written by the work queued so far. */
int launched(vg_plugin_ctx *ctx, vg_plugin_frame *dst, const char *what)
{
    cudaError_t err = cudaGetLastError();
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_KERNEL, err, what);
    return vg_cuda_frame_written(ctx, dst, what);
}

/* The blur intermediate, at least w x h ushort4. */
int reserve_blur_tmp(vg_plugin_ctx *ctx, int32_t w, int32_t h)
{
    if (ctx->blur_tmp && ctx->blur_tmp_width >= w && ctx->blur_tmp_height >= h)
        return 0;
    /* Queued blurs may still read the old buffer. */
    cudaError_t err = cudaStreamSynchronize(ctx->compute);
    if (err != cudaSuccess)
        return vg_cuda_fail(ctx, VG_ERR_KERNEL, err, "kernel blur");
    cudaFree(ctx->blur_tmp);
    ctx->blur_tmp = nullptr;
    err = cudaMallocPitch(reinterpret_cast<void **>(&ctx->blur_tmp),
                          &ctx->blur_tmp_pitch, 4 * sizeof(uint16_t) * w, h);
    if (err != cudaSuccess) {
        ctx->blur_tmp = nullptr;
        return vg_cuda_fail(ctx, VG_ERR_NO_MEMORY, err,
                            "kernel blur intermediate");
    }
    ctx->blur_tmp_width = w;
    ctx->blur_tmp_height = h;
    return 0;
}

} // namespace

/* ------------------------------------------------------------------------ */
/* Slots                                                                     */
/* ------------------------------------------------------------------------ */

/* VG_CUDA_BUILT_ARCHS is defined for this file only, next to the check
 * above, so the plugin's C objects do not depend on the architecture list
 * and one build of them serves every fatbinary (tests/cudasim links them
 * with builds for other architectures). */
extern "C" const char *vg_cuda_built_archs(void)
{
    return VG_CUDA_BUILT_ARCHS;
}

extern "C" size_t vg_cuda_kernel_count(void)
{
    return sizeof(kernels) / sizeof(kernels[0]);
}

extern "C" cudaError_t
vg_cuda_kernel_attributes(size_t i, const char **name,
                          struct cudaFuncAttributes *attr)
{
    *name = kernels[i].name;
    return cudaFuncGetAttributes(attr, kernels[i].fn);
}

extern "C" int vg_cuda_fill_pattern(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                                    const vg_pattern_params *params)
{
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    int32_t w = dst->desc.width, h = dst->desc.height;
    pattern_kernel<<<grid_for(w, h), block_dim, 0, ctx->compute>>>(
        dst->plane[0], dst->pitch[0], w, h, *params);
    return launched(ctx, dst, "kernel pattern");
}

extern "C" int vg_cuda_warp_affine(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                                   const vg_plugin_frame *src,
                                   const vg_warp_params *params)
{
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    int32_t w = dst->desc.width, h = dst->desc.height;
    warp_kernel<<<grid_for(w, h), block_dim, 0, ctx->compute>>>(
        dst->plane[0], dst->pitch[0], w, h, src->plane[0], src->pitch[0],
        src->desc.width, src->desc.height, *params);
    return launched(ctx, dst, "kernel warp");
}

extern "C" int vg_cuda_blend(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                             const vg_plugin_frame *a, const vg_plugin_frame *b,
                             const vg_blend_params *params)
{
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    int32_t w = dst->desc.width, h = dst->desc.height;
    blend_kernel<<<grid_for(w, h), block_dim, 0, ctx->compute>>>(
        dst->plane[0], dst->pitch[0], w, h, a->plane[0], a->pitch[0],
        b->plane[0], b->pitch[0], *params);
    return launched(ctx, dst, "kernel blend");
}

extern "C" int vg_cuda_blur(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                            const vg_plugin_frame *src, const vg_blur_params *params)
{
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    int32_t w = dst->desc.width, h = dst->desc.height;
    rc = reserve_blur_tmp(ctx, w, h);
    if (rc != 0)
        return rc;
    blur_h_kernel<<<grid_for(w, h), block_dim, 0, ctx->compute>>>(
        ctx->blur_tmp, ctx->blur_tmp_pitch, w, h, src->plane[0], src->pitch[0],
        *params);
    blur_v_kernel<<<grid_for(w, h), block_dim, 0, ctx->compute>>>(
        dst->plane[0], dst->pitch[0], w, h, ctx->blur_tmp, ctx->blur_tmp_pitch,
        *params);
    return launched(ctx, dst, "kernel blur");
}

extern "C" int vg_cuda_rgba_to_i420(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                                    const vg_plugin_frame *src,
                                    const vg_color_params *params)
{
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    int32_t w = dst->desc.width, h = dst->desc.height;
    rgba_to_i420_kernel<<<grid_for((w + 1) / 2, (h + 1) / 2), block_dim, 0,
                          ctx->compute>>>(
        dst->plane[0], dst->pitch[0], dst->plane[1], dst->pitch[1],
        dst->plane[2], dst->pitch[2], w, h, src->plane[0], src->pitch[0],
        *params);
    return launched(ctx, dst, "kernel rgba_to_i420");
}

extern "C" int vg_cuda_i420_to_rgba(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                                    const vg_plugin_frame *src,
                                    const vg_color_params *params)
{
    int rc = vg_cuda_enter(ctx);
    if (rc != 0)
        return rc;
    int32_t w = dst->desc.width, h = dst->desc.height;
    i420_to_rgba_kernel<<<grid_for(w, h), block_dim, 0, ctx->compute>>>(
        dst->plane[0], dst->pitch[0], w, h, src->plane[0], src->pitch[0],
        src->plane[1], src->pitch[1], src->plane[2], src->pitch[2], *params);
    return launched(ctx, dst, "kernel i420_to_rgba");
}

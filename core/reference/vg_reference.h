/*
 * vg_reference.h - the reference (scalar C) implementation of every kernel.
 *
 * This is the definition of what each kernel computes: every backend must
 * produce exactly these bytes (docs/kernels.md states the integer math).  The
 * per-pixel arithmetic itself lives in vg/pixel_math.h, shared with the CUDA
 * and OpenCL kernels; these loops only walk the pixels.
 *
 * Each kernel is declared once through a VG_DECL_*_FN macro (dav1d's decl_*_fn
 * habit): the reference below and every SIMD variant in plugins/cpu are
 * declared with the same macro, so their signatures cannot drift.
 *
 * Row-range form: every function writes destination rows [y0, y1) only, so a
 * caller may split a frame across threads.  For the I420 conversions rows are
 * luma rows and y0 must be even (y1 even or equal to the height), because one
 * chroma row serves two luma rows.  Arguments are trusted: the core has
 * validated formats, sizes and parameters.
 *
 * Thread-safety: pure functions of their arguments; concurrent calls on
 * disjoint destination rows are safe.
 */
#ifndef VG_REFERENCE_H
#define VG_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "vg/plugin.h"

#define VG_DECL_PATTERN_FN(name)                                               \
    void name(const vg_image *dst, const vg_pattern_params *params,            \
              int32_t y0, int32_t y1)

#define VG_DECL_WARP_FN(name)                                                  \
    void name(const vg_image *dst, const vg_image *src,                        \
              const vg_warp_params *params, int32_t y0, int32_t y1)

#define VG_DECL_BLEND_FN(name)                                                 \
    void name(const vg_image *dst, const vg_image *a, const vg_image *b,       \
              const vg_blend_params *params, int32_t y0, int32_t y1)

/* scratch: at least vg_ref_blur_scratch_size(width, y1 - y0, radius) bytes,
 * 16-byte aligned, owned by the caller (one per thread). */
#define VG_DECL_BLUR_FN(name)                                                  \
    void name(const vg_image *dst, const vg_image *src,                        \
              const vg_blur_params *params, int32_t y0, int32_t y1,            \
              void *scratch)

#define VG_DECL_RGBA_TO_I420_FN(name)                                          \
    void name(const vg_image *dst, const vg_image *src,                        \
              const vg_color_params *params, int32_t y0, int32_t y1)

#define VG_DECL_I420_TO_RGBA_FN(name)                                          \
    void name(const vg_image *dst, const vg_image *src,                        \
              const vg_color_params *params, int32_t y0, int32_t y1)

typedef VG_DECL_PATTERN_FN((*vg_pattern_fn));
typedef VG_DECL_WARP_FN((*vg_warp_fn));
typedef VG_DECL_BLEND_FN((*vg_blend_fn));
typedef VG_DECL_BLUR_FN((*vg_blur_fn));
typedef VG_DECL_RGBA_TO_I420_FN((*vg_rgba_to_i420_fn));
typedef VG_DECL_I420_TO_RGBA_FN((*vg_i420_to_rgba_fn));

VG_DECL_PATTERN_FN(vg_ref_pattern);
VG_DECL_WARP_FN(vg_ref_warp);
VG_DECL_BLEND_FN(vg_ref_blend);
VG_DECL_BLUR_FN(vg_ref_blur);
VG_DECL_RGBA_TO_I420_FN(vg_ref_rgba_to_i420);
VG_DECL_I420_TO_RGBA_FN(vg_ref_i420_to_rgba);

/* Bytes of scratch vg_ref_blur needs to produce `rows` rows of a frame
 * `width` pixels wide with the given radius. */
size_t vg_ref_blur_scratch_size(int32_t width, int32_t rows, int32_t radius);

#endif /* VG_REFERENCE_H */

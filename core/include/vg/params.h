/*
 * vg/params.h - turn floating-point descriptions into kernel parameters.
 *
 * Everything that needs floating point (Gaussian taps from sigma, colour
 * matrices, the affine matrix of a camera move, easing) is computed here,
 * once, in double, and handed to every backend as integers.  Backends never
 * do float math on pixels or coordinates, so no backend's FMA contraction or
 * reduced-precision division can change a byte (docs/kernels.md).
 *
 * Thread-safety: pure functions.
 */
#ifndef VG_PARAMS_H
#define VG_PARAMS_H

#include <stdint.h>

#include "vg/api.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest sigma accepted; its radius, ceil(3 * sigma), stays within
 * VG_BLUR_MAX_RADIUS. */
#define VG_BLUR_MAX_SIGMA 21.0

/* Gaussian taps for `sigma` (0 < sigma <= VG_BLUR_MAX_SIGMA): radius =
 * max(1, ceil(3 * sigma)), taps sampled from the Gaussian at integer
 * offsets, normalised, rounded to Q14 and corrected so they sum to exactly
 * 16384 while staying symmetric.  Returns 0 or VG_ERR_INVALID_ARGUMENT. */
VG_API int vg_blur_params_from_sigma(double sigma, vg_blur_params *out);

/* Integer coefficients for one matrix and range (see vg_color_params).
 * Returns 0 or VG_ERR_INVALID_ARGUMENT. */
VG_API int vg_color_params_init(vg_color_matrix matrix, vg_color_range range,
                                vg_color_params *out);

/* An affine map from destination pixel centres to source pixel centres:
 *   u = m[0] * x + m[1] * y + m[2]
 *   v = m[3] * x + m[4] * y + m[5]
 * (pixel units, centre of pixel (0, 0) at (0, 0)). */
typedef struct vg_affine {
    double m[6];
} vg_affine;

/* The map of a camera looking at the source: the destination shows the
 * source scaled by `zoom` (> 0; 2 = twice as large), rotated by
 * `rotate_degrees` (clockwise on screen), centred on source point
 * (center_x, center_y) given in source pixels (pixel centres: the middle
 * of a w x h source is ((w - 1) / 2, (h - 1) / 2)).  With zoom equal to
 * dst/src size and the source centre, this is a plain resize. */
VG_API vg_affine vg_affine_camera(int32_t dst_width, int32_t dst_height,
                                  double zoom, double rotate_degrees,
                                  double center_x, double center_y);

/* Quantise `map` to 16.16 warp parameters for a dst_width x dst_height
 * destination.  Returns VG_ERR_LIMIT when a source coordinate anywhere in the
 * destination would not fit in 16.16 int32 (|coordinate| >= 32768 pixels),
 * else 0. */
VG_API int vg_warp_params_from_affine(const vg_affine *map, int32_t dst_width,
                                      int32_t dst_height, vg_edge_mode edge,
                                      uint32_t border_rgba,
                                      vg_warp_params *out);

/* Crossfade weight of the second input for progress t in [0, 1] (clamped):
 * round(t * 256). */
VG_API uint32_t vg_crossfade_weight(double t);

typedef enum vg_easing {
    VG_EASE_LINEAR = 1,
    VG_EASE_IN = 2,     /* quadratic: slow start */
    VG_EASE_OUT = 3,    /* quadratic: slow end */
    VG_EASE_IN_OUT = 4, /* smoothstep */
} vg_easing;

/* Apply an easing curve to t in [0, 1] (clamped). */
VG_API double vg_ease(vg_easing easing, double t);

#ifdef __cplusplus
}
#endif

#endif /* VG_PARAMS_H */

/*
 * params.c - floating-point descriptions to integer kernel parameters.
 *
 * The only place vg does float math for the kernels: done once per job (or
 * per frame), in double, here in the core, so every backend receives the
 * same integers (vg/params.h).  docs/kernels.md explains each derivation.
 */
#include <math.h>
#include <string.h>

#include "vg/params.h"

/* Fixed-point scales used by the kernels (vg/pixel_math.h). */
#define Q13 8192.0
#define Q14 16384.0
#define Q16 65536.0

/* C11 without POSIX extensions has no M_PI. */
#define VG_PI 3.14159265358979323846

int vg_blur_params_from_sigma(double sigma, vg_blur_params *out)
{
    /* !(sigma > 0) also rejects NaN */
    if (!out || !(sigma > 0.0) || sigma > VG_BLUR_MAX_SIGMA)
        return VG_ERR_INVALID_ARGUMENT;

    int32_t r = (int32_t)ceil(3.0 * sigma);
    if (r < 1)
        r = 1;
    double weight[VG_BLUR_MAX_RADIUS + 1];
    double total = 0.0;
    for (int32_t d = 0; d <= r; d++) {
        weight[d] = exp(-(double)(d * d) / (2.0 * sigma * sigma));
        total += d == 0 ? weight[d] : 2.0 * weight[d];
    }

    memset(out, 0, sizeof(*out));
    out->radius = r;
    int32_t sum = 0;
    for (int32_t d = 0; d <= r; d++) {
        int16_t tap = (int16_t)lround(weight[d] / total * Q14);
        out->taps[r - d] = tap;
        out->taps[r + d] = tap;
        sum += d == 0 ? tap : 2 * tap;
    }
    /* Rounding each tap leaves the sum a few units off 16384; the centre
     * tap absorbs the difference so the taps stay symmetric and a flat
     * image stays exactly flat. */
    out->taps[r] = (int16_t)(out->taps[r] + (16384 - sum));
    return 0;
}

int vg_color_params_init(vg_color_matrix matrix, vg_color_range range,
                         vg_color_params *out)
{
    double kr, kb;
    if (!out)
        return VG_ERR_INVALID_ARGUMENT;
    switch (matrix) {
    case VG_MATRIX_BT601: /* ITU-R BT.601-7, section 2.5.1 */
        kr = 0.299;
        kb = 0.114;
        break;
    case VG_MATRIX_BT709: /* ITU-R BT.709-6, item 3.2 */
        kr = 0.2126;
        kb = 0.0722;
        break;
    default:
        return VG_ERR_INVALID_ARGUMENT;
    }
    /* Limited range maps Y' 0..1 to 16..235 and Cb/Cr -0.5..0.5 to
     * 16..240 (BT.601/BT.709 quantisation); full range uses 0..255. */
    double ys, cs;
    int32_t offset;
    switch (range) {
    case VG_RANGE_LIMITED:
        ys = 219.0 / 255.0;
        cs = 224.0 / 255.0;
        offset = 16;
        break;
    case VG_RANGE_FULL:
        ys = 1.0;
        cs = 1.0;
        offset = 0;
        break;
    default:
        return VG_ERR_INVALID_ARGUMENT;
    }
    double kg = 1.0 - kr - kb;

    memset(out, 0, sizeof(*out));
    out->matrix = (uint32_t)matrix;
    out->range = (uint32_t)range;
    out->y_offset = offset;

    /* RGB -> YUV (Q14).  One coefficient of each row is derived from the
     * others so the rows sum exactly to their ideal totals: white gives
     * exactly 235 (255) and every grey gives U = V = 128. */
    out->y_r = (int32_t)lround(kr * ys * Q14);
    out->y_b = (int32_t)lround(kb * ys * Q14);
    out->y_g = (int32_t)lround(ys * Q14) - out->y_r - out->y_b;
    out->u_r = (int32_t)lround(-kr / (2.0 * (1.0 - kb)) * cs * Q14);
    out->u_b = (int32_t)lround(0.5 * cs * Q14);
    out->u_g = -(out->u_r + out->u_b);
    out->v_r = (int32_t)lround(0.5 * cs * Q14);
    out->v_b = (int32_t)lround(-kb / (2.0 * (1.0 - kr)) * cs * Q14);
    out->v_g = -(out->v_r + out->v_b);

    /* YUV -> RGB (Q13): R = Y' + 2(1-Kr) Cr, B = Y' + 2(1-Kb) Cb and
     * G = (Y' - Kr R - Kb B) / Kg, with Y' = (Y - offset) / ys and
     * Cb, Cr = (U, V - 128) / cs. */
    out->y_scale = (int32_t)lround(Q13 / ys);
    out->r_v = (int32_t)lround(2.0 * (1.0 - kr) / cs * Q13);
    out->b_u = (int32_t)lround(2.0 * (1.0 - kb) / cs * Q13);
    out->g_u = (int32_t)lround(-2.0 * (1.0 - kb) * kb / kg / cs * Q13);
    out->g_v = (int32_t)lround(-2.0 * (1.0 - kr) * kr / kg / cs * Q13);
    return 0;
}

vg_affine vg_affine_camera(int32_t dst_width, int32_t dst_height, double zoom,
                           double rotate_degrees, double center_x,
                           double center_y)
{

    /* Screen coordinates point down, so the rotation matrix
     * [c -s; s c] turns the source clockwise on screen; the map goes the
     * other way (destination to source), hence the inverse
     * [c s; -s c] / zoom about the two centres. */
    double a = rotate_degrees * (VG_PI / 180.0);
    double c = cos(a) / zoom, s = sin(a) / zoom;
    double dcx = (dst_width - 1) / 2.0, dcy = (dst_height - 1) / 2.0;
    vg_affine map = {{c, s, center_x - c * dcx - s * dcy, -s, c,
                      center_y + s * dcx - c * dcy}};
    return map;
}

/* round(v * 65536) as int32, or VG_ERR_LIMIT if it does not fit. */
static int to_16_16(double v, int32_t *out)
{
    double q = nearbyint(v * Q16);
    if (!(q > (double)INT32_MIN && q <= (double)INT32_MAX))
        return VG_ERR_LIMIT; /* also NaN and infinities */
    *out = (int32_t)q;
    return 0;
}

/* Whether c0 + x*d_dx + y*d_dy stays a valid 16.16 coordinate (|c| <
 * 32768 pixels) over the destination; being affine, it is extreme at a
 * corner. */
static int corners_fit(int32_t c0, int32_t d_dx, int32_t d_dy, int32_t w,
                       int32_t h)
{
    for (int corner = 0; corner < 4; corner++) {
        int64_t x = (corner & 1) ? w - 1 : 0;
        int64_t y = (corner & 2) ? h - 1 : 0;
        int64_t c = c0 + x * d_dx + y * d_dy;
        if (c <= INT32_MIN || c > INT32_MAX)
            return 0;
    }
    return 1;
}

int vg_warp_params_from_affine(const vg_affine *map, int32_t dst_width,
                               int32_t dst_height, vg_edge_mode edge,
                               uint32_t border_rgba, vg_warp_params *out)
{
    if (!map || !out || dst_width < 1 || dst_height < 1 ||
        dst_width > VG_MAX_DIMENSION || dst_height > VG_MAX_DIMENSION ||
        (edge != VG_EDGE_CLAMP && edge != VG_EDGE_BORDER))
        return VG_ERR_INVALID_ARGUMENT;

    vg_warp_params p = {0};
    /* Quantising the steps to 1/65536 pixel moves the last pixel of a
     * 16384-wide frame by at most 16384 / 2^17 = 1/8 pixel. */
    int err = to_16_16(map->m[0], &p.du_dx);
    if (!err)
        err = to_16_16(map->m[1], &p.du_dy);
    if (!err)
        err = to_16_16(map->m[2], &p.u0);
    if (!err)
        err = to_16_16(map->m[3], &p.dv_dx);
    if (!err)
        err = to_16_16(map->m[4], &p.dv_dy);
    if (!err)
        err = to_16_16(map->m[5], &p.v0);
    if (err)
        return err;
    if (!corners_fit(p.u0, p.du_dx, p.du_dy, dst_width, dst_height) ||
        !corners_fit(p.v0, p.dv_dx, p.dv_dy, dst_width, dst_height))
        return VG_ERR_LIMIT;
    p.edge = (uint32_t)edge;
    p.border_rgba = border_rgba;
    *out = p;
    return 0;
}

/* t clamped to [0, 1], NaN taken as 0. */
static double clamp_unit(double t)
{
    return t > 0.0 ? (t < 1.0 ? t : 1.0) : 0.0;
}

uint32_t vg_crossfade_weight(double t)
{
    return (uint32_t)lround(clamp_unit(t) * 256.0);
}

double vg_ease(vg_easing easing, double t)
{
    t = clamp_unit(t);
    switch (easing) {
    case VG_EASE_IN:
        return t * t;
    case VG_EASE_OUT:
        return t * (2.0 - t);
    case VG_EASE_IN_OUT:
        return t * t * (3.0 - 2.0 * t);
    case VG_EASE_LINEAR:
    default: /* unknown curves fall back to linear */
        return t;
    }
}

/*
 * cases.c - the operations vgbench measures and their inputs.
 *
 * Inputs are realistic, non-zero pictures (the reference testsrc and bars
 * patterns, a varying alpha): some hosts move all-zero data unusually fast
 * (docs/design.md, "Measuring").  The reference output of each case is kept
 * so the peers' results can be compared with it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vg/image.h"
#include "vg/params.h"
#include "vg_reference.h"
#include "vgbench.h"

#define VGB_CASE_NAME_(id, name) [VGB_##id] = name,
const char *const vgb_kernel_names[VGB_KERNEL_COUNT] = {
    VGB_CASES(VGB_CASE_NAME_)};
#undef VGB_CASE_NAME_

bool vgb_case_selected(const vgb_case *c, const char *only)
{
    if (!only)
        return true;
    size_t n = strlen(c->name);
    for (const char *p = only; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, c->name, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

int vgb_image_max_diff(const vg_image *a, const vg_image *b)
{
    int worst = 0;
    for (int p = 0; p < vg_plane_count(a->format); p++) {
        int32_t w, h;
        vg_plane_size(a->format, a->width, a->height, p, &w, &h);
        int32_t row = vg_plane_row_bytes(a->format, a->width, p);
        for (int32_t y = 0; y < h; y++) {
            const uint8_t *ra = a->data[p] + (size_t)y * (size_t)a->stride[p];
            const uint8_t *rb = b->data[p] + (size_t)y * (size_t)b->stride[p];
            for (int32_t i = 0; i < row; i++) {
                int d = abs((int)ra[i] - (int)rb[i]);
                worst = d > worst ? d : worst;
            }
        }
    }
    return worst;
}

/* Q14 Gaussian taps for an explicit kernel size, as OpenCV's
 * GaussianBlur(ksize, sigma) would use, normalised like
 * vg_blur_params_from_sigma (the centre tap absorbs the rounding). */
static void blur_taps(vg_blur_params *p, int32_t ksize, double sigma)
{
    memset(p, 0, sizeof *p);
    p->radius = ksize / 2;
    double g[2 * VG_BLUR_MAX_RADIUS + 1], sum = 0;
    for (int32_t k = -p->radius; k <= p->radius; k++)
        sum += g[k + p->radius] = exp(-(double)k * k / (2 * sigma * sigma));
    int32_t total = 0;
    for (int32_t k = 0; k <= 2 * p->radius; k++) {
        if (k == p->radius)
            continue;
        p->taps[k] = (int16_t)lround(g[k] / sum * 16384);
        total += p->taps[k];
    }
    p->taps[p->radius] = (int16_t)(16384 - total);
}

static int pattern_image(vg_image *img, int32_t w, int32_t h,
                         vg_pattern_kind kind, uint32_t frame)
{
    int rc = vg_image_alloc(VG_FORMAT_RGBA8, w, h, img);
    if (rc != 0)
        return rc;
    vg_pattern_params p = {.kind = kind, .frame_index = frame};
    vg_ref_pattern(img, &p, 0, h);
    return 0;
}

/* Alpha varying across the frame, so alpha-over blends for real. */
static void vary_alpha(vg_image *img)
{
    for (int32_t y = 0; y < img->height; y++)
        for (int32_t x = 0; x < img->width; x++)
            img->data[0]
                     [(size_t)y * (size_t)img->stride[0] + 4 * (size_t)x + 3] =
                (uint8_t)((x + 2 * y) * 255 / (img->width + 2 * img->height));
}

static int fill_inputs(vgb_case *c)
{
    int rc = 0;
    for (int s = 0; s < c->sets && rc == 0; s++) {
        uint32_t frame = 7 + 13 * (uint32_t)s;
        switch (c->kernel) {
        case VGB_PATTERN:
            break;
        case VGB_I420_TO_RGBA: {
            vg_image rgba;
            rc = pattern_image(&rgba, c->width, c->height, VG_PATTERN_TESTSRC,
                               frame);
            if (rc == 0)
                rc = vg_image_alloc(VG_FORMAT_I420, c->width, c->height,
                                    &c->src[s]);
            if (rc == 0)
                vg_ref_rgba_to_i420(&c->src[s], &rgba, &c->color, 0, c->height);
            vg_image_free(&rgba);
            break;
        }
        default:
            rc = pattern_image(&c->src[s], c->src_width, c->src_height,
                               VG_PATTERN_TESTSRC, frame);
            if (rc == 0 &&
                (c->kernel == VGB_CROSSFADE || c->kernel == VGB_ALPHA_OVER)) {
                vary_alpha(&c->src[s]);
                rc = pattern_image(&c->src2[s], c->width, c->height,
                                   VG_PATTERN_BARS, frame);
            }
        }
    }
    return rc;
}

/* vg's reference output for set 0. */
static int fill_want(vgb_case *c)
{
    vg_pixel_format format =
        c->kernel == VGB_RGBA_TO_I420 ? VG_FORMAT_I420 : VG_FORMAT_RGBA8;
    int rc = vg_image_alloc(format, c->width, c->height, &c->want);
    if (rc != 0)
        return rc;
    const vg_image *src = &c->src[0];
    switch (c->kernel) {
    case VGB_PATTERN:
        vg_ref_pattern(&c->want, &c->pattern, 0, c->height);
        break;
    case VGB_WARP_DOWN:
    case VGB_WARP_UP:
        vg_ref_warp(&c->want, src, &c->warp, 0, c->height);
        break;
    case VGB_CROSSFADE:
    case VGB_ALPHA_OVER:
        vg_ref_blend(&c->want, src, &c->src2[0], &c->blend, 0, c->height);
        break;
    case VGB_BLUR5:
    case VGB_BLUR19: {
        void *scratch = malloc(
            vg_ref_blur_scratch_size(c->width, c->height, c->blur.radius));
        if (!scratch)
            return VG_ERR_NO_MEMORY;
        vg_ref_blur(&c->want, src, &c->blur, 0, c->height, scratch);
        free(scratch);
        break;
    }
    case VGB_RGBA_TO_I420:
        vg_ref_rgba_to_i420(&c->want, src, &c->color, 0, c->height);
        break;
    case VGB_I420_TO_RGBA:
        vg_ref_i420_to_rgba(&c->want, src, &c->color, 0, c->height);
        break;
    default:
        break;
    }
    return 0;
}

static void describe(vgb_case *c, vgb_kernel k)
{
    const size_t frame = 1920u * 1080u * 4u, i420 = 1920u * 1080u * 3u / 2u;
    c->kernel = k;
    c->name = vgb_kernel_names[k];
    c->width = c->src_width = 1920;
    c->height = c->src_height = 1080;
    vg_color_params_init(VG_MATRIX_BT601, VG_RANGE_LIMITED, &c->color);
    switch (k) {
    case VGB_PATTERN:
        c->pattern =
            (vg_pattern_params){.kind = VG_PATTERN_TESTSRC, .frame_index = 42};
        c->bytes_moved = frame;
        break;
    case VGB_WARP_DOWN:
    case VGB_WARP_UP: {
        c->src_width = k == VGB_WARP_DOWN ? 3840 : 1280;
        c->src_height = k == VGB_WARP_DOWN ? 2160 : 720;
        vg_affine m = vg_affine_camera(
            c->width, c->height, (double)c->width / c->src_width, 0,
            (c->src_width - 1) / 2.0, (c->src_height - 1) / 2.0);
        vg_warp_params_from_affine(&m, c->width, c->height, VG_EDGE_CLAMP, 0,
                                   &c->warp);
        c->bytes_moved =
            frame + (size_t)c->src_width * (size_t)c->src_height * 4;
        break;
    }
    case VGB_CROSSFADE:
        c->blend = (vg_blend_params){.mode = VG_BLEND_CROSSFADE, .weight = 100};
        c->bytes_moved = 3 * frame;
        break;
    case VGB_ALPHA_OVER:
        c->blend = (vg_blend_params){.mode = VG_BLEND_ALPHA_OVER};
        c->bytes_moved = 3 * frame;
        break;
    case VGB_BLUR5:
    case VGB_BLUR19:
        c->ksize = k == VGB_BLUR5 ? 5 : 19;
        c->sigma = k == VGB_BLUR5 ? 1.0 : 3.0;
        blur_taps(&c->blur, c->ksize, c->sigma);
        c->bytes_moved = 2 * frame;
        break;
    case VGB_RGBA_TO_I420:
    case VGB_I420_TO_RGBA:
        c->bytes_moved = frame + i420;
        break;
    default: /* memcpy */
        c->bytes_moved = 2 * frame;
        break;
    }
}

int vgb_cases_create(vgb_case **cases_out, size_t *count, int sets)
{
    vgb_case *cases = calloc(VGB_KERNEL_COUNT, sizeof *cases);
    if (!cases)
        return VG_ERR_NO_MEMORY;
    int rc = 0;
    for (int k = 0; k < VGB_KERNEL_COUNT && rc == 0; k++) {
        vgb_case *c = &cases[k];
        describe(c, (vgb_kernel)k);
        c->sets = sets;
        rc = fill_inputs(c);
        if (rc == 0 && c->kernel != VGB_MEMCPY)
            rc = fill_want(c);
    }
    *cases_out = cases;
    *count = VGB_KERNEL_COUNT;
    return rc;
}

void vgb_cases_destroy(vgb_case **cases, size_t count)
{
    if (!*cases)
        return;
    for (size_t i = 0; i < count; i++) {
        vgb_case *c = &(*cases)[i];
        for (int s = 0; s < c->sets; s++) {
            vg_image_free(&c->src[s]);
            vg_image_free(&c->src2[s]);
        }
        vg_image_free(&c->want);
    }
    free(*cases);
    *cases = NULL;
}

/*
 * blur.c - what blur accepts and the cases it is checked on: Gaussians of
 * every size class up to the largest radius, random valid taps, the most
 * lopsided taps at radius 1 and 64, and the kernel sizes vgbench compares
 * with OpenCV.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "case_marks.h"
#include "vg/params.h"

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

/* How a row's taps are made. */
enum taps_kind {
    TAPS_SIGMA,          /* vg_blur_params_from_sigma(sigma) */
    TAPS_KSIZE,          /* ksize taps of a Gaussian of sigma, as OpenCV's */
    TAPS_RANDOM,         /* random radius, random valid taps */
    TAPS_EXTREME_MAX,    /* radius 64, all weight at the centre and ends */
    TAPS_EXTREME_RADIUS1 /* radius 1, likewise */
};

static const struct blur_row {
    unsigned users;
    enum taps_kind taps;
    double sigma;
    int32_t ksize;
    const char *bench_name;
} rows[] = {
    /* the self-test: radii 1, 3, 12 and 63 (wider than its strip is tall) */
    {S | A, TAPS_SIGMA, 0.3, 0, NULL},
    {S | C | A, TAPS_SIGMA, 1.0, 0, NULL},
    {S, TAPS_SIGMA, 4.0, 0, NULL},
    {S | A, TAPS_SIGMA, 21.0, 0, NULL},
    {C | A, TAPS_SIGMA, 0.5, 0, NULL},
    {A, TAPS_SIGMA, 1.7, 0, NULL},
    {C | A | L, TAPS_SIGMA, 3.0, 0, NULL},
    {A, TAPS_SIGMA, 6.0, 0, NULL},
    {A, TAPS_SIGMA, 10.5, 0, NULL},
    {C, TAPS_SIGMA, VG_BLUR_MAX_SIGMA, 0, NULL},
    {A, TAPS_RANDOM, 0, 0, NULL},
    {A, TAPS_EXTREME_MAX, 0, 0, NULL},
    {A, TAPS_EXTREME_RADIUS1, 0, 0, NULL},
    {B, TAPS_KSIZE, 1.0, 5, "blur5"},
    {B, TAPS_KSIZE, 3.0, 19, "blur19"},
};

static unsigned users(size_t i)
{
    return rows[i].users;
}

/* Q14 Gaussian taps for an explicit kernel size, as OpenCV's
 * GaussianBlur(ksize, sigma) would use, normalised like
 * vg_blur_params_from_sigma (the centre tap absorbs the rounding). */
static void ksize_taps(vg_blur_params *p, int32_t ksize, double sigma)
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

void vg_kc_random_blur_taps(vg_blur_params *p, int32_t radius, uint32_t *s,
                            bool extreme)
{
    memset(p, 0, sizeof *p);
    p->radius = radius;
    int32_t side = 0;
    for (int32_t k = 0; k < radius; k++) {
        int32_t room = 8191 - side;
        int32_t t = extreme ? (k == 0 ? room : 0)
                            : vg_kc_random_range(s, 0, room / (radius - k));
        p->taps[k] = p->taps[2 * radius - k] = (int16_t)t;
        side += t;
    }
    p->taps[radius] = (int16_t)(16384 - 2 * side);
}

static int make(size_t i, const vg_case_geometry *g, vg_kernel_case *out)
{
    static const char *const kinds[] = {"sigma", "ksize", "random taps",
                                        "extreme taps", "extreme taps"};
    const struct blur_row *r = &rows[i];
    uint32_t seed = g->seed;
    *out = (vg_kernel_case){.bench_name = r->bench_name,
                            .bench_setting = r->sigma};
    vg_blur_params *p = &out->params.blur;
    switch (r->taps) {
    case TAPS_SIGMA:
        if (vg_blur_params_from_sigma(r->sigma, p) != 0)
            return VG_CASE_SKIP;
        break;
    case TAPS_KSIZE:
        ksize_taps(p, r->ksize, r->sigma);
        break;
    case TAPS_RANDOM:
        vg_kc_random_blur_taps(
            p, vg_kc_random_range(&seed, 1, VG_BLUR_MAX_RADIUS), &seed, 0);
        break;
    case TAPS_EXTREME_MAX:
        vg_kc_random_blur_taps(p, VG_BLUR_MAX_RADIUS, &seed, 1);
        break;
    case TAPS_EXTREME_RADIUS1:
        vg_kc_random_blur_taps(p, 1, &seed, 1);
        break;
    }
    snprintf(out->label, sizeof out->label, "%s %g, radius %d", kinds[r->taps],
             r->sigma, (int)p->radius);
    return 0;
}

static void call(vg_kernel_fn fn, const vg_image *dst,
                 const vg_image *const src[2], const vg_kernel_params *p,
                 int32_t y0, int32_t y1, void *scratch)
{
    ((vg_blur_fn)fn)(dst, src[0], &p->blur, y0, y1, scratch);
}

static size_t scratch_size(int32_t width, int32_t rows_,
                           const vg_kernel_params *p)
{
    return vg_ref_blur_scratch_size(width, rows_, p->blur.radius);
}

const vg_kernel_cases vg_blur_cases = {
    .count = VG_KC_COUNT(rows),
    .users = users,
    .make = make,
    .call = call,
    .reference = (vg_kernel_fn)vg_ref_blur,
    .scratch_size = scratch_size,
};

/*
 * cases.c - the operations vgbench measures and their inputs.
 *
 * Inputs are realistic, non-zero pictures (the reference testsrc and bars
 * patterns, a varying alpha): some hosts move all-zero data unusually fast
 * (docs/design.md, "Measuring").  The reference output of each case is kept
 * so the peers' results can be compared with it.  The operations are
 * the kernels' VG_CASE_BENCH rows (core/reference/cases/<kernel>.c).
 */
#include <stdlib.h>
#include <string.h>

#include "vg/image.h"
#include "vg/params.h"
#include "vg_reference.h"
#include "vgbench.h"

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

/* A realistic picture of `format`: testsrc (or bars), converted to I420
 * in BT.601 limited range when asked for. */
static int picture(vg_image *img, vg_pixel_format format, int32_t w, int32_t h,
                   vg_pattern_kind kind, uint32_t frame)
{
    vg_image rgba;
    int rc = vg_image_alloc(VG_FORMAT_RGBA8, w, h, &rgba);
    if (rc != 0)
        return rc;
    vg_pattern_params p = {.kind = kind, .frame_index = frame};
    vg_ref_pattern(&rgba, &p, 0, h);
    if (format == VG_FORMAT_RGBA8) {
        *img = rgba;
        return 0;
    }
    vg_color_params color;
    vg_color_params_init(VG_MATRIX_BT601, VG_RANGE_LIMITED, &color);
    rc = vg_image_alloc(format, w, h, img);
    if (rc == 0)
        vg_ref_rgba_to_i420(img, &rgba, &color, 0, h);
    vg_image_free(&rgba);
    return rc;
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

/* Every set's sources (testsrc, then bars for a second source whose first
 * then gets a varying alpha), then vg's reference output for set 0. */
static int fill_inputs(vgb_case *c)
{
    const vg_kernel_spec *spec = c->spec;
    int rc = 0;
    for (int s = 0; s < c->sets && rc == 0; s++) {
        uint32_t frame = 7 + 13 * (uint32_t)s;
        if (spec->sources > 0)
            rc = picture(&c->src[s], spec->src_format, c->src_width,
                         c->src_height, VG_PATTERN_TESTSRC, frame);
        if (rc == 0 && spec->sources > 1) {
            vary_alpha(&c->src[s]);
            rc = picture(&c->src2[s], spec->src_format, c->src_width,
                         c->src_height, VG_PATTERN_BARS, frame);
        }
    }
    if (rc == 0)
        rc = vg_image_alloc(spec->dst_format, c->width, c->height, &c->want);
    const vg_image *src[2] = {&c->src[0], &c->src2[0]};
    if (rc == 0)
        rc = vg_kernel_reference(spec, &c->want, src, &c->params);
    return rc;
}

static size_t frame_bytes(vg_pixel_format format, int32_t w, int32_t h)
{
    size_t pixels = (size_t)w * (size_t)h;
    return format == VG_FORMAT_I420 ? pixels * 3 / 2 : pixels * 4;
}

/* The peers' id of a line, by its name. */
static vgb_kernel kernel_of(const char *name)
{
#define VGB_CASE_NAME_(id, case_name) case_name,
    static const char *const names[VGB_KERNEL_COUNT] = {
        VGB_CASES(VGB_CASE_NAME_)};
#undef VGB_CASE_NAME_
    for (int k = 0; k < VGB_KERNEL_COUNT; k++)
        if (k != VGB_OTHER && strcmp(names[k], name) == 0)
            return (vgb_kernel)k;
    return VGB_OTHER;
}

/* Case i of spec at 1920x1080, with the source size it asks for. */
static int describe(vgb_case *c, const vg_kernel_spec *spec, size_t i)
{
    vg_case_geometry g = {.width = 1920,
                          .height = 1080,
                          .src_width = 1920,
                          .src_height = 1080,
                          .seed = 1};
    vg_kernel_case kc;
    if (spec->cases->make(i, &g, &kc) != 0)
        return VG_ERR_INVALID_ARGUMENT;
    if (spec->any_size && kc.bench_src_width > 0) {
        g.src_width = kc.bench_src_width;
        g.src_height = kc.bench_src_height;
        if (spec->cases->make(i, &g, &kc) != 0)
            return VG_ERR_INVALID_ARGUMENT;
    }
    c->spec = spec;
    c->name = kc.bench_name ? kc.bench_name : spec->name;
    c->kernel = kernel_of(c->name);
    c->width = g.width;
    c->height = g.height;
    c->src_width = g.src_width;
    c->src_height = g.src_height;
    c->params = kc.params;
    c->sigma = kc.bench_setting;
    c->bytes_moved =
        frame_bytes(spec->dst_format, c->width, c->height) +
        (size_t)spec->sources *
            frame_bytes(spec->src_format, c->src_width, c->src_height);
    return 0;
}

/* The VG_CASE_BENCH rows of every kernel, in table order. */
static size_t bench_case_count(void)
{
    size_t n = 0;
    for (size_t k = 0; k < vg_kernel_spec_count; k++)
        n += vg_kernel_case_count(&vg_kernel_specs[k], VG_CASE_BENCH);
    return n;
}

void vgb_print_case_names(FILE *f, int column)
{
    size_t n = bench_case_count() + 1, printed = 0;
    for (size_t k = 0; k <= vg_kernel_spec_count; k++) {
        const vg_kernel_spec *spec =
            k < vg_kernel_spec_count ? &vg_kernel_specs[k] : NULL;
        size_t count = spec ? spec->cases->count : 1;
        for (size_t i = 0; i < count; i++) {
            vgb_case c = {.name = "memcpy"};
            if (spec && (!(spec->cases->users(i) & VG_CASE_BENCH) ||
                         describe(&c, spec, i) != 0))
                continue;
            size_t len = strlen(c.name) + 2;
            if (column + (int)len > 78) {
                fprintf(f, "\n                    ");
                column = 21;
            }
            fprintf(f, " %s%s", c.name, ++printed < n ? "," : "\n");
            column += (int)len;
        }
    }
}

int vgb_cases_create(vgb_case **cases_out, size_t *count, int sets)
{
    size_t n = bench_case_count() + 1;
    vgb_case *cases = calloc(n, sizeof *cases);
    *cases_out = cases;
    *count = 0;
    if (!cases)
        return VG_ERR_NO_MEMORY;
    int rc = 0;
    for (size_t k = 0; k < vg_kernel_spec_count && rc == 0; k++) {
        const vg_kernel_spec *spec = &vg_kernel_specs[k];
        for (size_t i = 0; i < spec->cases->count && rc == 0; i++) {
            if (!(spec->cases->users(i) & VG_CASE_BENCH))
                continue;
            vgb_case *c = &cases[(*count)++];
            c->sets = sets;
            rc = describe(c, spec, i);
            if (rc == 0)
                rc = fill_inputs(c);
        }
    }
    /* memcpy last: one RGBA frame */
    vgb_case *m = &cases[(*count)++];
    *m =
        (vgb_case){.kernel = VGB_MEMCPY,
                   .name = "memcpy",
                   .width = 1920,
                   .height = 1080,
                   .src_width = 1920,
                   .src_height = 1080,
                   .sets = sets,
                   .bytes_moved = 2 * frame_bytes(VG_FORMAT_RGBA8, 1920, 1080)};
    for (int s = 0; s < sets && rc == 0; s++)
        rc = picture(&m->src[s], VG_FORMAT_RGBA8, 1920, 1080,
                     VG_PATTERN_TESTSRC, 7 + 13 * (uint32_t)s);
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

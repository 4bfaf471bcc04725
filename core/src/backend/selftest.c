/*
 * selftest.c - prove a backend computes the reference bytes before it is
 * trusted with a job.
 *
 * A driver can accept a kernel and still compute garbage (a miscompiled
 * kernel, a JIT bug, a broken fast path).  Running each kernel on seeded,
 * non-zero input and comparing with the reference catches that before the
 * first frame.  A bug that shows only past some column (a vector or tile
 * path, a wrong stride) needs frames wide enough to reach it, so every
 * case runs at three sizes: 37x23 (odd: edge columns, the last chroma
 * sample, vector tails), 257x131 (one past a power of two: every vector
 * width and a partial 2D tile) and a full-width 1920x8 strip (the widest
 * rows jobs commonly use, at little cost).
 *
 * The cases are each kernel's VG_CASE_SELFTEST rows
 * (core/reference/cases/<kernel>.c): every kernel mode, both patterns, the
 * warp with both edge rules at an upscale, a downscale and a rotation, all
 * three blends, one blur of each size class (radius 1, 3, 12 and 63: the
 * last wider than the strip is tall), and both conversions in every colour
 * matrix and range.  Nothing here names a kernel: it walks vg_kernel_specs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/selftest.h"
#include "vg/image.h"
#include "vg_kernel_cases.h"

/* The sizes every case runs at, in this order; an ANY_SIZE kernel's
 * sources are about three quarters of each. */
static const struct {
    int32_t width, height;
} st_sizes[] = {{37, 23}, {257, 131}, {1920, 8}};

#define ST_COUNT(array) (sizeof(array) / sizeof((array)[0]))

typedef struct selftest {
    int32_t width, height;
    vg_backend *backend;
    char *reason;
    size_t reason_size;
} selftest;

/* Seeded bytes in every plane. */
static void fill_seeded(vg_image *image, uint32_t seed)
{
    uint32_t x = seed;
    for (int p = 0; p < vg_plane_count(image->format); p++) {
        int32_t w, rows;
        vg_plane_size(image->format, image->width, image->height, p, &w, &rows);
        int32_t bytes = vg_plane_row_bytes(image->format, image->width, p);
        for (int32_t y = 0; y < rows; y++) {
            uint8_t *row =
                image->data[p] + (size_t)y * (size_t)image->stride[p];
            for (int32_t i = 0; i < bytes; i++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                row[i] = (uint8_t)(x >> 24);
            }
        }
    }
}

static int kernel_failed(selftest *st)
{
    snprintf(st->reason, st->reason_size, "self-test: %s",
             vg_backend_last_error(st->backend));
    return VG_ERR_KERNEL;
}

static int out_of_memory(selftest *st)
{
    snprintf(st->reason, st->reason_size, "self-test: out of memory");
    return VG_ERR_NO_MEMORY;
}

/* Download `frame` and compare it with `expected`; `what` names the kernel
 * and `label` the case (NULL: none). */
static int compare(selftest *st, const char *what, const char *label,
                   const vg_backend_frame *frame, const vg_image *expected)
{
    vg_image got;
    if (vg_image_alloc(expected->format, expected->width, expected->height,
                       &got) != 0)
        return out_of_memory(st);
    int rc = vg_backend_download(st->backend, frame, &got);
    int plane = 0;
    int32_t x = 0, y = 0;
    if (rc != 0)
        rc = kernel_failed(st);
    else if (!vg_image_equal(&got, expected, &plane, &x, &y)) {
        snprintf(
            st->reason, st->reason_size,
            "self-test: %s output differs from the reference at %dx%d "
            "(plane %d, row %d, byte %d: got %u, expected %u)%s%s",
            what, st->width, st->height, plane, y, x,
            got.data[plane][(size_t)y * (size_t)got.stride[plane] + (size_t)x],
            expected->data[plane][(size_t)y * (size_t)expected->stride[plane] +
                                  (size_t)x],
            label ? " in case: " : "", label ? label : "");
        rc = VG_ERR_MISMATCH;
    }
    vg_image_free(&got);
    return rc;
}

/* A frame on the backend and its bytes on the host. */
typedef struct st_frame {
    vg_image host;
    vg_backend_frame *dev;
} st_frame;

static int st_frame_alloc(selftest *st, vg_pixel_format format, int32_t w,
                          int32_t h, st_frame *f)
{
    if (vg_image_alloc(format, w, h, &f->host) != 0)
        return out_of_memory(st);
    if (vg_backend_frame_alloc(st->backend, format, w, h, &f->dev) != 0)
        return kernel_failed(st);
    return 0;
}

static void st_frame_free(selftest *st, st_frame *f)
{
    vg_backend_frame_free(st->backend, &f->dev);
    vg_image_free(&f->host);
}

/* Every self-test case of one kernel at st's size: seeded sources, uploaded
 * once, then each case's reference against the backend's bytes. */
static int run_kernel(selftest *st, const vg_kernel_spec *spec)
{
    static const uint32_t seeds[2] = {0x1234567u, 0x89abcdeu};
    const vg_kernel_cases *cases = spec->cases;
    vg_case_geometry g = {.width = st->width,
                          .height = st->height,
                          .src_width = st->width,
                          .src_height = st->height};
    if (spec->any_size) {
        g.src_width = st->width * 3 / 4 + 1;
        g.src_height = st->height * 3 / 4 + 1;
    }
    st_frame src[2], out;
    memset(src, 0, sizeof src);
    memset(&out, 0, sizeof out);
    int rc = st_frame_alloc(st, spec->dst_format, st->width, st->height, &out);
    for (int s = 0; rc == 0 && s < spec->sources; s++) {
        rc = st_frame_alloc(st, spec->src_format, g.src_width, g.src_height,
                            &src[s]);
        if (rc == 0) {
            fill_seeded(&src[s].host, seeds[s]);
            if (vg_backend_upload(st->backend, src[s].dev, &src[s].host) != 0)
                rc = kernel_failed(st);
        }
    }
    const vg_image *hosts[2] = {&src[0].host, &src[1].host};
    vg_backend_frame *const devs[2] = {src[0].dev, src[1].dev};
    for (size_t i = 0; rc == 0 && i < cases->count; i++) {
        if (!(cases->users(i) & VG_CASE_SELFTEST))
            continue;
        vg_kernel_case c;
        g.seed = (uint32_t)i + 1;
        if (cases->make(i, &g, &c) != 0) {
            snprintf(st->reason, st->reason_size,
                     "self-test: cannot build %s case %zu at %dx%d", spec->name,
                     i, st->width, st->height);
            rc = VG_ERR_INVALID_ARGUMENT;
        } else if (vg_kernel_reference(spec, &out.host, hosts, &c.params) != 0)
            rc = out_of_memory(st);
        else if (spec->run(st->backend, out.dev, devs, &c.params) != 0)
            rc = kernel_failed(st);
        else
            rc = compare(st, spec->name, c.label, out.dev, &out.host);
    }
    for (int s = 0; s < 2; s++)
        st_frame_free(st, &src[s]);
    st_frame_free(st, &out);
    return rc;
}

int vg_selftest_kernel_calls(void)
{
    size_t calls = 0;
    for (size_t k = 0; k < vg_kernel_spec_count; k++)
        calls += vg_kernel_case_count(&vg_kernel_specs[k], VG_CASE_SELFTEST);
    return (int)(ST_COUNT(st_sizes) * calls);
}

/* The frame copies, then every kernel in table order. */
static int run_checks(selftest *st)
{
    st_frame f;
    memset(&f, 0, sizeof f);
    int rc = st_frame_alloc(st, VG_FORMAT_RGBA8, st->width, st->height, &f);
    if (rc == 0) {
        fill_seeded(&f.host, 0x1234567u);
        if (vg_backend_upload(st->backend, f.dev, &f.host) != 0)
            rc = kernel_failed(st);
    }
    if (rc == 0)
        rc = compare(st, "frame_upload/frame_download", NULL, f.dev, &f.host);
    st_frame_free(st, &f);
    /* A kernel appended after the ABI version the plugin claims is not
     * the plugin's to compute: it is skipped here, and a job that needs it
     * fails over (vg_backend_provides). */
    for (size_t k = 0; rc == 0 && k < vg_kernel_spec_count; k++)
        if (vg_backend_provides(st->backend, vg_kernel_specs[k].name))
            rc = run_kernel(st, &vg_kernel_specs[k]);
    return rc;
}

int vg_selftest_run(vg_backend *backend, char *reason, size_t reason_size)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ST_COUNT(st_sizes); i++) {
        selftest st = {.width = st_sizes[i].width,
                       .height = st_sizes[i].height,
                       .backend = backend,
                       .reason = reason,
                       .reason_size = reason_size};
        rc = run_checks(&st);
    }
    return rc;
}

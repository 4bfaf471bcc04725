/*
 * snapshot.c - vgrun --snapshot N:FILE.png: one frame as a picture.
 *
 * The picture is the frame as the video holds it (after RGBA -> I420),
 * converted back to RGB the way a player shows it: chroma upsampled
 * bilinearly from the centre of each 2x2 block (where vg's RGBA -> I420
 * puts it, as the encoded stream's chroma location says), then the job's
 * matrix and range.  Nearest-neighbour chroma, which the reference
 * i420_to_rgba kernel uses, is further from the rendered RGB (27.88 against
 * 28.40 dB PSNR on a testsrc frame, tests/test_vgrun_output.c).
 */
#include <stdio.h>

#include "vg/image.h"
#include "vg/image_io.h"
#include "vg/params.h"
#include "vg/pixel_math.h"
#include "vgrun.h"

/* The two chroma samples nearest output column (or row) `x` and the weight
 * of the first, in quarters: sample j sits at 2j + 0.5 in output pixels,
 * so x = 2k is 3/4 of k and 1/4 of k - 1, x = 2k + 1 is 3/4 of k and 1/4
 * of k + 1; samples past the edge repeat the edge. */
static void chroma_taps(int32_t x, int32_t chroma_size, int32_t *near,
                        int32_t *far)
{
    int32_t k = x / 2;
    int32_t other = x % 2 ? k + 1 : k - 1;
    if (other < 0)
        other = 0;
    if (other >= chroma_size)
        other = chroma_size - 1;
    *near = k;
    *far = other;
}

/* Bilinear, centred: (9 near + 3 + 3 + 1 far) / 16, rounded. */
static uint8_t chroma_at(const vg_image *img, int plane, int32_t x, int32_t y,
                         int32_t cw, int32_t ch)
{
    int32_t x0, x1, y0, y1;
    chroma_taps(x, cw, &x0, &x1);
    chroma_taps(y, ch, &y0, &y1);
    const uint8_t *r0 =
        img->data[plane] + (size_t)y0 * (size_t)img->stride[plane];
    const uint8_t *r1 =
        img->data[plane] + (size_t)y1 * (size_t)img->stride[plane];
    int sum = 9 * r0[x0] + 3 * r0[x1] + 3 * r1[x0] + r1[x1];
    return (uint8_t)((sum + 8) >> 4);
}

static void i420_to_rgba_bilinear(vg_image *dst, const vg_image *src,
                                  const vg_color_params *p)
{
    int32_t cw, ch;
    vg_plane_size(VG_FORMAT_I420, src->width, src->height, 1, &cw, &ch);
    for (int32_t y = 0; y < src->height; y++) {
        const uint8_t *yr = src->data[0] + (size_t)y * (size_t)src->stride[0];
        uint8_t *out = dst->data[0] + (size_t)y * (size_t)dst->stride[0];
        for (int32_t x = 0; x < src->width; x++) {
            int32_t luma = vg_pm_luma_term(yr[x], p->y_scale, p->y_offset);
            uint8_t u = chroma_at(src, 1, x, y, cw, ch);
            uint8_t v = chroma_at(src, 2, x, y, cw, ch);
            uint8_t *o = out + 4 * (size_t)x;
            o[0] = vg_pm_yuv_to_channel(luma, 0, u, p->r_v, v);
            o[1] = vg_pm_yuv_to_channel(luma, p->g_u, u, p->g_v, v);
            o[2] = vg_pm_yuv_to_channel(luma, p->b_u, u, 0, v);
            o[3] = 255;
        }
    }
}

int vgrun_write_snapshot(const char *path, const vg_image *i420,
                         const vg_job_info *job, char *err, size_t err_size)
{
    vg_color_params color;
    vg_image rgba;
    int rc = vg_color_params_init(job->matrix, job->range, &color);
    if (rc == 0)
        rc = vg_image_alloc(VG_FORMAT_RGBA8, i420->width, i420->height, &rgba);
    if (rc != 0) {
        snprintf(err, err_size, "%s: %s", path, vg_strerror(rc));
        return rc;
    }
    i420_to_rgba_bilinear(&rgba, i420, &color);
    rc = vg_image_write_png(path, &rgba, err, err_size);
    vg_image_free(&rgba);
    return rc;
}

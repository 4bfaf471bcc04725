/*
 * snapshot.c - vgrun --snapshot N:FILE.png: one frame as a picture.
 *
 * The picture is the frame as the video holds it (after RGBA -> I420),
 * converted back with the reference I420 -> RGBA kernel, so it shows what a
 * player shows, chroma subsampling included.
 */
#include <stdio.h>

#include "vg/image.h"
#include "vg/image_io.h"
#include "vg/params.h"
#include "vg_reference.h"
#include "vgrun.h"

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
    vg_ref_i420_to_rgba(&rgba, i420, &color, 0, i420->height);
    rc = vg_image_write_png(path, &rgba, err, err_size);
    vg_image_free(&rgba);
    return rc;
}

/*
 * test_job_image.c - vg/image_io.h: PNG and JPEG pictures to RGBA8 (every
 * PNG kind, round trips), and corrupt, truncated, foreign and oversized
 * files reported as errors naming the file, with nothing printed.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/image.h"
#include "vg/image_io.h"

#define FIXTURES VG_TEST_SOURCE_DIR "/tests/fixtures/jobs"

static void expect_pixels(const char *name, const uint8_t *rgba, int32_t w,
                          int32_t h)
{
    char err[512] = "";
    vg_image img;
    int rc = vg_image_read(name, &img, err, sizeof err);
    cr_assert_eq(rc, 0, "%s: %s", name, err);
    cr_assert_eq(img.format, VG_FORMAT_RGBA8);
    cr_assert_eq(img.width, w);
    cr_assert_eq(img.height, h);
    for (int32_t y = 0; y < h; y++)
        for (int32_t x = 0; x < 4 * w; x++)
            cr_assert_eq(img.data[0][y * img.stride[0] + x],
                         rgba[(y * w) * 4 + x], "%s: byte %d of row %d", name,
                         x, y);
    vg_image_free(&img);
}

Test(image_read, expands_every_png_kind_to_rgba8)
{
    const uint8_t grey8[] = {0,   0,   0,   255, 128, 128, 128, 255,
                             255, 255, 255, 255, 10,  10,  10,  255,
                             20,  20,  20,  255, 30,  30,  30,  255};
    expect_pixels(FIXTURES "/grey8.png", grey8, 3, 2);
    const uint8_t grey_alpha[] = {50,  50,  50,  0,   100, 100, 100, 128,
                                  200, 200, 200, 255, 50,  50,  50,  0,
                                  100, 100, 100, 128, 200, 200, 200, 255};
    expect_pixels(FIXTURES "/grey_alpha.png", grey_alpha, 3, 2);
    const uint8_t palette[] = {255, 0,   0,   255, 0,   255, 0,   255,
                               0,   0,   255, 64,  0,   0,   255, 64,
                               0,   255, 0,   255, 255, 0,   0,   255};
    expect_pixels(FIXTURES "/palette_trns.png", palette, 3, 2);
    uint8_t rgb16[24];
    for (int i = 0; i < 6; i++)
        memcpy(rgb16 + 4 * i, (uint8_t[]){18, 239, 128, 255}, 4);
    expect_pixels(FIXTURES "/rgb16.png", rgb16, 3, 2);
    const uint8_t grey1[] = {255, 255, 255, 255, 0, 0, 0, 255,
                             255, 255, 255, 255, 0, 0, 0, 255,
                             255, 255, 255, 255, 0, 0, 0, 255};
    expect_pixels(FIXTURES "/grey1.png", grey1, 3, 2);
}

/* A random 37x23 RGBA picture: an odd size, alpha varying. */
static vg_image random_picture(uint32_t seed)
{
    vg_image img;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, 37, 23, &img), 0);
    for (int32_t y = 0; y < img.height; y++)
        vgt_fill_random(img.data[0] + y * img.stride[0], 4 * 37, seed + y);
    return img;
}

Test(image_read, png_round_trip_is_exact)
{
    char *dir = vgt_make_temp_dir("png");
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/p.png", dir);
    vg_image img = random_picture(5);
    cr_assert_eq(vg_image_write_png(path, &img, err, sizeof err), 0, "%s", err);
    vg_image back;
    cr_assert_eq(vg_image_read(path, &back, err, sizeof err), 0, "%s", err);
    cr_assert(vg_image_equal(&img, &back, NULL, NULL, NULL));
    vg_image_free(&img);
    vg_image_free(&back);
    free(dir);
}

Test(image_read, jpeg_round_trip_is_close_and_opaque)
{
    char *dir = vgt_make_temp_dir("jpeg");
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/p.jpg", dir);
    vg_image img;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, 33, 17, &img), 0);
    for (int32_t y = 0; y < 17; y++) /* smooth, so JPEG keeps it close */
        for (int32_t x = 0; x < 33; x++)
            memcpy(img.data[0] + y * img.stride[0] + 4 * x,
                   (uint8_t[]){(uint8_t)(x * 7), (uint8_t)(y * 14), 90, 17}, 4);
    cr_assert_eq(vg_image_write_jpeg(path, &img, 95, err, sizeof err), 0, "%s",
                 err);
    vg_image back;
    cr_assert_eq(vg_image_read(path, &back, err, sizeof err), 0, "%s", err);
    cr_assert_eq(back.width, 33);
    cr_assert_eq(back.height, 17);
    for (int32_t y = 0; y < 17; y++)
        for (int32_t x = 0; x < 33; x++) {
            const uint8_t *a = img.data[0] + y * img.stride[0] + 4 * x;
            const uint8_t *b = back.data[0] + y * back.stride[0] + 4 * x;
            for (int c = 0; c < 3; c++)
                cr_assert_leq(abs(a[c] - b[c]), 12, "(%d, %d) channel %d", x, y,
                              c);
            cr_assert_eq(b[3], 255, "JPEG has no alpha: opaque");
        }
    vg_image_free(&img);
    vg_image_free(&back);
    free(dir);
}

/* Read `path` expecting failure `code` with exactly `message`. */
static void expect_error(const char *path, int code, const char *message)
{
    char err[512] = "";
    vg_image img = {0};
    int rc = vg_image_read(path, &img, err, sizeof err);
    cr_assert_eq(rc, code, "%s: got %d (%s)", path, rc, err);
    cr_assert_str_eq(err, message);
    cr_assert_null(img.data[0], "nothing left allocated");
}

/* A copy of `src` cut to `keep` bytes, or with byte `flip` inverted. */
static char *damaged_copy(const char *dir, const char *name, const char *src,
                          size_t keep, long flip)
{
    size_t size = 0;
    char *data = vgt_read_file(src, &size);
    cr_assert_not_null(data);
    if (flip >= 0)
        data[flip] = (char)~data[flip];
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/%s", dir, name), 0);
    vgt_write_file(path, data, keep < size ? keep : size);
    free(data);
    return path;
}

Test(image_read, corrupt_and_truncated_files_are_errors)
{
    char *dir = vgt_make_temp_dir("damaged");
    char good_png[1024], good_jpg[1024], err[512], expected[1200];
    snprintf(good_png, sizeof good_png, "%s/good.png", dir);
    snprintf(good_jpg, sizeof good_jpg, "%s/good.jpg", dir);
    vg_image img = random_picture(9);
    cr_assert_eq(vg_image_write_png(good_png, &img, err, sizeof err), 0);
    cr_assert_eq(vg_image_write_jpeg(good_jpg, &img, 90, err, sizeof err), 0);
    vg_image_free(&img);
    size_t png_size = 0, jpg_size = 0;
    free(vgt_read_file(good_png, &png_size));
    free(vgt_read_file(good_jpg, &jpg_size));

    char *cut = damaged_copy(dir, "cut.png", good_png, png_size / 2, -1);
    snprintf(expected, sizeof expected,
             "%s: truncated PNG file (unexpected end of file)", cut);
    expect_error(cut, VG_ERR_IO, expected);
    free(cut);

    /* Cut just before IEND: every pixel is there, the file is not. */
    cut = damaged_copy(dir, "noend.png", good_png, png_size - 12, -1);
    snprintf(expected, sizeof expected,
             "%s: truncated PNG file (unexpected end of file)", cut);
    expect_error(cut, VG_ERR_IO, expected);
    free(cut);

    /* A flipped byte inside IHDR breaks its CRC. */
    char *bad = damaged_copy(dir, "crc.png", good_png, SIZE_MAX, 20);
    snprintf(expected, sizeof expected,
             "%s: corrupt PNG data (IHDR: CRC error)", bad);
    expect_error(bad, VG_ERR_IO, expected);
    free(bad);

    cut = damaged_copy(dir, "cut.jpg", good_jpg, jpg_size / 2, -1);
    snprintf(expected, sizeof expected,
             "%s: corrupt JPEG data (Premature end of JPEG file)", cut);
    expect_error(cut, VG_ERR_IO, expected);
    free(cut);
    free(dir);
}

Test(image_read, foreign_missing_and_oversized_files)
{
    char *dir = vgt_make_temp_dir("foreign");
    char path[1024], expected[1200];
    snprintf(path, sizeof path, "%s/notes.png", dir);
    vgt_write_file(path, "GIF89a not really", 17);
    snprintf(expected, sizeof expected, "%s: not a PNG or JPEG picture", path);
    expect_error(path, VG_ERR_UNSUPPORTED, expected);

    vgt_write_file(path, "", 0);
    snprintf(expected, sizeof expected,
             "%s: empty file, not a PNG or JPEG picture", path);
    expect_error(path, VG_ERR_UNSUPPORTED, expected);

    snprintf(path, sizeof path, "%s/absent.jpg", dir);
    snprintf(expected, sizeof expected,
             "%s: cannot open: No such file or directory", path);
    expect_error(path, VG_ERR_IO, expected);

    expect_error(FIXTURES "/too_wide.png", VG_ERR_LIMIT,
                 FIXTURES "/too_wide.png: 20000 x 1 is larger than the "
                          "16384 x 16384 limit");
    free(dir);
}

/* libpng and libjpeg print nothing of their own: run a bad read in a
 * child (vgrun reading a job whose picture is damaged) and look at its
 * stderr. */
Test(image_read, decoders_print_nothing)
{
    char *dir = vgt_make_temp_dir("quiet");
    char pic[1024], job[1024], err[512];
    snprintf(pic, sizeof pic, "%s/p.jpg", dir);
    snprintf(job, sizeof job, "%s/job.yaml", dir);
    vg_image img = random_picture(3);
    cr_assert_eq(vg_image_write_jpeg(pic, &img, 90, err, sizeof err), 0);
    vg_image_free(&img);
    size_t size = 0;
    char *data = vgt_read_file(pic, &size);
    vgt_write_file(pic, data, size - 40);
    free(data);
    const char *yaml = "clips:\n  - image: p.jpg\n    frames: 1\n";
    vgt_write_file(job, yaml, strlen(yaml));
    const char *argv[] = {VG_TEST_VGRUN, job,   "-o", "-",
                          "--backend",   "cpu", NULL};
    vgt_run_result r = vgt_run(argv, (const char *const[]){"VG_CONFIG", NULL});
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    char expected[2048];
    snprintf(expected, sizeof expected,
             "vgrun: %s:2:12: clips[0].image: %s/p.jpg: corrupt JPEG data "
             "(Premature end of JPEG file)\n",
             job, dir);
    cr_assert_str_eq(r.err, expected);
    cr_assert_eq(r.out_size, 0);
    vgt_run_result_free(&r);
    free(dir);
}

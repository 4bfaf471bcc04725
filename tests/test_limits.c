/*
 * test_limits.c - bounded inputs: each case is an input that cost
 * gigabytes, minutes or a hang before its limit existed, and must now be an
 * error naming the limit, before the memory or time is spent.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jpeglib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "test_support.h"
#include "vg/config.h"
#include "vg/image.h"
#include "vg/image_io.h"
#include "vg/job.h"

static char err[4096];

static char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

static void expect_contains(const char *text, const char *part)
{
    cr_assert(strstr(text, part), "'%s' not in:\n%s", part, text);
}

/* ---- PNG ----------------------------------------------------------------- */

static size_t put_chunk(unsigned char *out, const char *type,
                        const unsigned char *data, uint32_t length,
                        uint32_t claimed)
{
    unsigned char *p = out;
    p[0] = (unsigned char)(claimed >> 24);
    p[1] = (unsigned char)(claimed >> 16);
    p[2] = (unsigned char)(claimed >> 8);
    p[3] = (unsigned char)claimed;
    memcpy(p + 4, type, 4);
    if (length)
        memcpy(p + 8, data, length);
    uLong crc = crc32(0, p + 4, 4 + length);
    p[8 + length] = (unsigned char)(crc >> 24);
    p[9 + length] = (unsigned char)(crc >> 16);
    p[10 + length] = (unsigned char)(crc >> 8);
    p[11 + length] = (unsigned char)crc;
    return 12 + length;
}

static size_t png_header(unsigned char *out, uint32_t w, uint32_t h)
{
    static const unsigned char sig[8] = {0x89, 'P',  'N',  'G',
                                         '\r', '\n', 0x1a, '\n'};
    memcpy(out, sig, 8);
    unsigned char ihdr[13] = {(unsigned char)(w >> 24),
                              (unsigned char)(w >> 16),
                              (unsigned char)(w >> 8),
                              (unsigned char)w,
                              (unsigned char)(h >> 24),
                              (unsigned char)(h >> 16),
                              (unsigned char)(h >> 8),
                              (unsigned char)h,
                              8,
                              2,
                              0,
                              0,
                              0};
    return 8 + put_chunk(out + 8, "IHDR", ihdr, 13, 13);
}

/* The 41-byte PNG: a text chunk that claims 2 GB, cut after its header.
 * libpng allocated the whole claim before reading it. */
Test(limits_png, oversized_text_chunk)
{
    char *dir = vgt_make_temp_dir("png-chunk");
    unsigned char png[64];
    size_t n = png_header(png, 1, 1);
    const uint32_t claim = 0x7ffffff0u;
    png[n++] = (unsigned char)(claim >> 24);
    png[n++] = (unsigned char)(claim >> 16);
    png[n++] = (unsigned char)(claim >> 8);
    png[n++] = (unsigned char)claim;
    memcpy(png + n, "tEXt", 4);
    n += 4;
    cr_assert_eq(n, 41);
    char *path = path_in(dir, "text.png");
    vgt_write_file(path, png, n);
    vg_image img = {0};
    int rc = vg_image_read(path, &img, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_LIMIT, "rc %d: %s", rc, err);
    expect_contains(err, "limits.png_max_chunk_bytes");
    free(path);
    free(dir);
}

/* Many small text chunks: libpng would keep every one. */
Test(limits_png, too_many_ancillary_chunks)
{
    char *dir = vgt_make_temp_dir("png-cache");
    size_t cap = 64 + 40 * 30;
    unsigned char *png = malloc(cap);
    size_t n = png_header(png, 1, 1);
    for (int i = 0; i < 40; i++)
        n +=
            put_chunk(png + n, "tEXt", (const unsigned char *)"k\0value", 7, 7);
    char *path = path_in(dir, "many.png");
    vgt_write_file(path, png, n);
    vg_limits limits = vg_limits_default();
    limits.png_max_ancillary_chunks = 10;
    vg_image img = {0};
    int rc = vg_image_read_limited(path, &limits, &img, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_LIMIT, "rc %d: %s", rc, err);
    expect_contains(err, "limits.png_max_ancillary_chunks");
    free(png);
    free(path);
    free(dir);
}

/* The 57-byte PNG: a 16384 x 16384 header (1 GiB as RGBA) and no data.
 * Refused from the header, so no pixel memory is allocated: the decode
 * runs under an address-space limit far below 1 GiB. */
Test(limits_png, huge_header_refused_before_allocation)
{
    char *dir = vgt_make_temp_dir("png-huge");
    unsigned char png[64];
    size_t n = png_header(png, 16384, 16384);
    n += put_chunk(png + n, "IDAT", (const unsigned char *)"\x78\x9c", 2, 2);
    char *path = path_in(dir, "huge.png");
    vgt_write_file(path, png, n);
    vg_image img = {0};
    int rc = vg_image_read(path, &img, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_LIMIT, "rc %d: %s", rc, err);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s: 16384 x 16384 is more than the limit of 50000000 pixels "
             "(limits.max_picture_pixels)",
             path);
    cr_assert_str_eq(err, expected);
    free(path);
    free(dir);
}

/* ---- JPEG ---------------------------------------------------------------- */

static void write_jpeg(const char *path, int width, int height,
                       const jpeg_scan_info *scans, int scan_count)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)width;
    c.image_height = (JDIMENSION)height;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    if (scans) {
        c.scan_info = scans;
        c.num_scans = scan_count;
    }
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)width);
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++)
            row[x] = (unsigned char)(x * 7 + y * 13);
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&c, rows, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    fclose(f);
}

/* A progressive JPEG of 128 scans (DC and each AC coefficient sent in two
 * halves): each scan is a pass over the whole picture. */
Test(limits_jpeg, too_many_progressive_scans)
{
    static jpeg_scan_info scans[128];
    int n = 0;
    scans[n++] = (jpeg_scan_info){1, {0}, 0, 0, 0, 1};
    for (int k = 1; k < 64; k++)
        scans[n++] = (jpeg_scan_info){1, {0}, k, k, 0, 1};
    scans[n++] = (jpeg_scan_info){1, {0}, 0, 0, 1, 0};
    for (int k = 1; k < 64; k++)
        scans[n++] = (jpeg_scan_info){1, {0}, k, k, 1, 0};
    cr_assert_eq(n, 128);
    char *dir = vgt_make_temp_dir("jpeg-scans");
    char *path = path_in(dir, "scans.jpg");
    write_jpeg(path, 64, 64, scans, n);
    vg_image img = {0};
    int rc = vg_image_read(path, &img, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_LIMIT, "rc %d: %s", rc, err);
    expect_contains(err, "progressive JPEG with more than 100 scans "
                         "(limits.jpeg_max_scans)");
    /* Under a raised limit the same file decodes. */
    vg_limits limits = vg_limits_default();
    limits.jpeg_max_scans = 200;
    cr_assert_eq(vg_image_read_limited(path, &limits, &img, err, sizeof err), 0,
                 "%s", err);
    cr_assert_eq(img.width, 64);
    vg_image_free(&img);
    free(path);
    free(dir);
}

/* The 748-byte JPEG: a valid small file whose frame header claims 16384 x
 * 16384.  Refused from the header. */
Test(limits_jpeg, huge_header_refused_before_allocation)
{
    char *dir = vgt_make_temp_dir("jpeg-huge");
    char *path = path_in(dir, "huge.jpg");
    write_jpeg(path, 16, 16, NULL, 0);
    size_t size = 0;
    unsigned char *bytes = (unsigned char *)vgt_read_file(path, &size);
    bool patched = false;
    for (size_t i = 0; i + 9 < size && !patched; i++) {
        if (bytes[i] == 0xff && bytes[i + 1] == 0xc0) { /* SOF0 */
            bytes[i + 5] = 0x40;                        /* height 16384 */
            bytes[i + 6] = 0x00;
            bytes[i + 7] = 0x40; /* width 16384 */
            bytes[i + 8] = 0x00;
            patched = true;
        }
    }
    cr_assert(patched);
    vgt_write_file(path, bytes, size);
    vg_image img = {0};
    int rc = vg_image_read(path, &img, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_LIMIT, "rc %d: %s", rc, err);
    expect_contains(err, "16384 x 16384 is more than the limit of 50000000 "
                         "pixels (limits.max_picture_pixels)");
    free(bytes);
    free(path);
    free(dir);
}

/* ---- files that are not files ------------------------------------------ */

/* A FIFO named as a picture: refused at once, never waited on. */
Test(limits_files, fifo_input_is_refused, .timeout = 20)
{
    char *dir = vgt_make_temp_dir("fifo");
    char *fifo = path_in(dir, "pic.png");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    const char *yaml = "width: 64\nheight: 32\nclips: [{image: pic.png, "
                       "frames: 1}]\n";
    vg_job *job = NULL;
    int rc = vg_job_load_string(yaml, "job.yaml", dir, &job, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d: %s", rc, err);
    expect_contains(err, "pic.png: not a regular file (a FIFO): inputs must be "
                         "files");
    cr_assert_null(job);
    free(fifo);
    free(dir);
}

Test(limits_files, config_from_a_device_is_refused, .timeout = 20)
{
    vg_config *cfg = NULL;
    int rc = vg_config_load("/dev/zero", &cfg, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_IO, "rc %d: %s", rc, err);
    cr_assert_str_eq(err, "/dev/zero: not a regular file (a device): inputs "
                          "must be files");
}

Test(limits_files, oversized_config_is_refused)
{
    char *dir = vgt_make_temp_dir("big-config");
    char *path = path_in(dir, "config.yaml");
    size_t size = (1u << 20) + 1;
    char *text = malloc(size);
    memset(text, '#', size);
    text[size - 1] = '\n';
    vgt_write_file(path, text, size);
    vg_config *cfg = NULL;
    int rc = vg_config_load(path, &cfg, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d: %s", rc, err);
    expect_contains(err, "1048577 bytes, more than the 1048576-byte limit: not "
                         "a config file");
    free(text);
    free(path);
    free(dir);
}

/* ---- YAML ---------------------------------------------------------------- */

/* A job of n distinct top-level keys (an unknown-key error would come
 * later; the YAML layer sees every key first), the last one repeating the
 * first when `duplicate`. */
static char *many_keys(size_t n, bool duplicate)
{
    size_t cap = n * 24 + 64;
    char *yaml = malloc(cap), *p = yaml;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "k%zu: %zu\n", i, i);
    if (duplicate)
        p += sprintf(p, "k0: again\n");
    return yaml;
}

/* 80,000 keys (0.96 MB): over the node limit, refused as soon as it is
 * reached. */
Test(limits_yaml, node_count)
{
    char *yaml = many_keys(80000, false);
    vg_job *job = NULL;
    int rc = vg_job_load_string(yaml, "job.yaml", NULL, &job, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d: %s", rc, err);
    expect_contains(err, "more than 100000 YAML nodes (limits.yaml_max_nodes)");
    free(yaml);
}

/* Under a raised node limit, the duplicate-key check stays linear: 200,000
 * keys with the duplicate last.  The quadratic search needed a minute for
 * 80,000 keys (about 8 minutes for these); the timeout leaves a hundred
 * times the linear check's cost. */
Test(limits_yaml, duplicate_key_check_is_linear, .timeout = 60)
{
    char *dir = vgt_make_temp_dir("yaml-keys");
    char *path = path_in(dir, "job.yaml");
    char *yaml = many_keys(200000, true);
    vgt_write_file(path, yaml, strlen(yaml));
    vg_limits limits = vg_limits_default();
    limits.yaml_max_nodes = 1000000;
    vg_job *job = NULL;
    int rc = vg_job_load_limited(path, &limits, &job, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d: %s", rc, err);
    expect_contains(err, ":200001:1: k0: duplicate key 'k0' (first at 1:1)");
    free(yaml);
    free(path);
    free(dir);
}

Test(limits_yaml, depth_of_job_files)
{
    char yaml[512] = "width: ";
    size_t used = strlen(yaml);
    for (int i = 0; i < 12; i++)
        yaml[used++] = '[';
    yaml[used] = '\0';
    vg_limits limits = vg_limits_default();
    limits.yaml_max_depth = 8;
    char *dir = vgt_make_temp_dir("yaml-depth");
    char *path = path_in(dir, "job.yaml");
    vgt_write_file(path, yaml, strlen(yaml));
    vg_job *job = NULL;
    int rc = vg_job_load_limited(path, &limits, &job, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d: %s", rc, err);
    expect_contains(err, "nested deeper than 8 levels (limits.yaml_max_depth)");
    free(path);
    free(dir);
}

Test(limits_yaml, job_file_size)
{
    char *dir = vgt_make_temp_dir("job-size");
    char *path = path_in(dir, "job.yaml");
    const char *yaml = "# a job of 101 bytes, over a limit of 64\n"
                       "width: 64\nheight: 32\n"
                       "clips: [{pattern: bars, frames: 1}]\n";
    vgt_write_file(path, yaml, strlen(yaml));
    vg_limits limits = vg_limits_default();
    limits.max_job_file_bytes = 64;
    vg_job *job = NULL;
    int rc = vg_job_load_limited(path, &limits, &job, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d: %s", rc, err);
    expect_contains(err, "more than the 64-byte limit: not a job file "
                         "(limits.max_job_file_bytes)");
    free(path);
    free(dir);
}

/* ---- checked at load, before any frame ----------------------------------- */

/* zoom 0.02 of a 1080p pattern samples 55,000 pixels away: rendering
 * failed at frame 0 with exit 1.  Now the job does not load. */
Test(limits_job, camera_beyond_the_warp_range)
{
    const char *yaml = "width: 1920\nheight: 1080\nclips:\n"
                       "  - pattern: testsrc\n    frames: 2\n"
                       "    camera: {from: {zoom: 0.02}}\n";
    vg_job *job = NULL;
    int rc = vg_job_load_string(yaml, "job.yaml", NULL, &job, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d: %s", rc, err);
    expect_contains(err, "job.yaml: clips[0].camera: zoom 0.02 is too far "
                         "out for a 1920x1080 output of a 1920x1080 source");
    expect_contains(err, "use a zoom of at least 0.035");
    /* The smallest zoom it suggests loads. */
    const char *ok = "width: 1920\nheight: 1080\nclips:\n"
                     "  - pattern: testsrc\n    frames: 2\n"
                     "    camera: {from: {zoom: 0.035, rotate: 45}}\n";
    cr_assert_eq(
        vg_job_load_string(ok, "job.yaml", NULL, &job, err, sizeof err), 0,
        "%s", err);
    vg_job_destroy(&job);
}

Test(limits_job, memory_budget)
{
    char *dir = vgt_make_temp_dir("budget");
    char *path = path_in(dir, "job.yaml");
    const char *yaml = "width: 1920\nheight: 1080\n"
                       "clips: [{pattern: bars, frames: 1}]\n";
    vgt_write_file(path, yaml, strlen(yaml));
    vg_limits limits = vg_limits_default();
    limits.memory_budget_bytes = 16u << 20;
    vg_job *job = NULL;
    int rc = vg_job_load_limited(path, &limits, &job, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "rc %d: %s", rc, err);
    expect_contains(err, "the job needs about ");
    expect_contains(err, "more than limits.memory_budget_bytes (16 MiB)");
    limits.memory_budget_bytes = 256u << 20;
    cr_assert_eq(vg_job_load_limited(path, &limits, &job, err, sizeof err), 0,
                 "%s", err);
    cr_assert_gt(vg_job_memory_estimate(job), 16u << 20);
    vg_job_destroy(&job);
    free(path);
    free(dir);
}

/* The limits: section from a config file reaches vgrun's job loading. */
Test(limits_job, config_section_applies_to_vgrun)
{
    char *dir = vgt_make_temp_dir("limits-vgrun");
    char *cfg = path_in(dir, "config.yaml"), *job = path_in(dir, "job.yaml");
    char *out = path_in(dir, "out.y4m");
    const char *cfg_text = "limits:\n  memory_budget_bytes: 1048576\n";
    const char *job_text = "width: 640\nheight: 360\n"
                           "clips: [{pattern: bars, frames: 1}]\n";
    vgt_write_file(cfg, cfg_text, strlen(cfg_text));
    vgt_write_file(job, job_text, strlen(job_text));
    const char *argv[] = {VG_TEST_VGRUN, "-c", cfg, job, "-o", out, NULL};
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS=cpu", NULL};
    vgt_run_result r = vgt_run(argv, env);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    expect_contains(r.err, "more than limits.memory_budget_bytes (1 MiB)");
    cr_assert_eq(access(out, F_OK), -1, "no output file");
    vgt_run_result_free(&r);

    const char *bad = "limits:\n  jpeg_max_scans: 0\n";
    vgt_write_file(cfg, bad, strlen(bad));
    r = vgt_run(argv, env);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    expect_contains(r.err, "config.yaml:2:19: limits.jpeg_max_scans: expected "
                           "an integer from 1 to 100000, got '0'");
    vgt_run_result_free(&r);
    free(cfg);
    free(job);
    free(out);
    free(dir);
}

/* A report that cannot be written: exit 2 before anything renders (it was
 * noticed only after the whole job). */
Test(limits_job, bad_report_path_fails_first)
{
    char *dir = vgt_make_temp_dir("report-path");
    char *job = path_in(dir, "job.yaml"), *out = path_in(dir, "out.y4m");
    char *report = path_in(dir, "no/such/dir/r.json");
    const char *job_text = "width: 64\nheight: 32\n"
                           "clips: [{pattern: bars, frames: 3}]\n";
    vgt_write_file(job, job_text, strlen(job_text));
    const char *argv[] = {VG_TEST_VGRUN,   job,    "-o", out,
                          "--json-report", report, NULL};
    const char *env[] = {"VG_CONFIG", "VG_BACKENDS=cpu", NULL};
    vgt_run_result r = vgt_run(argv, env);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    expect_contains(r.err, "vgrun: cannot write the report: ");
    cr_assert_eq(access(out, F_OK), -1, "nothing rendered");
    vgt_run_result_free(&r);
    free(report);
    free(job);
    free(out);
    free(dir);
}

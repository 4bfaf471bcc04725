/*
 * test_config_output.c - the output: section: defaults, values, every
 * error with its position, and vgrun encoding with what it says (x264
 * writes its settings into the stream, so the file shows them).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "vg/config.h"

static char err[1024];

static vg_config *load(const char *yaml)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_load_string(yaml, "c.yaml", &cfg, err, sizeof err),
                 0, "%s", err);
    return cfg;
}

static void expect_error(const char *yaml, const char *message)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_load_string(yaml, "c.yaml", &cfg, err, sizeof err),
                 VG_ERR_CONFIG, "%s", yaml);
    cr_assert_str_eq(err, message);
    cr_assert_null(cfg);
}

static void expect_defaults(const vg_config *cfg)
{
    cr_assert_str_eq(cfg->output.codec, "auto");
    cr_assert_eq(cfg->output.crf, -1);
    cr_assert_eq(cfg->output.bitrate, 0);
    cr_assert_null(cfg->output.preset);
    cr_assert_eq(cfg->output.keyint, 0);
    cr_assert_str_eq(cfg->output.pix_fmt, "yuv420p");
}

Test(config_output, defaults_equal_config_yaml)
{
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    expect_defaults(cfg);
    vg_config_destroy(&cfg);
    cr_assert_eq(vg_config_load(VG_TEST_SOURCE_DIR "/config.yaml", &cfg, err,
                                sizeof err),
                 0, "%s", err);
    expect_defaults(cfg);
    vg_config_destroy(&cfg);
}

Test(config_output, values)
{
    vg_config *cfg = load("output:\n  codec: hevc\n  crf: 22\n"
                          "  preset: slow\n  keyint: 48\n");
    cr_assert_str_eq(cfg->output.codec, "hevc");
    cr_assert_eq(cfg->output.crf, 22);
    cr_assert_str_eq(cfg->output.preset, "slow");
    cr_assert_eq(cfg->output.keyint, 48);
    cr_assert_str_eq(cfg->output.pix_fmt, "yuv420p");
    cr_assert_eq(cfg->output.mark.line, 2); /* the mapping under output: */
    vg_config_destroy(&cfg);
    cfg = load("output:\n  bitrate: 8M\n");
    cr_assert_eq(cfg->output.bitrate, 8000000);
    cr_assert_eq(cfg->output.crf, -1);
    vg_config_destroy(&cfg);
    cfg = load("output:\n  bitrate: 2500k\n");
    cr_assert_eq(cfg->output.bitrate, 2500000);
    vg_config_destroy(&cfg);
}

Test(config_output, errors_name_the_key_and_position)
{
    expect_error("output:\n  crf: 99\n",
                 "c.yaml:2:8: output.crf: expected an integer from 0 to 63, "
                 "got '99'");
    expect_error("output:\n  bitrate: 8X\n",
                 "c.yaml:2:12: output.bitrate: expected bits per second from "
                 "1k to 1000G (e.g. 8M), got '8X'");
    expect_error("output:\n  keyint: 0\n",
                 "c.yaml:2:11: output.keyint: expected an integer from 1 to "
                 "100000, got '0'");
    expect_error("output:\n  crf: 20\n  bitrate: 4M\n",
                 "c.yaml:3:12: output: give crf or bitrate, not both");
    expect_error("output:\n  codec: \"\"\n",
                 "c.yaml:2:10: output.codec: expected a name, got ''");
    expect_error("output:\n  audio: x\n",
                 "c.yaml:2:3: output.audio: unknown key 'audio' (expected "
                 "one of: codec, crf, bitrate, preset, keyint, pix_fmt)");
    expect_error("output: [x]\n",
                 "c.yaml:1:9: output: expected a mapping, got a sequence");
    expect_error("output:\n  preset:\n",
                 "c.yaml:2:10: output.preset: expected a name, got nothing");
}

/* Integers are decimal digits, as everywhere else in the config: no sign,
 * no blank (the output: section took "+22" and " 22" before its keys became
 * typed rows); bit rates take one k, M or G, up to 1000G. */
Test(config_output, integers_are_plain_digits)
{
    expect_error("output:\n  crf: +22\n",
                 "c.yaml:2:8: output.crf: expected an integer from 0 to 63, "
                 "got '+22'");
    expect_error("output:\n  keyint: \" 5\"\n",
                 "c.yaml:2:11: output.keyint: expected an integer from 1 to "
                 "100000, got ' 5'");
    expect_error("output:\n  bitrate: 1001G\n",
                 "c.yaml:2:12: output.bitrate: expected bits per second from "
                 "1k to 1000G (e.g. 8M), got '1001G'");
    expect_error("output:\n  bitrate: 8MB\n",
                 "c.yaml:2:12: output.bitrate: expected bits per second from "
                 "1k to 1000G (e.g. 8M), got '8MB'");
    vg_config *cfg = load("output:\n  bitrate: 1000G\n");
    cr_assert_eq(cfg->output.bitrate, 1000000000000LL);
    vg_config_destroy(&cfg);
    cfg = load("output:\n  crf: 0\n");
    cr_assert_eq(cfg->output.crf, 0);
    vg_config_destroy(&cfg);
}

static char *encode_with(const char *dir, const char *config_yaml,
                         const char *extra, vgt_run_result *r)
{
    char config[1024], job[1024], out[1024];
    snprintf(config, sizeof config, "%s/config.yaml", dir);
    snprintf(job, sizeof job, "%s/job.yaml", dir);
    snprintf(out, sizeof out, "%s/out.mp4", dir);
    vgt_write_file(config, config_yaml, strlen(config_yaml));
    const char yaml[] = "width: 64\nheight: 36\nframes: 3\n"
                        "clips:\n  - pattern: testsrc\n";
    vgt_write_file(job, yaml, strlen(yaml));
    const char *argv[] = {
        VG_TEST_VGRUN,       job, "-c", config, "-y", "-o", out, extra,
        extra ? "25" : NULL, NULL};
    const char *const env[] = {"VG_CONFIG", "VG_BACKENDS=cpu", NULL};
    *r = vgt_run(argv, env);
    size_t size = 0;
    char *data = vgt_read_file(out, &size);
    /* x264's settings string (an SEI) holds NULs around it: search it as
     * text from its start. */
    for (size_t i = 0; data && i + 5 < size; i++)
        if (memcmp(data + i, "x264 ", 5) == 0) {
            char *sei = strdup(data + i);
            free(data);
            return sei;
        }
    free(data);
    return NULL;
}

Test(config_output, vgrun_encodes_with_the_section_and_flags_beat_it)
{
    char *dir = vgt_make_temp_dir("config-output");
    vgt_run_result r;
    char *sei = encode_with(dir,
                            "backends: [cpu]\noutput:\n  codec: h264\n"
                            "  crf: 30\n  keyint: 12\n  preset: ultrafast\n",
                            NULL, &r);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert_not_null(sei, "no x264 settings in the stream");
    cr_assert(strstr(sei, " crf=30.0 "), "%s", sei);
    cr_assert(strstr(sei, " keyint=12 "), "%s", sei);
    cr_assert(strstr(sei, " subme=0 "), "ultrafast: %s", sei);
    free(sei);
    vgt_run_result_free(&r);

    sei =
        encode_with(dir, "backends: [cpu]\noutput:\n  crf: 30\n", "--crf", &r);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(sei && strstr(sei, " crf=25.0 "), "--crf wins: %s", sei);
    free(sei);
    vgt_run_result_free(&r);

    sei = encode_with(dir, "backends: [cpu]\noutput:\n  codec: nosuch\n", NULL,
                      &r);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "/config.yaml:3:3: output: unknown codec "
                            "'nosuch': one of auto, h264, "),
              "%s", r.err);
    free(sei);
    vgt_run_result_free(&r);
    free(dir);
}

/*
 * test_job_parse.c - job files: the timeline they describe, defaults, and
 * every kind of mistake reported as FILE:LINE:COLUMN: KEY.PATH: problem,
 * from a job file and from config.yaml's job: section.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job_internal.h"
#include "job/source.h"
#include "test_support.h"
#include "vg/config.h"
#include "vg/piece.h"

static vg_job *load(const char *yaml)
{
    char err[1024] = "";
    vg_job *job = NULL;
    int rc = vg_job_load_string(yaml, "job.yaml", NULL, &job, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    return job;
}

static uint64_t fingerprint(const vg_job *job)
{
    char err[256] = "";
    uint64_t h = 0;
    cr_assert_eq(vg_job_fingerprint(job, &h, err, sizeof err), 0, "%s", err);
    return h;
}

/* The fingerprint of a one-clip job of the given clip keys. */
static uint64_t clip_fingerprint(const char *clip)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml, "clips:\n  - %s\n", clip);
    vg_job *job = load(yaml);
    uint64_t h = fingerprint(job);
    vg_job_destroy(&job);
    return h;
}

static void expect_error(const char *yaml, const char *message)
{
    char err[1024] = "";
    vg_job *job = NULL;
    int rc = vg_job_load_string(yaml, "job.yaml", NULL, &job, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG, "no error for:\n%s", yaml);
    cr_assert_null(job);
    cr_assert_str_eq(err, message);
}

Test(job_parse, defaults_and_timeline)
{
    vg_job *job = load("clips:\n"
                       "  - pattern: bars\n"
                       "    duration: 2\n"
                       "  - pattern: solid\n"
                       "    color: \"#10203040\"\n"
                       "    frames: 45\n"
                       "    transition: crossfade\n"
                       "  - pattern: checker\n"
                       "    duration: 1.5\n"
                       "    transition: {type: wipe, frames: 10, from: right, "
                       "easing: in}\n");
    vg_job_info info = vg_job_get_info(job);
    cr_assert_eq(info.width, 1920);
    cr_assert_eq(info.height, 1080);
    cr_assert_eq(info.fps_num, 30);
    cr_assert_eq(info.fps_den, 1);
    cr_assert_eq(info.matrix, VG_MATRIX_BT709);
    cr_assert_eq(info.range, VG_RANGE_LIMITED);
    /* 60 + 45 - 30 (a 1 s crossfade) + 45 - 10 */
    cr_assert_eq(info.frame_count, 110);
    cr_assert_eq(job->clips[0].start, 0);
    cr_assert_eq(job->clips[1].start, 30);
    cr_assert_eq(job->clips[1].transition.frames, 30);
    cr_assert_eq(job->clips[2].start, 65);
    cr_assert_eq(job->clips[2].frames, 45);
    cr_assert_str_eq(job->clips[2].source->key, "pattern");
    cr_assert_eq(job->clips[2].transition.setting, 1, "from: right");
    cr_assert_eq(job->clips[2].transition.easing, VG_EASE_IN);
    vg_job_destroy(&job);
    cr_assert_null(job);
}

Test(job_parse, last_clip_fills_the_job_and_fractional_fps)
{
    vg_job *job = load("fps: \"30000/1001\"\nduration: 10\nwidth: 64\n"
                       "height: 48\nrange: full\nmatrix: bt601\n"
                       "clips:\n  - pattern: testsrc\n    frames: 100\n"
                       "  - pattern: bars\n");
    vg_job_info info = vg_job_get_info(job);
    cr_assert_eq(info.fps_num, 30000);
    cr_assert_eq(info.fps_den, 1001);
    cr_assert_eq(info.frame_count, 300); /* round(10 * 29.97) */
    cr_assert_eq(job->clips[1].frames, 200);
    cr_assert_eq(info.range, VG_RANGE_FULL);
    cr_assert_eq(info.matrix, VG_MATRIX_BT601);
    vg_job_destroy(&job);
    job = load("fps: 29.97\nclips: [{pattern: bars, frames: 1}]\n");
    cr_assert_eq(vg_job_get_info(job).fps_num, 2997);
    cr_assert_eq(vg_job_get_info(job).fps_den, 100);
    vg_job_destroy(&job);
}

Test(job_parse, camera_keys_are_placed_in_frames)
{
    vg_job *job = load("fps: 10\nclips:\n  - pattern: bars\n    frames: 21\n"
                       "    camera:\n      keys:\n"
                       "        - {at: 0, zoom: 1.5}\n"
                       "        - {at: 1, x: 0.25, easing: in_out}\n"
                       "        - {at: \"100%\", rotate: 90}\n");
    const vg_camera *cam = &job->clips[0].camera;
    cr_assert_eq(cam->key_count, 3);
    cr_assert_float_eq(cam->keys[1].position, 10.0, 1e-12);
    cr_assert_float_eq(cam->keys[2].position, 20.0, 1e-12);
    /* A key keeps what it does not change from the key before it. */
    cr_assert_float_eq(cam->keys[2].pose.zoom, 1.5, 0);
    cr_assert_float_eq(cam->keys[2].pose.x, 0.25, 0);
    cr_assert_float_eq(cam->keys[2].pose.rotate, 90, 0);
    cr_assert_eq(cam->keys[1].easing, VG_EASE_IN_OUT);
    vg_job_destroy(&job);
}

/* examples/default.yaml is the built-in job, field for field (the bytes
 * are compared in test_job_render.c). */
Test(job_parse, default_example_is_the_built_in_job)
{
    char err[1024] = "";
    vg_job *a = NULL, *b = NULL;
    cr_assert_eq(vg_job_load(VG_TEST_SOURCE_DIR "/examples/default.yaml", &a,
                             err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(vg_job_create_default(&b), 0);
    cr_assert_eq(memcmp(&a->info, &b->info, sizeof a->info), 0);
    cr_assert_eq(a->clip_count, b->clip_count);
    /* Every field that can change a frame, the patterns included. */
    cr_assert_eq(fingerprint(a), fingerprint(b));
    for (size_t i = 0; i < a->clip_count; i++) {
        cr_assert_eq(a->clips[i].source, b->clips[i].source);
        cr_assert_eq(a->clips[i].start, b->clips[i].start);
        cr_assert_eq(a->clips[i].frames, b->clips[i].frames);
        cr_assert_eq(a->clips[i].transition.kind, b->clips[i].transition.kind);
        cr_assert_eq(a->clips[i].transition.frames,
                     b->clips[i].transition.frames);
    }
    cr_assert_eq(a->camera.key_count, 2);
    for (size_t k = 0; k < 2; k++) {
        cr_assert_eq(a->camera.keys[k].position, b->camera.keys[k].position);
        cr_assert_eq(a->camera.keys[k].pose.zoom, b->camera.keys[k].pose.zoom);
    }
    cr_assert_eq(a->blur_sigma, b->blur_sigma);
    vg_job_destroy(&a);
    vg_job_destroy(&b);
}

/* A pattern's colour: white squares for checker, black for solid, unless
 * `color` says otherwise.  The fingerprint covers every field that can
 * change a frame, so equal fingerprints mean equal colours. */
Test(job_parse, pattern_colours_and_their_defaults)
{
    cr_assert_eq(clip_fingerprint("{pattern: checker, frames: 2}"),
                 clip_fingerprint("{pattern: checker, frames: 2, "
                                  "color: \"#ffffff\"}"));
    cr_assert_neq(clip_fingerprint("{pattern: checker, frames: 2}"),
                  clip_fingerprint("{pattern: checker, frames: 2, "
                                   "color: \"#000000\"}"));
    cr_assert_eq(clip_fingerprint("{pattern: solid, frames: 2}"),
                 clip_fingerprint("{pattern: solid, frames: 2, "
                                  "color: \"#000000ff\"}"));
    cr_assert_neq(clip_fingerprint("{pattern: solid, frames: 2}"),
                  clip_fingerprint("{pattern: solid, frames: 2, "
                                   "color: \"#10203040\"}"));
}

/* The kinds of source and the transitions are read from their registries
 * (core/src/job/source.h, transition.h): a key no kind claims is refused at
 * its place with every known key, never taken for some default kind. */
Test(job_errors, unknown_source_kinds_and_transitions_list_the_known_ones)
{
    expect_error("clips:\n  - pattern: bars\n    frames: 2\n"
                 "  - gif: a.gif\n    frames: 3\n",
                 "job.yaml:4:5: clips[1].gif: unknown key 'gif' (expected one "
                 "of: pattern, image, video, color, loop, duration, frames, "
                 "camera, blur, fit, background, transition)");
    expect_error("clips:\n  - frames: 3\n    fit: contain\n",
                 "job.yaml:2:5: clips[0]: a clip needs a source: pattern, "
                 "image or video");
    expect_error("clips:\n  - pattern: bars\n    frames: 3\n"
                 "  - pattern: bars\n    frames: 3\n"
                 "    transition: dissolve\n",
                 "job.yaml:6:17: clips[1].transition: expected one of: cut, "
                 "crossfade, wipe, got 'dissolve'");
    expect_error("clips:\n  - pattern: bars\n    frames: 3\n"
                 "  - pattern: bars\n    frames: 3\n"
                 "    transition: {type: wipe, side: right}\n",
                 "job.yaml:6:30: clips[1].transition.side: unknown key "
                 "'side' (expected one of: type, duration, frames, easing, "
                 "from)");
    /* A key of another kind names the kind it goes with. */
    expect_error("clips:\n  - pattern: bars\n    frames: 3\n    loop: true\n",
                 "job.yaml:4:11: clips[0].loop: loop goes with a video source");
    expect_error("clips:\n  - pattern: bars\n    frames: 3\n"
                 "  - pattern: bars\n    frames: 3\n"
                 "    transition: {type: cut, from: right}\n",
                 "job.yaml:6:35: clips[1].transition.from: from goes with a "
                 "wipe");
}

/* `text` from `from` up to the next line starting with `to` (a heading). */
static char *doc_section(const char *text, const char *from, const char *to)
{
    const char *start = strstr(text, from);
    cr_assert_not_null(start, "docs/jobs.md has no '%s'", from);
    const char *end = strstr(start + strlen(from), to);
    size_t n = end ? (size_t)(end - start) : strlen(start);
    char *out = malloc(n + 1);
    cr_assert_not_null(out);
    memcpy(out, start, n);
    out[n] = '\0';
    return out;
}

/* The message's list after `after`, up to `end` (NULL: its end), split
 * at ", " and " or ": every name is written `name` in `section`. */
static void expect_documented(const char *message, const char *after,
                              const char *end, const char *section,
                              const char *what)
{
    const char *list = strstr(message, after);
    cr_assert_not_null(list, "'%s' not in: %s", after, message);
    list += strlen(after);
    size_t count = 0;
    while (*list && !(end && strncmp(list, end, strlen(end)) == 0)) {
        size_t n = strcspn(list, ", )");
        if (n == 0) {
            list++;
            continue;
        }
        char quoted[64];
        cr_assert_lt(n + 3, sizeof quoted);
        snprintf(quoted, sizeof quoted, "`%.*s`", (int)n, list);
        if (strcmp(quoted, "`or`") != 0) {
            cr_assert_not_null(strstr(section, quoted),
                               "%s %s is not documented in docs/jobs.md", what,
                               quoted);
            count++;
        }
        list += n;
    }
    cr_assert_geq(count, 3, "no list in: %s", message);
}

/* Every kind of source, every clip key, every transition and transition
 * key the registries know is documented: the lists come from the parser's
 * own messages, so a kind added without its docs fails here. */
Test(job_docs, every_registered_kind_and_key_is_documented)
{
    char *doc = vgt_read_file(VG_TEST_SOURCE_DIR "/docs/jobs.md", NULL);
    cr_assert_not_null(doc);
    char *clips = doc_section(doc, "\n## Clips\n", "\n## ");
    char *transitions = doc_section(doc, "\n## Transitions\n", "\n## ");
    char err[1024] = "";
    vg_job *job = NULL;
    struct {
        const char *yaml, *after, *end, *what;
        const char *section;
    } lists[] = {
        {"clips: [{frames: 3}]\n", "a clip needs a source: ", NULL,
         "source kind", clips},
        {"clips: [{pattern: bars, frames: 3, x: 1}]\n",
         "expected one of: ", ")", "clip key", clips},
        {"clips: [{pattern: bars, frames: 3}, {pattern: bars, frames: 3, "
         "transition: x}]\n",
         "expected one of: ", ", got", "transition", transitions},
        {"clips: [{pattern: bars, frames: 3}, {pattern: bars, frames: 3, "
         "transition: {x: 1}}]\n",
         "expected one of: ", ")", "transition key", transitions},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        cr_assert_eq(vg_job_load_string(lists[i].yaml, "job.yaml", NULL, &job,
                                        err, sizeof err),
                     VG_ERR_CONFIG, "%s", lists[i].yaml);
        expect_documented(err, lists[i].after, lists[i].end, lists[i].section,
                          lists[i].what);
    }
    free(transitions);
    free(clips);
    free(doc);
}

Test(job_errors, structure)
{
    expect_error("clips: []\n",
                 "job.yaml:1:8: clips: expected a list of clips, got a "
                 "sequence");
    expect_error("width: 64\n", "job.yaml:1:1: a job needs clips");
    expect_error("clip:\n  - pattern: bars\n",
                 "job.yaml:1:1: clip: unknown key 'clip' (expected one of: "
                 "width, height, fps, duration, frames, matrix, range, clips, "
                 "camera, blur, audio)");
    expect_error("clips:\n  - pattern: bars\n    frames: 3\n    zoom: 2\n",
                 "job.yaml:4:5: clips[0].zoom: unknown key 'zoom' (expected "
                 "one of: pattern, image, video, color, loop, duration, "
                 "frames, camera, blur, fit, background, transition)");
    expect_error("clips:\n  - frames: 3\n",
                 "job.yaml:2:5: clips[0]: a clip needs a source: pattern, "
                 "image or video");
    expect_error("clips:\n  - pattern: bars\n    image: a.png\n",
                 "job.yaml:3:12: clips[0].image: a clip has one source: "
                 "pattern is given too");
    expect_error("", "job.yaml: the job file is empty");
}

Test(job_errors, values)
{
    expect_error("width: 0\nclips: [{pattern: bars, frames: 1}]\n",
                 "job.yaml:1:8: width: expected an integer from 1 to 16384, "
                 "got '0'");
    expect_error("fps: fast\nclips: [{pattern: bars, frames: 1}]\n",
                 "job.yaml:1:6: fps: expected a frame rate from 0.001 to "
                 "1000: a number (25, 29.97) or a fraction (\"30000/1001\"), "
                 "got 'fast'");
    /* 1/4294967295 fps is a frame every 136 years. */
    expect_error("fps: 1/4294967295\nclips: [{pattern: bars, frames: 1}]\n",
                 "job.yaml:1:6: fps: expected a frame rate from 0.001 to "
                 "1000: a number (25, 29.97) or a fraction (\"30000/1001\"), "
                 "got '1/4294967295'");
    expect_error("matrix: bt2020\nclips: [{pattern: bars, frames: 1}]\n",
                 "job.yaml:1:9: matrix: expected one of: bt601, bt709, got "
                 "'bt2020'");
    expect_error("clips: [{pattern: plasma, frames: 1}]\n",
                 "job.yaml:1:19: clips[0].pattern: expected one of: testsrc, "
                 "bars, checker, solid, got 'plasma'");
    expect_error("clips:\n  - pattern: solid\n    color: red\n    frames: 1\n",
                 "job.yaml:3:12: clips[0].color: expected a colour "
                 "\"#RRGGBB\" or \"#RRGGBBAA\" (quoted: # starts a YAML "
                 "comment), got 'red'");
    expect_error("clips:\n  - pattern: bars\n    duration: 0.01\n",
                 "job.yaml:3:15: clips[0].duration: 0.01 s is less than one "
                 "frame at 30/1 fps");
    expect_error("clips:\n  - pattern: bars\n    duration: 1\n    frames: 3\n",
                 "job.yaml:4:13: clips[0].frames: give duration or frames, "
                 "not both");
    expect_error("clips:\n  - pattern: bars\n    frames: 3\n    blur: 30\n",
                 "job.yaml:4:11: clips[0].blur: expected a number from 0 to "
                 "21, got '30'");
    expect_error("clips:\n  - image: a.png\n    frames: 3\n    color: "
                 "\"#ffffff\"\n",
                 "job.yaml:4:12: clips[0].color: color goes with a pattern "
                 "source");
}

Test(job_errors, lengths_and_transitions)
{
    expect_error("clips:\n  - pattern: bars\n  - pattern: bars\n    frames: "
                 "2\n",
                 "job.yaml:2:5: clips[0]: give the clip a duration or a "
                 "number of frames");
    expect_error("clips:\n  - pattern: bars\n",
                 "job.yaml:2:5: clips[0]: give the clip (or the job) a "
                 "duration or a number of frames");
    expect_error("frames: 10\nclips:\n  - pattern: bars\n    frames: 4\n",
                 "job.yaml:1:9: frames: the job lasts 10 frames but its "
                 "clips end after 4 (leave out the last clip's length to "
                 "fill the job)");
    expect_error("clips:\n  - pattern: bars\n    frames: 4\n"
                 "    transition: crossfade\n",
                 "job.yaml:4:17: clips[0].transition: the first clip has no "
                 "clip before it to come from");
    expect_error("clips:\n  - pattern: bars\n    frames: 4\n"
                 "  - pattern: testsrc\n    frames: 10\n"
                 "    transition: {type: wipe, frames: 5}\n",
                 "job.yaml:4:5: clips[1]: the transition (5 frames) is "
                 "longer than clip 0 before it (4 frames)");
    expect_error("clips:\n  - pattern: bars\n    frames: 10\n"
                 "  - pattern: testsrc\n    frames: 6\n"
                 "    transition: {frames: 4}\n"
                 "  - pattern: bars\n    frames: 10\n"
                 "    transition: {frames: 3}\n",
                 "job.yaml:7:5: clips[2]: clip 1 (6 frames) is shorter than "
                 "its transitions in (4) and out (3) together");
    expect_error("clips:\n  - pattern: bars\n    frames: 10\n"
                 "  - pattern: bars\n    frames: 10\n"
                 "    transition: {type: crossfade, from: left}\n",
                 "job.yaml:6:41: clips[1].transition.from: from goes with a "
                 "wipe");
}

Test(job_errors, camera)
{
    expect_error("clips:\n  - pattern: bars\n    frames: 10\n"
                 "    camera: {zoom: 2}\n",
                 "job.yaml:4:14: clips[0].camera.zoom: unknown key 'zoom' "
                 "(expected one of: from, to, easing, keys)");
    expect_error("clips:\n  - pattern: bars\n    frames: 10\n"
                 "    camera: {to: {zoom: 0}}\n",
                 "job.yaml:4:25: clips[0].camera.to.zoom: expected a number "
                 "from 0.01 to 100, got '0'");
    expect_error("clips:\n  - pattern: bars\n    frames: 10\n"
                 "    camera: {from: {x: 1.5}}\n",
                 "job.yaml:4:24: clips[0].camera.from.x: expected a number "
                 "from 0 to 1, got '1.5'");
    expect_error("clips:\n  - pattern: bars\n    frames: 10\n"
                 "    camera: {to: {zoom: 2}, easing: bouncy}\n",
                 "job.yaml:4:37: clips[0].camera.easing: expected one of: "
                 "linear, in, out, in_out, got 'bouncy'");
    expect_error("fps: 10\nclips:\n  - pattern: bars\n    frames: 10\n"
                 "    camera:\n      keys:\n        - {at: \"50%\"}\n"
                 "        - {at: 0.2}\n",
                 "job.yaml:8:16: clips[0].camera.keys[1].at: keys must be in "
                 "time order: this one comes before the key ahead of it");
    expect_error("fps: 10\nclips:\n  - pattern: bars\n    frames: 10\n"
                 "    camera:\n      keys:\n        - {at: 2}\n",
                 "job.yaml:7:16: clips[0].camera.keys[0].at: key at frame "
                 "20.0 is after the end (10 frames)");
    expect_error("clips:\n  - pattern: bars\n    frames: 10\n"
                 "    camera:\n      keys:\n        - {zoom: 2}\n",
                 "job.yaml:6:11: clips[0].camera.keys[0]: a camera key needs "
                 "'at'");
}

Test(job_errors, inputs_are_checked_before_rendering)
{
    char *dir = vgt_make_temp_dir("inputs");
    char job[1024], err[2048] = "", expected[2200];
    snprintf(job, sizeof job, "%s/job.yaml", dir);
    const char *yaml = "clips:\n  - pattern: bars\n    frames: 2\n"
                       "  - video: clip.y4m\n    frames: 2\n";
    vgt_write_file(job, yaml, strlen(yaml));
    vg_job *j = NULL;
    cr_assert_eq(vg_job_load(job, &j, err, sizeof err), VG_ERR_CONFIG);
    snprintf(expected, sizeof expected,
             "%s:4:12: clips[1].video: %s/clip.y4m: cannot open: No such "
             "file or directory",
             job, dir);
    cr_assert_str_eq(err, expected);

    /* A Y4M cut mid-frame: 4x2 I420 frames are 12 bytes + "FRAME\n". */
    char y4m[1024];
    snprintf(y4m, sizeof y4m, "%s/clip.y4m", dir);
    const char *cut = "YUV4MPEG2 W4 H2 F30:1 Ip C420jpeg\nFRAME\n0123456789";
    vgt_write_file(y4m, cut, strlen(cut));
    cr_assert_eq(vg_job_load(job, &j, err, sizeof err), VG_ERR_CONFIG);
    snprintf(expected, sizeof expected,
             "%s:4:12: clips[1].video: %s: 16 bytes of frames is not a "
             "whole number of 4 x 2 frames (18 bytes each): truncated, or "
             "frame headers with parameters",
             job, y4m);
    cr_assert_str_eq(err, expected);

    const char *c444 = "YUV4MPEG2 W4 H2 F30:1 Ip C444\nFRAME\n";
    vgt_write_file(y4m, c444, strlen(c444));
    cr_assert_eq(vg_job_load(job, &j, err, sizeof err), VG_ERR_CONFIG);
    snprintf(expected, sizeof expected,
             "%s:4:12: clips[1].video: %s: colour space 444 is not "
             "supported (8-bit 4:2:0 only: convert with ffmpeg -pix_fmt "
             "yuv420p)",
             job, y4m);
    cr_assert_str_eq(err, expected);
    cr_assert_null(j);
    free(dir);
}

Test(job_config, job_section_errors_carry_the_config_path)
{
    char err[1024] = "";
    vg_config *cfg = NULL;
    int rc = vg_config_load_string("backends: [cpu]\njob:\n  clips:\n"
                                   "    - pattern: bars\n      frames: -1\n",
                                   "config.yaml", &cfg, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_CONFIG);
    cr_assert_str_eq(err, "config.yaml:5:15: job.clips[0].frames: expected an "
                          "integer from 1 to 100000000, got '-1'");
}

Test(job_config, job_section_is_the_job_and_no_section_the_default)
{
    char *dir = vgt_make_temp_dir("cfgjob");
    char path[1024], err[1024] = "";
    snprintf(path, sizeof path, "%s/config.yaml", dir);
    const char *yaml = "job:\n  width: 64\n  height: 48\n"
                       "  clips: [{pattern: bars, frames: 7}]\n";
    vgt_write_file(path, yaml, strlen(yaml));
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_load(path, &cfg, err, sizeof err), 0, "%s", err);
    vg_job *job = NULL;
    cr_assert_eq(vg_job_create_from_config(cfg, &job, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(vg_job_get_info(job).width, 64);
    cr_assert_eq(vg_job_get_info(job).frame_count, 7);
    vg_job_destroy(&job);
    vg_config_destroy(&cfg);

    vgt_write_file(path, "backends: [cpu]\njob:\n", 21);
    cr_assert_eq(vg_config_load(path, &cfg, err, sizeof err), 0, "%s", err);
    cr_assert_eq(vg_job_create_from_config(cfg, &job, err, sizeof err), 0);
    cr_assert_eq(vg_job_get_info(job).frame_count, 300, "the built-in job");
    vg_job_destroy(&job);
    vg_config_destroy(&cfg);
    free(dir);
}

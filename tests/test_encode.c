/*
 * test_encode.c - encoded output: what ffprobe and ffmpeg read back from
 * vgrun's .mp4/.mkv/.webm (colour tags, frame count, duration, the colour
 * bars' RGB), the encoder choice in -v and the JSON report, names and
 * codecs that are refused, caller metadata, and a killed encode that
 * leaves nothing.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/encode.h"
#include "vg/image.h"
#include "vg/params.h"
#include "vg_reference.h"

static const char *const clean_env[] = {"VG_CONFIG", "VG_BACKENDS=cpu",
                                        "VG_FAULTY", NULL};

/* A 320x180 job at 30 fps: 15 frames of colour bars. */
static const char bars_job[] = "width: 320\n"
                               "height: 180\n"
                               "fps: 30\n"
                               "frames: 15\n"
                               "clips:\n"
                               "  - pattern: bars\n";

static char *write_job(const char *dir, const char *yaml)
{
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/job.yaml", dir), 0);
    vgt_write_file(path, yaml, strlen(yaml));
    return path;
}

static vgt_run_result shell(const char *command)
{
    const char *argv[] = {"/bin/sh", "-c", command, NULL};
    return vgt_run(argv, clean_env);
}

static vgt_run_result vgrun(const char *const *args)
{
    return vgt_run_program(VG_TEST_VGRUN, args, clean_env);
}

/* ffprobe's view of the video stream and the container, "key=value"
 * lines. */
static char *probe(const char *path)
{
    char *cmd = NULL;
    cr_assert_geq(asprintf(&cmd,
                           "ffprobe -v error -count_frames -select_streams v:0 "
                           "-show_entries stream=codec_name,color_range,"
                           "color_space,color_transfer,color_primaries,"
                           "chroma_location,nb_read_frames,r_frame_rate:"
                           "format=duration -of default=nw=1 '%s'",
                           path),
                  0);
    vgt_run_result r = shell(cmd);
    free(cmd);
    cr_assert_eq(r.exit_code, 0, "ffprobe: %s", r.err);
    free(r.err);
    return r.out;
}

static void expect_line(const char *text, const char *line)
{
    char *want = NULL;
    cr_assert_geq(asprintf(&want, "%s\n", line), 0);
    cr_assert(strstr(text, want), "no '%s' in:\n%s", line, text);
    free(want);
}

static void expect_plays(const char *ext, const char *codec, bool chroma_tagged)
{
    char *dir = vgt_make_temp_dir("encode");
    char *job = write_job(dir, bars_job);
    char out[1024];
    snprintf(out, sizeof out, "%s/out.%s", dir, ext);
    const char *args[] = {job, "-o", out, NULL};
    vgt_run_result r = vgrun(args);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert_str_eq(r.err, "", "off a terminal, nothing but errors");
    char *info = probe(out);
    char codec_line[64];
    snprintf(codec_line, sizeof codec_line, "codec_name=%s", codec);
    expect_line(info, codec_line);
    expect_line(info, "color_range=tv");
    expect_line(info, "color_space=bt709");
    expect_line(info, "color_transfer=bt709");
    expect_line(info, "color_primaries=bt709");
    if (chroma_tagged)
        expect_line(info, "chroma_location=center");
    expect_line(info, "r_frame_rate=30/1");
    expect_line(info, "nb_read_frames=15");
    expect_line(info, "duration=0.500000");
    cr_assert_eq(vgt_count_entries(dir, NULL), 2, "the job and the video");
    free(info);
    vgt_run_result_free(&r);
    free(job);
    free(dir);
}

Test(encode, mp4_plays_with_colour_tags_frame_count_and_duration)
{
    expect_plays("mp4", "h264", true);
}

Test(encode, mkv_plays_with_colour_tags_frame_count_and_duration)
{
    expect_plays("mkv", "h264", true);
}

/* VP9 has no field for the chroma position; Matroska's is checked above. */
Test(encode, webm_is_vp9_with_colour_tags_frame_count_and_duration)
{
    expect_plays("webm", "vp9", false);
}

/* Average of the decoded RGB over [x0, x1) x [y0, y1). */
static void average(const uint8_t *rgb, int w, int x0, int x1, int y0, int y1,
                    double out[3])
{
    double sum[3] = {0};
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            for (int c = 0; c < 3; c++)
                sum[c] += rgb[((size_t)y * (size_t)w + (size_t)x) * 3 + c];
    for (int c = 0; c < 3; c++)
        out[c] = sum[c] / ((double)(x1 - x0) * (y1 - y0));
}

/* ffmpeg decodes frame 0 of the encoded bars; each bar's interior must
 * average within 3 levels of the RGB vg rendered for it (untagged, ffmpeg
 * would use BT.601 and miss green by up to 31). */
Test(encode, decoded_colour_bars_match_vgs_rgb_within_3_levels)
{
    enum { W = 640, H = 360 };
    char *dir = vgt_make_temp_dir("encode-bars");
    const char yaml[] = "width: 640\nheight: 360\nfps: 30\nframes: 2\n"
                        "clips:\n  - pattern: bars\n";
    char *job = write_job(dir, yaml);
    char out[1024], cmd[2048];
    snprintf(out, sizeof out, "%s/bars.mp4", dir);
    const char *args[] = {job, "-o", out, NULL};
    vgt_run_result r = vgrun(args);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);
    snprintf(cmd, sizeof cmd,
             "ffmpeg -v error -i '%s' -frames:v 1 -f rawvideo -pix_fmt rgb24 -",
             out);
    r = shell(cmd);
    cr_assert_eq(r.exit_code, 0, "ffmpeg: %s", r.err);
    cr_assert_eq(r.out_size, (size_t)W * H * 3);

    vg_image ref;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, W, H, &ref), 0);
    vg_pattern_params pp = {.kind = VG_PATTERN_BARS, .frame_index = 0};
    vg_ref_pattern(&ref, &pp, 0, H);

    /* Bars are runs of one colour along a row; check every run at least
     * 16 pixels wide, 6 pixels in from its edges, over 16 rows where the
     * picture stays the same. */
    int checked = 0;
    const int rows[] = {H / 4, H * 2 / 3 + 20, H - 20};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        int y = rows[k];
        const uint8_t *row = ref.data[0] + (size_t)y * (size_t)ref.stride[0];
        int start = 0;
        for (int x = 1; x <= W; x++) {
            if (x < W && memcmp(row + 4 * x, row + 4 * start, 3) == 0)
                continue;
            if (x - start >= 16) {
                const uint8_t *want = row + 4 * start;
                bool uniform = true;
                for (int yy = y - 8; yy < y + 8; yy++)
                    for (int xx = start + 6; xx < x - 6; xx++)
                        uniform &=
                            memcmp(ref.data[0] +
                                       (size_t)yy * (size_t)ref.stride[0] +
                                       4 * (size_t)xx,
                                   want, 3) == 0;
                if (uniform) {
                    double got[3];
                    average((const uint8_t *)r.out, W, start + 6, x - 6, y - 8,
                            y + 8, got);
                    for (int c = 0; c < 3; c++)
                        cr_expect_leq(fabs(got[c] - want[c]), 3.0,
                                      "bar at x %d..%d, y %d, channel %d: "
                                      "decoded %.1f, rendered %u",
                                      start, x, y, c, got[c], want[c]);
                    checked++;
                }
            }
            start = x;
        }
    }
    cr_assert_geq(checked, 10, "only %d bars found", checked);
    vg_image_free(&ref);
    vgt_run_result_free(&r);
    free(job);
    free(dir);
}

Test(encode, encoder_choice_shows_in_verbose_and_the_json_report)
{
    char *dir = vgt_make_temp_dir("encode-choice");
    char *job = write_job(dir, bars_job);
    char out[1024], report[1024];
    snprintf(out, sizeof out, "%s/out.mp4", dir);
    snprintf(report, sizeof report, "%s/run.json", dir);
    const char *args[] = {job, "-o", out, "-v", "--json-report", report, NULL};
    vgt_run_result r = vgrun(args);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    /* Without an NVIDIA driver the software encoder runs and the reason
     * is the hardware encoder's failure; with one, h264_nvenc runs. */
    bool software = strstr(r.err, "vgrun: encoding with libx264 into mp4 "
                                  "(h264_nvenc did not open: ") != NULL;
    bool hardware =
        strstr(r.err, "vgrun: encoding with h264_nvenc into mp4 "
                      "(h264_nvenc opened on this machine)") != NULL;
    cr_assert(software || hardware, "%s", r.err);
    char *json = vgt_read_file(report, NULL);
    cr_assert_not_null(json);
    char want[128];
    snprintf(want, sizeof want,
             "\"encoder\": {\"codec\": \"%s\", \"container\": \"mp4\", "
             "\"reason\": \"h264_nvenc ",
             software ? "libx264" : "h264_nvenc");
    cr_assert(strstr(json, want), "%s", json);
    free(json);
    vgt_run_result_free(&r);
    free(job);
    free(dir);
}

static void expect_refused(const char *name, const char *codec,
                           const char *message)
{
    char *dir = vgt_make_temp_dir("encode-refused");
    char *job = write_job(dir, bars_job);
    char out[1024];
    snprintf(out, sizeof out, "%s/%s", dir, name);
    const char *args[] = {job,   "-o", out, codec ? "--codec" : NULL,
                          codec, NULL};
    vgt_run_result r = vgrun(args);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, message), "%s", r.err);
    cr_assert_eq(vgt_count_entries(dir, NULL), 1, "nothing but the job");
    vgt_run_result_free(&r);
    free(job);
    free(dir);
}

Test(encode, unknown_extension_is_an_error_listing_the_known_ones)
{
    expect_refused("out.avi", NULL,
                   "out.avi: unknown output type: the name must end in .y4m "
                   "or one of .mp4, .mkv, .mov, .webm, .nut");
}

Test(encode, codec_that_does_not_go_in_the_container_is_refused)
{
    expect_refused("out.mov", "vp9",
                   "codec vp9 does not go in mov; it goes in: mp4 matroska "
                   "webm nut");
    expect_refused("out.mp4", "ffv1", "codec ffv1 does not go in mp4");
    expect_refused("out.mp4", "mpeg2", "unknown codec 'mpeg2': one of auto, ");
}

/* The farm joins pieces by remuxing: the caller's metadata must survive in
 * the container, in MP4 (custom keys) as in Matroska. */
Test(encode, caller_metadata_is_written_to_the_container)
{
    const char *exts[] = {"mp4", "mkv"};
    for (size_t e = 0; e < 2; e++) {
        char *dir = vgt_make_temp_dir("encode-meta");
        char path[1024], err[1024];
        snprintf(path, sizeof path, "%s/piece.%s", dir, exts[e]);
        const char *meta[] = {"vg_fingerprint", "0123abcd", "vg_range", "30:60",
                              NULL};
        vg_encode_format format = {.width = 64,
                                   .height = 32,
                                   .fps_num = 25,
                                   .fps_den = 1,
                                   .matrix = VG_MATRIX_BT709,
                                   .range = VG_RANGE_LIMITED};
        vg_encode_settings settings = {
            .codec = "h264", .crf = -1, .first_pts = 30, .metadata = meta};
        vg_encoder *enc = NULL;
        cr_assert_eq(
            vg_encoder_create(path, &format, &settings, &enc, err, sizeof err),
            0, "%s", err);
        cr_assert_str_eq(vg_encoder_codec(enc), "libx264");
        cr_assert_str_eq(vg_encoder_choice(enc), "asked for");
        vg_image frame;
        cr_assert_eq(vg_image_alloc(VG_FORMAT_I420, 64, 32, &frame), 0);
        for (int i = 0; i < 5; i++) {
            for (int p = 0; p < 3; p++)
                memset(frame.data[p], 60 + 20 * i + p,
                       (size_t)frame.stride[p] * (p ? 16 : 32));
            cr_assert_eq(vg_encoder_write_frame(enc, &frame, err, sizeof err),
                         0, "%s", err);
        }
        cr_assert_eq(access(path, F_OK), -1, "nothing before finish");
        cr_assert_eq(vg_encoder_finish(&enc, err, sizeof err), 0, "%s", err);
        cr_assert_null(enc);
        char cmd[1200];
        snprintf(cmd, sizeof cmd,
                 "ffprobe -v error -show_entries format_tags:stream=nb_frames,"
                 "start_time -of default=nw=1 '%s'",
                 path);
        vgt_run_result r = shell(cmd);
        cr_assert_eq(r.exit_code, 0, "%s", r.err);
        /* Matroska stores tag names in capitals. */
        cr_assert(strcasestr(r.out, "TAG:vg_fingerprint=0123abcd\n"), "%s",
                  r.out);
        cr_assert(strcasestr(r.out, "TAG:vg_range=30:60\n"), "%s", r.out);
        cr_assert(strstr(r.out, "start_time=1.2"),
                  "a piece keeps its place "
                  "(frame 30 at 25 fps): %s",
                  r.out);
        vgt_run_result_free(&r);
        vg_image_free(&frame);
        free(dir);
    }
}

/* SIGKILL cannot be caught: the output must still never appear, under its
 * name or any other. */
static void expect_kill_leaves_nothing(const char *name)
{
    char *dir = vgt_make_temp_dir("encode-kill");
    char out[1024];
    snprintf(out, sizeof out, "%s/%s", dir, name);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        setenv("VG_BACKENDS", "cpu", 1);
        unsetenv("VG_CONFIG");
        execl(VG_TEST_VGRUN, VG_TEST_VGRUN, "-q", "-o", out, (char *)NULL);
        _exit(127);
    }
    /* Wait until the output is open (at most 60 s), then kill. */
    for (int i = 0; i < 6000 && !vgt_process_writes_in(pid, dir); i++)
        usleep(10000);
    cr_assert(vgt_process_writes_in(pid, dir), "vgrun never opened its output");
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    cr_assert_eq(vgt_count_entries(dir, NULL), 0, "a killed run left a file");
    free(dir);
}

Test(encode, killed_mid_render_leaves_no_file)
{
    expect_kill_leaves_nothing("out.mkv");
    expect_kill_leaves_nothing("out.y4m");
}

/* Decoded audio of `path` as mono float samples at 48 kHz (*count). */
static float *decode_audio(const char *path, size_t *count)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -v error -i '%s' -map 0:a -ac 1 -ar 48000 -f f32le -",
             path);
    vgt_run_result r = shell(cmd);
    cr_assert_eq(r.exit_code, 0, "ffmpeg: %s", r.err);
    free(r.err);
    *count = r.out_size / sizeof(float);
    return (float *)r.out;
}

static double rms(const float *s, size_t from, size_t to)
{
    double sum = 0;
    for (size_t i = from; i < to; i++)
        sum += (double)s[i] * s[i];
    return sqrt(sum / (double)(to - from));
}

/* A 44.1 kHz mono file whose first second is silent, then a 440 Hz tone:
 * the track starts 1 s in (the tone at once), fades in over 0.5 s and out
 * over 0.5 s, and ends with the 2 s video: AAC in MP4, Opus in WebM. */
Test(encode, audio_track_is_offset_faded_and_cut_to_the_video)
{
    char *dir = vgt_make_temp_dir("encode-audio");
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -v error -f lavfi -i "
             "'aevalsrc=if(gt(t\\,1)\\,0.5*sin(2*PI*440*t)\\,0):s=44100:d=6' "
             "'%s/tone.wav'",
             dir);
    vgt_run_result r = shell(cmd);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);
    const char yaml[] = "width: 64\nheight: 36\nfps: 30\nframes: 60\n"
                        "clips:\n  - pattern: bars\n"
                        "audio: {file: tone.wav, start: 1, fade_in: 0.5, "
                        "fade_out: 0.5}\n";
    char *job = write_job(dir, yaml);
    const char *exts[] = {"mp4", "webm"}, *codecs[] = {"aac", "opus"};
    for (size_t e = 0; e < 2; e++) {
        char out[1024];
        snprintf(out, sizeof out, "%s/out.%s", dir, exts[e]);
        const char *args[] = {job, "-o", out, NULL};
        r = vgrun(args);
        cr_assert_eq(r.exit_code, 0, "%s", r.err);
        vgt_run_result_free(&r);
        snprintf(cmd, sizeof cmd,
                 "ffprobe -v error -select_streams a:0 -show_entries "
                 "stream=codec_name,sample_rate,channels -of default=nw=1 "
                 "'%s'",
                 out);
        r = shell(cmd);
        char want[128];
        snprintf(want, sizeof want,
                 "codec_name=%s\nsample_rate=48000\nchannels=2\n", codecs[e]);
        cr_assert_str_eq(r.out, want);
        vgt_run_result_free(&r);
        size_t n = 0;
        float *s = decode_audio(out, &n);
        /* 2 s of video: 96000 samples, give or take one codec frame. */
        cr_assert(n >= 96000 - 1024 && n <= 96000 + 1024, "%zu samples", n);
        double middle = rms(s, 40000, 56000); /* 0.83 .. 1.17 s */
        double start = rms(s, 2400, 4800);    /* 0.05 .. 0.10 s */
        double end = rms(s, n - 4800, n - 2400);
        cr_assert_gt(middle, 0.3, "the tone: rms %.3f", middle);
        /* The fades: 10 % to 20 % of full level that early and late. */
        cr_assert(start > 0.02 && start < 0.2 * middle, "start %.3f", start);
        cr_assert(end < 0.2 * middle, "end %.3f", end);
        free(s);
    }
    free(job);
    free(dir);
}

Test(encode, audio_errors_stop_before_rendering)
{
    char *dir = vgt_make_temp_dir("encode-audio-bad");
    const char missing[] = "width: 64\nheight: 36\nframes: 30\n"
                           "clips:\n  - pattern: bars\naudio: nosuch.wav\n";
    char *job = write_job(dir, missing);
    char out[1024];
    snprintf(out, sizeof out, "%s/out.mp4", dir);
    const char *args[] = {job, "-o", out, "-y", NULL};
    vgt_run_result r = vgrun(args);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "job.yaml:6:8: audio: "), "%s", r.err);
    cr_assert(strstr(r.err, "nosuch.wav: cannot open: No such file or "
                            "directory"),
              "%s", r.err);
    vgt_run_result_free(&r);

    /* A FIFO would block the load until a writer came: refused at once. */
    char fifo[1024];
    snprintf(fifo, sizeof fifo, "%s/sound.wav", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    const char from_fifo[] = "width: 64\nheight: 36\nframes: 30\n"
                             "clips:\n  - pattern: bars\naudio: sound.wav\n";
    vgt_write_file(job, from_fifo, strlen(from_fifo));
    r = vgrun(args);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "sound.wav: not a regular file (a FIFO): inputs "
                            "must be files"),
              "%s", r.err);
    vgt_run_result_free(&r);
    unlink(fifo);

    const char long_fade[] = "width: 64\nheight: 36\nframes: 30\n"
                             "clips:\n  - pattern: bars\n"
                             "audio: {file: job.yaml, fade_out: 2}\n";
    vgt_write_file(job, long_fade, strlen(long_fade));
    r = vgrun(args);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "audio.fade_out: expected a number from 0 to 1, "
                            "got '2'"),
              "%s", r.err);
    vgt_run_result_free(&r);

    /* A file that is there but holds no sound: the encoder says so. */
    const char not_audio[] = "width: 64\nheight: 36\nframes: 30\n"
                             "clips:\n  - pattern: bars\naudio: job.yaml\n";
    vgt_write_file(job, not_audio, strlen(not_audio));
    r = vgrun(args);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "job.yaml: "), "%s", r.err);
    cr_assert_eq(vgt_count_entries(dir, NULL), 1, "no video was written");
    vgt_run_result_free(&r);
    free(job);
    free(dir);
}

/* Every software codec encodes, says nothing off a terminal (x265 and
 * SVT-AV1 print to stderr themselves unless told not to), and is tagged. */
Test(encode, every_software_codec_is_quiet_and_tagged)
{
    const char *codecs[] = {"h264", "hevc", "av1", "vp9", "ffv1"};
    const char *names[] = {"h264", "hevc", "av1", "vp9", "ffv1"};
    char *dir = vgt_make_temp_dir("encode-codecs");
    char *job = write_job(dir, bars_job);
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        char out[1024];
        snprintf(out, sizeof out, "%s/%s.mkv", dir, codecs[i]);
        const char *args[] = {job, "--codec", codecs[i], "-o", out, NULL};
        vgt_run_result r = vgrun(args);
        cr_assert_eq(r.exit_code, 0, "%s: %s", codecs[i], r.err);
        cr_assert_str_eq(r.err, "", "%s printed", codecs[i]);
        char *info = probe(out);
        char line[64];
        snprintf(line, sizeof line, "codec_name=%s", names[i]);
        expect_line(info, line);
        expect_line(info, "color_space=bt709");
        expect_line(info, "nb_read_frames=15");
        free(info);
        vgt_run_result_free(&r);
    }
    free(job);
    free(dir);
}

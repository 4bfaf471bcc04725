/*
 * test_vgrun_output.c - what vgrun may write and how: ffmpeg's -y/-n
 * rules, outputs that are inputs, symbolic links and kept modes, a pipe
 * whose reader goes away, JSON for any path bytes, the progress line on a
 * terminal, the snapshot's chroma, the README's pipe command, and devices
 * and FIFOs as Y4M streams.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/image.h"
#include "vg/image_io.h"
#include "vg/params.h"
#include "vg_reference.h"

static const char *const clean_env[] = {"VG_CONFIG", "VG_BACKENDS=cpu",
                                        "VG_FAULTY", NULL};

static const char small_job[] = "width: 64\n"
                                "height: 36\n"
                                "fps: 30\n"
                                "frames: 3\n"
                                "clips:\n"
                                "  - pattern: testsrc\n";

static vgt_run_result vgrun(const char *const *args)
{
    return vgt_run_program(VG_TEST_VGRUN, args, clean_env);
}

static char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert_geq(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

static void expect_contents(const char *path, const char *want)
{
    char *data = vgt_read_file(path, NULL);
    cr_assert_not_null(data, "%s is gone", path);
    cr_assert_str_eq(data, want, "%s was changed", path);
    free(data);
}

/* An existing output, no -y: off a terminal vgrun refuses, touches nothing
 * and says what to do; -n refuses too; -y replaces. */
Test(vgrun_output, existing_file_needs_y_off_a_terminal)
{
    char *dir = vgt_make_temp_dir("overwrite");
    char *job = path_in(dir, "job.yaml"), *out = path_in(dir, "out.y4m");
    vgt_write_file(job, small_job, strlen(small_job));
    vgt_write_file(out, "old", 3);

    const char *plain[] = {job, "-o", out, NULL};
    vgt_run_result r = vgrun(plain);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "out.y4m already exists; use -y to overwrite it "
                            "or -n to keep it"),
              "%s", r.err);
    expect_contents(out, "old");
    vgt_run_result_free(&r);

    const char *never[] = {job, "-o", out, "-n", NULL};
    r = vgrun(never);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "out.y4m already exists; not overwriting (-n)"),
              "%s", r.err);
    expect_contents(out, "old");
    vgt_run_result_free(&r);

    const char *yes[] = {job, "-o", out, "-y", NULL};
    r = vgrun(yes);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *data = vgt_read_file(out, NULL);
    cr_assert_eq(strncmp(data, "YUV4MPEG2 W64 H36", 17), 0);
    free(data);
    cr_assert_eq(vgt_count_entries(dir, NULL), 2);
    vgt_run_result_free(&r);
    free(job);
    free(out);
    free(dir);
}

/* Even with -y, no output may be a file the run reads: not under its own
 * name, not through a symbolic link, and the report not either. */
Test(vgrun_output, an_output_is_never_the_job_the_config_or_an_input)
{
    char *dir = vgt_make_temp_dir("inputs");
    char *job = path_in(dir, "job.yaml"), *pic = path_in(dir, "pic.png");
    char *config = path_in(dir, "config.yaml");
    char *alias = path_in(dir, "alias.y4m"), *report = path_in(dir, "r.json");
    vg_image rgba;
    cr_assert_eq(vg_image_alloc(VG_FORMAT_RGBA8, 8, 8, &rgba), 0);
    memset(rgba.data[0], 200, (size_t)rgba.stride[0] * 8);
    char err[512];
    cr_assert_eq(vg_image_write_png(pic, &rgba, err, sizeof err), 0, "%s", err);
    vg_image_free(&rgba);
    size_t pic_size = 0;
    char *pic_bytes = vgt_read_file(pic, &pic_size);
    const char yaml[] = "width: 64\nheight: 36\nframes: 2\n"
                        "clips:\n  - image: pic.png\n";
    vgt_write_file(job, yaml, strlen(yaml));
    const char cfg[] = "backends: [cpu]\n";
    vgt_write_file(config, cfg, strlen(cfg));
    cr_assert_eq(symlink("job.yaml", alias), 0);

    struct {
        const char *args[10];
        const char *message;
    } cases[] = {
        {{job, "-y", "--snapshot", "0:", NULL}, "is the job file"},
        {{job, "-y", "-o", alias, NULL}, "is the job file"},
        {{job, "-y", "--snapshot", "1:", NULL}, "is an input of the job"},
        {{job, "-y", "-c", config, "--json-report", config, NULL},
         "is the config file"},
        {{job, "-y", "--json-report", pic, NULL}, "is an input of the job"},
    };
    char snap_job[1100], snap_pic[1100];
    snprintf(snap_job, sizeof snap_job, "0:%s", job);
    snprintf(snap_pic, sizeof snap_pic, "1:%s", pic);
    cases[0].args[3] = snap_job;
    cases[2].args[3] = snap_pic;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vgt_run_result r = vgrun(cases[i].args);
        cr_assert_eq(r.exit_code, 2, "case %zu: %s", i, r.err);
        cr_assert(strstr(r.err, cases[i].message), "case %zu: %s", i, r.err);
        cr_assert(strstr(r.err, "refusing to write over it"), "%s", r.err);
        expect_contents(job, yaml);
        expect_contents(config, cfg);
        size_t size = 0;
        char *now = vgt_read_file(pic, &size);
        cr_assert(size == pic_size && memcmp(now, pic_bytes, size) == 0,
                  "case %zu changed the picture", i);
        free(now);
        vgt_run_result_free(&r);
    }
    struct stat st;
    cr_assert_eq(lstat(alias, &st), 0);
    cr_assert(S_ISLNK(st.st_mode));
    cr_assert_eq(access(report, F_OK), -1);
    free(pic_bytes);
    free(job);
    free(pic);
    free(config);
    free(alias);
    free(report);
    free(dir);
}

/* -y through a symbolic link writes the link's target; a replaced file
 * keeps its mode. */
Test(vgrun_output, symlink_target_is_written_and_mode_is_kept)
{
    char *dir = vgt_make_temp_dir("symlink");
    char *job = path_in(dir, "job.yaml"), *real = path_in(dir, "real.mp4");
    char *link = path_in(dir, "link.mp4");
    vgt_write_file(job, small_job, strlen(small_job));
    vgt_write_file(real, "old", 3);
    cr_assert_eq(chmod(real, 0640), 0);
    cr_assert_eq(symlink("real.mp4", link), 0);
    const char *job_even = "width: 64\nheight: 36\nframes: 3\n"
                           "clips:\n  - pattern: bars\n";
    vgt_write_file(job, job_even, strlen(job_even));
    const char *args[] = {job, "-y", "-o", link, NULL};
    vgt_run_result r = vgrun(args);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link was replaced by a file");
    cr_assert_eq(stat(real, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);
    cr_assert_gt(st.st_size, 100, "the target holds the video");
    cr_assert_eq(vgt_count_entries(dir, NULL), 3);
    vgt_run_result_free(&r);
    free(job);
    free(real);
    free(link);
    free(dir);
}

/* `vgrun -o - | head -c 100`: the reader goes away.  vgrun says so, writes
 * its report, exits 1: no death by SIGPIPE (141) without a word. */
Test(vgrun_output, reader_going_away_is_reported)
{
    char *dir = vgt_make_temp_dir("epipe");
    char *report = path_in(dir, "r.json"), *errs = path_in(dir, "stderr");
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("VG_BACKENDS", "cpu", 1);
        unsetenv("VG_CONFIG");
        int e = open(errs, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fds[1], STDOUT_FILENO);
        dup2(e, STDERR_FILENO);
        close(fds[0]);
        execl(VG_TEST_VGRUN, VG_TEST_VGRUN, "--frames", "0:30", "-o", "-",
              "--json-report", report, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[100];
    size_t got = 0;
    while (got < sizeof buf) {
        ssize_t n = read(fds[0], buf + got, sizeof buf - got);
        cr_assert_gt(n, 0);
        got += (size_t)n;
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    char *text = vgt_read_file(errs, NULL);
    cr_assert(WIFEXITED(status), "killed by signal %d; stderr: %s",
              WIFSIGNALED(status) ? WTERMSIG(status) : 0, text);
    cr_assert_eq(WEXITSTATUS(status), 1, "%s", text);
    cr_assert(strstr(text, "vgrun: output closed by the reader after 0 "
                           "frames\n"),
              "%s", text);
    char *json = vgt_read_file(report, NULL);
    cr_assert_not_null(json, "no report");
    cr_assert(strstr(json, "\"status\": \"failed\", \"exit_code\": 1, "
                           "\"error\": \"output closed by the reader after 0 "
                           "frames\""),
              "%s", json);
    cr_assert_eq(vgt_count_entries(dir, NULL), 2, "the report and stderr");
    free(json);
    free(text);
    free(report);
    free(errs);
    free(dir);
}

/* A device or FIFO is a stream: Y4M whatever its name, written in place.
 * /dev/null is how a render is timed without a disk; a named pipe feeds
 * another program.  A regular file without a known extension stays an
 * error. */
Test(vgrun_output, device_and_fifo_get_y4m_whatever_their_name)
{
    const char *to_null[] = {"--frames", "0:2", "-o", "/dev/null", NULL};
    vgt_run_result r = vgrun(to_null);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);

    char *dir = vgt_make_temp_dir("fifo");
    char *fifo = path_in(dir, "video"), *copy = path_in(dir, "copy");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    fflush(NULL);
    pid_t reader = fork();
    if (reader == 0) {
        int in = open(fifo, O_RDONLY);
        int out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        char buf[65536];
        ssize_t n;
        while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
            if (write(out, buf, (size_t)n) != n)
                _exit(1);
        _exit(in >= 0 && out >= 0 ? 0 : 1);
    }
    const char *to_fifo[] = {"--frames", "0:2", "-o", fifo, NULL};
    r = vgrun(to_fifo);
    int status = 0;
    waitpid(reader, &status, 0);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    size_t size = 0;
    char *data = vgt_read_file(copy, &size);
    cr_assert_not_null(data);
    cr_assert_eq(strncmp(data, "YUV4MPEG2 W1920 H1080 ", 22), 0, "%.40s", data);
    cr_assert_eq(size, 2 * (6 + 1920 * 1080 * 3 / 2) + strcspn(data, "\n") + 1,
                 "a header and two frames, got %zu bytes", size);
    free(data);
    vgt_run_result_free(&r);

    char *plain = path_in(dir, "video.bin");
    vgt_write_file(plain, "old", 3);
    const char *to_file[] = {"--frames", "0:2", "-o", plain, "-y", NULL};
    r = vgrun(to_file);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "video.bin: unknown output type"), "%s", r.err);
    expect_contents(plain, "old");
    vgt_run_result_free(&r);
    free(plain);
    free(fifo);
    free(copy);
    free(dir);
}

/* A path is any bytes; JSON is UTF-8.  Bytes that are not UTF-8 become
 * U+FFFD; valid UTF-8 stays as it is. */
Test(vgrun_output, json_report_is_valid_for_any_path_bytes)
{
    char *dir = vgt_make_temp_dir("json-bytes");
    char *job = path_in(dir, "job.yaml"), *report = path_in(dir, "r.json");
    char *out = path_in(dir, "bad\xff\xc3(caf\xc3\xa9.y4m");
    vgt_write_file(job, small_job, strlen(small_job));
    const char *args[] = {job, "-o", out, "--json-report", report, NULL};
    vgt_run_result r = vgrun(args);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *json = vgt_read_file(report, NULL);
    cr_assert(strstr(json, "/bad\\ufffd\\ufffd(caf\xc3\xa9.y4m\""), "%s", json);
    cr_assert_null(strchr(json, '\xff'));
    free(json);
    vgt_run_result_free(&r);
    free(job);
    free(report);
    free(out);
    free(dir);
}

/* On a terminal: frame, fps, speed, elapsed time and ETA, as ffmpeg. */
Test(vgrun_output, progress_line_on_a_terminal)
{
    char *dir = vgt_make_temp_dir("progress");
    char *job = path_in(dir, "job.yaml"), *out = path_in(dir, "out.y4m");
    vgt_write_file(job, small_job, strlen(small_job));
    int master = -1;
    fflush(NULL);
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    cr_assert_neq(pid, -1, "forkpty: %s", strerror(errno));
    if (pid == 0) {
        setenv("VG_BACKENDS", "cpu", 1);
        unsetenv("VG_CONFIG");
        execl(VG_TEST_VGRUN, VG_TEST_VGRUN, job, "-o", out, (char *)NULL);
        _exit(127);
    }
    char text[65536];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(master, text + len, sizeof text - 1 - len);
        if (n <= 0)
            break; /* EIO once the child has exited */
        len += (size_t)n;
    }
    text[len] = '\0';
    close(master);
    int status = 0;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", text);
    cr_assert(strstr(text, "\rframe=    3/3 fps="), "%s", text);
    cr_assert(strstr(text, " speed="), "%s", text);
    cr_assert(strstr(text, "x time=00:00:"), "%s", text);
    cr_assert(strstr(text, " eta=00:00:00.00 backend=cpu"), "%s", text);
    free(job);
    free(out);
    free(dir);
}

static double psnr(const vg_image *a, const vg_image *b)
{
    double se = 0;
    for (int32_t y = 0; y < a->height; y++)
        for (int32_t x = 0; x < a->width; x++)
            for (int c = 0; c < 3; c++) {
                double d = a->data[0][(size_t)y * a->stride[0] + 4 * x + c] -
                           b->data[0][(size_t)y * b->stride[0] + 4 * x + c];
                se += d * d;
            }
    double mse = se / (3.0 * a->width * a->height);
    return 10 * log10(255.0 * 255.0 / mse);
}

/* The snapshot upsamples chroma as a player does (bilinear, centred): it
 * is closer to the rendered RGB than nearest-neighbour chroma (28.40 against
 * 27.88 dB on this frame; equal would mean nearest-neighbour). */
Test(vgrun_output, snapshot_chroma_is_bilinear_and_centred)
{
    enum { W = 320, H = 180 };
    char *dir = vgt_make_temp_dir("snapshot");
    char *job = path_in(dir, "job.yaml"), *png = path_in(dir, "f.png");
    const char yaml[] = "width: 320\nheight: 180\nframes: 10\n"
                        "clips:\n  - pattern: testsrc\n";
    vgt_write_file(job, yaml, strlen(yaml));
    char snap[1100];
    snprintf(snap, sizeof snap, "5:%s", png);
    const char *args[] = {job, "--snapshot", snap, NULL};
    vgt_run_result r = vgrun(args);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char err[512];
    vg_image shown, rendered, yuv, nearest;
    cr_assert_eq(vg_image_read(png, &shown, err, sizeof err), 0, "%s", err);
    vg_image_alloc(VG_FORMAT_RGBA8, W, H, &rendered);
    vg_image_alloc(VG_FORMAT_I420, W, H, &yuv);
    vg_image_alloc(VG_FORMAT_RGBA8, W, H, &nearest);
    vg_pattern_params pp = {.kind = VG_PATTERN_TESTSRC, .frame_index = 5};
    vg_ref_pattern(&rendered, &pp, 0, H);
    vg_color_params cp;
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &cp);
    vg_ref_rgba_to_i420(&yuv, &rendered, &cp, 0, H);
    vg_ref_i420_to_rgba(&nearest, &yuv, &cp, 0, H);
    double bilinear_db = psnr(&shown, &rendered);
    double nearest_db = psnr(&nearest, &rendered);
    cr_assert_gt(bilinear_db, nearest_db + 0.25,
                 "snapshot %.2f dB, nearest-neighbour chroma %.2f dB",
                 bilinear_db, nearest_db);
    vg_image *all[] = {&shown, &rendered, &yuv, &nearest};
    for (size_t i = 0; i < 4; i++)
        vg_image_free(all[i]);
    vgt_run_result_free(&r);
    free(job);
    free(png);
    free(dir);
}

/* The README's pipe into ffmpeg, run as written (vgrun from this build,
 * the output in a temporary directory), tags the video BT.709. */
Test(vgrun_output, readme_pipe_command_tags_bt709)
{
    char *readme = vgt_read_file(VG_TEST_SOURCE_DIR "/README.md", NULL);
    cr_assert_not_null(readme);
    char *line = strstr(readme, "build/tools/vgrun/vgrun examples/slideshow."
                                "yaml -o - | ffmpeg");
    cr_assert_not_null(line, "the pipe example is gone from README.md");
    line += strlen("build/tools/vgrun/vgrun");
    char *end = strchr(line, '\n');
    *end = '\0';
    /* The command writes out.mp4 in the current directory: run it in the
     * source tree (it names examples/), with the output moved to `dir`. */
    size_t len = strlen(line);
    cr_assert(len > 8 && strcmp(line + len - 8, " out.mp4") == 0, "%s", line);
    line[len - 8] = '\0';
    char *dir = vgt_make_temp_dir("readme-pipe");
    char *fixed = NULL;
    cr_assert_geq(asprintf(&fixed,
                           "cd '%s' && '%s'%s '%s/out.mp4' && ffprobe -v error "
                           "-show_entries stream=color_space,color_transfer,"
                           "color_primaries,color_range,chroma_location "
                           "-of default=nw=1 '%s/out.mp4'",
                           VG_TEST_SOURCE_DIR, VG_TEST_VGRUN, line, dir, dir),
                  0);
    const char *argv[] = {"/bin/sh", "-c", fixed, NULL};
    vgt_run_result r = vgt_run(argv, clean_env);
    cr_assert_eq(r.exit_code, 0, "%s\n%s", fixed, r.err);
    cr_assert(strstr(r.out, "color_range=tv\n"), "%s", r.out);
    cr_assert(strstr(r.out, "color_space=bt709\n"), "%s", r.out);
    cr_assert(strstr(r.out, "color_transfer=bt709\n"), "%s", r.out);
    cr_assert(strstr(r.out, "color_primaries=bt709\n"), "%s", r.out);
    cr_assert(strstr(r.out, "chroma_location=center\n"), "%s", r.out);
    vgt_run_result_free(&r);
    free(fixed);
    free(dir);
    free(readme);
}

/* docs/vgrun.md's x264 pipe, run as written on a small job, tags the
 * stream BT.709 with centred chroma (x264's own default is "left"). */
Test(vgrun_output, documented_x264_pipe_tags_bt709_and_centred_chroma)
{
    char *doc = vgt_read_file(VG_TEST_SOURCE_DIR "/docs/vgrun.md", NULL);
    cr_assert_not_null(doc);
    const char *prefix = "    vgrun job.yaml -o - | x264 ";
    char *line = strstr(doc, prefix);
    cr_assert_not_null(line, "the x264 pipe is gone from docs/vgrun.md");
    line += strlen("    vgrun");
    *strchr(line, '\n') = '\0';
    char *dir = vgt_make_temp_dir("x264-pipe");
    char *job = path_in(dir, "job.yaml");
    const char yaml[] = "width: 64\nheight: 36\nframes: 3\n"
                        "clips:\n  - pattern: bars\n";
    vgt_write_file(job, yaml, strlen(yaml));
    char *cmd = NULL;
    cr_assert_geq(asprintf(&cmd,
                           "cd '%s' && '%s'%s 2>/dev/null && ffprobe -v error "
                           "-show_entries stream=color_space,color_transfer,"
                           "color_primaries,color_range,chroma_location "
                           "-of default=nw=1 out.264",
                           dir, VG_TEST_VGRUN, line),
                  0);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    vgt_run_result r = vgt_run(argv, clean_env);
    cr_assert_eq(r.exit_code, 0, "%s\n%s", cmd, r.err);
    cr_assert_str_eq(r.out, "color_range=tv\ncolor_space=bt709\n"
                            "color_transfer=bt709\ncolor_primaries=bt709\n"
                            "chroma_location=center\n");
    vgt_run_result_free(&r);
    free(cmd);
    free(job);
    free(dir);
    free(doc);
}

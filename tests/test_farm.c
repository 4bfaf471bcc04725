/*
 * test_farm.c - render farms: task ranges, --task from the engines'
 * environment, --info, the fingerprint, piece records, and vgjoin's bytes
 * and refusals (tools/vgjoin).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_support.h"
#include "vg/error.h"
#include "vg/piece.h"

#define FRAMES 26

/* Small and quick, with a camera move and a transition so that frames
 * differ from one another. */
static const char job_yaml[] =
    "width: 40\n"
    "height: 30\n"
    "fps: 24\n"
    "clips:\n"
    "  - pattern: testsrc\n"
    "    frames: 20\n"
    "    camera: {from: {zoom: 1.0}, to: {zoom: 2, rotate: 20}}\n"
    "  - pattern: bars\n"
    "    frames: 10\n"
    "    transition: {type: crossfade, frames: 4}\n";

static const char *const clean_env[] = {"VG_CONFIG",
                                        "VG_BACKENDS",
                                        "VG_FAULTY",
                                        "SLURM_ARRAY_TASK_ID",
                                        "SLURM_ARRAY_TASK_MIN",
                                        "SLURM_ARRAY_TASK_COUNT",
                                        "JOB_COMPLETION_INDEX",
                                        NULL};

static char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

/* `name` in the directory of the file `file`. */
static char *beside(const char *file, const char *name)
{
    char *dir = strdup(file);
    *strrchr(dir, '/') = '\0';
    char *p = path_in(dir, name);
    free(dir);
    return p;
}

static char *make_job(const char *tag, const char *yaml)
{
    char *dir = vgt_make_temp_dir(tag);
    char *job = path_in(dir, "job.yaml");
    vgt_write_file(job, yaml, strlen(yaml));
    free(dir);
    return job;
}

static vgt_run_result run_with(const char *program, const char *const *args,
                               const char *const *env)
{
    return vgt_run_program(program, args, env ? env : clean_env);
}

/* Render `args` (job first) to `out`; the run must succeed. */
static void render(const char *job, const char *extra1, const char *extra2,
                   const char *out, const char *const *env)
{
    const char *args[] = {job,  "--backend", "cpu",  "-o", out,
                          "-q", extra1,      extra2, NULL};
    vgt_run_result r = run_with(VG_TEST_VGRUN, args, env);
    cr_assert_eq(r.exit_code, 0, "vgrun %s %s: %s", extra1 ? extra1 : "",
                 extra2 ? extra2 : "", r.err);
    vgt_run_result_free(&r);
}

static vgt_run_result join(const char *out, const char *const *pieces)
{
    const char *args[16] = {out};
    size_t n = 1;
    for (size_t i = 0; pieces[i]; i++)
        args[n++] = pieces[i];
    args[n] = NULL;
    return run_with(VG_TEST_VGJOIN, args, NULL);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The four pieces of `job` by --task I/4, named part-I.y4m beside it. */
static void render_tasks(const char *job, char *pieces[4])
{
    char *dir = strdup(job);
    *strrchr(dir, '/') = '\0';
    for (int i = 0; i < 4; i++) {
        char name[32], task[8];
        snprintf(name, sizeof name, "part-%d.y4m", i);
        snprintf(task, sizeof task, "%d/4", i);
        pieces[i] = path_in(dir, name);
        render(job, "--task", task, pieces[i], NULL);
    }
    free(dir);
}

static void free_pieces(char *pieces[4])
{
    for (int i = 0; i < 4; i++)
        free(pieces[i]);
}

static void expect_refused(const char *out, const char *const *pieces,
                           const char *message)
{
    vgt_run_result r = join(out, pieces);
    cr_assert_eq(r.exit_code, 3, "exit %d: %s", r.exit_code, r.err);
    cr_assert(strstr(r.err, message), "'%s' not in:\n%s", message, r.err);
    cr_assert(!exists(out), "a refused join left %s", out);
    vgt_run_result_free(&r);
}

Test(farm, task_ranges_cover_every_frame_once_the_last_taking_the_rest)
{
    uint32_t first, end;
    cr_assert_eq(vg_piece_task_range(300, 0, 7, &first, &end), 0);
    cr_assert(first == 0 && end == 42);
    cr_assert_eq(vg_piece_task_range(300, 6, 7, &first, &end), 0);
    cr_assert(first == 252 && end == 300, "%u:%u", first, end);
    for (uint32_t n = 1; n <= 30; n++) {
        uint32_t next = 0;
        for (uint32_t i = 0; i < n; i++) {
            cr_assert_eq(vg_piece_task_range(30, i, n, &first, &end), 0);
            cr_assert(first == next && end > first, "%u/%u", i, n);
            next = end;
        }
        cr_assert_eq(next, 30);
    }
    cr_assert_eq(vg_piece_task_range(30, 0, 31, &first, &end),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_piece_task_range(30, 4, 4, &first, &end),
                 VG_ERR_INVALID_ARGUMENT);
    cr_assert_eq(vg_piece_task_range(30, 0, 0, &first, &end),
                 VG_ERR_INVALID_ARGUMENT);
}

Test(farm, piece_tags_round_trip_and_bad_ones_are_named)
{
    vg_piece p = {.fingerprint = 0x0123456789abcdefull,
                  .first = 75,
                  .end = 150,
                  .total = 300},
             q;
    char line[256] = "YUV4MPEG2 W8 H8 F1:1";
    size_t n = strlen(line);
    vg_piece_format_tags(&p, line + n, sizeof line - n);
    cr_assert_str_eq(line, "YUV4MPEG2 W8 H8 F1:1 XVGJOB=0123456789abcdef "
                           "XVGFRAMES=75:150/300");
    char err[128];
    cr_assert_eq(
        vg_piece_parse_y4m_header(line, strlen(line), &q, err, sizeof err), 0,
        "%s", err);
    cr_assert(q.fingerprint == p.fingerprint && q.first == p.first &&
              q.end == p.end && q.total == p.total);
    const char *plain = "YUV4MPEG2 W8 H8 F1:1";
    cr_assert_eq(
        vg_piece_parse_y4m_header(plain, strlen(plain), &q, err, sizeof err),
        VG_ERR_NOT_FOUND);
    const char *bad[] = {
        "YUV4MPEG2 XVGJOB=0123456789abcdef",
        "YUV4MPEG2 XVGJOB=0123456789abcdeg XVGFRAMES=0:1/1",
        "YUV4MPEG2 XVGJOB=0123456789abcdef XVGFRAMES=5:5/9",
        "YUV4MPEG2 XVGJOB=0123456789abcdef XVGFRAMES=0:10/9",
        "YUV4MPEG2 XVGJOB=0123456789abcdef XVGFRAMES=0:1/9 XVGFRAMES=1:2/9",
        "YUV4MPEG2 XVGJOB=0123456789abcdef XVGFRAMES=0:1/99999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(vg_piece_parse_y4m_header(bad[i], strlen(bad[i]), &q, err,
                                               sizeof err),
                     VG_ERR_CONFIG, "accepted: %s", bad[i]);
}

Test(farm, info_prints_what_the_pieces_record)
{
    char *job = make_job("info", job_yaml);
    const char *args[] = {job, "--info", "--json", NULL};
    vgt_run_result r = run_with(VG_TEST_VGRUN, args, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *fp = strstr(r.out, "\"fingerprint\": \"");
    cr_assert(fp, "%s", r.out);
    fp += strlen("\"fingerprint\": \"");
    cr_assert(strstr(r.out, "\"frame_count\": 26, \"width\": 40, "
                            "\"height\": 30, \"fps_num\": 24, "
                            "\"fps_den\": 1"),
              "%s", r.out);
    char *out = beside(job, "piece.y4m");
    render(job, "--task", "1/4", out, NULL);
    size_t size = 0;
    char *data = vgt_read_file(out, &size);
    char want[128];
    snprintf(want, sizeof want, " XVGJOB=%.16s XVGFRAMES=6:12/26\n", fp);
    cr_assert(strstr(data, want), "header: %.160s\nwant: %s", data, want);

    const char *text_args[] = {"--info", job, NULL};
    vgt_run_result t = run_with(VG_TEST_VGRUN, text_args, NULL);
    cr_assert_eq(t.exit_code, 0, "%s", t.err);
    char line[64];
    snprintf(line, sizeof line, "fingerprint: %.16s\n", fp);
    cr_assert(strstr(t.out, "frames: 26\nsize: 40x30\nrate: 24/1 fps\n"), "%s",
              t.out);
    cr_assert(strstr(t.out, line), "%s", t.out);
    vgt_run_result_free(&t);
    free(data);
    free(out);
    vgt_run_result_free(&r);
    free(job);
}

/* Comments and key order do not change the fingerprint; a value does. */
Test(farm, fingerprint_follows_the_bytes_not_the_text)
{
    char *a = make_job("fp-a", job_yaml);
    char *b = make_job("fp-b", "# the same job, reordered\n"
                               "fps: 24\nheight: 30\nwidth: 40\n"
                               "clips:\n"
                               "  - frames: 20\n"
                               "    pattern: testsrc\n"
                               "    camera: {to: {rotate: 20, zoom: 2}, "
                               "from: {zoom: 1.0}}\n"
                               "  - pattern: bars\n"
                               "    frames: 10\n"
                               "    transition: {frames: 4, type: "
                               "crossfade}\n");
    char *c = make_job("fp-c", "width: 40\nheight: 30\nfps: 24\nclips:\n"
                               "  - pattern: testsrc\n"
                               "    frames: 20\n"
                               "    camera: {from: {zoom: 1.0}, to: {zoom: "
                               "2, rotate: 21}}\n"
                               "  - pattern: bars\n"
                               "    frames: 10\n"
                               "    transition: {type: crossfade, frames: "
                               "4}\n");
    char *jobs[] = {a, b, c};
    char prints[3][40];
    for (int i = 0; i < 3; i++) {
        const char *args[] = {"--info", jobs[i], NULL};
        vgt_run_result r = run_with(VG_TEST_VGRUN, args, NULL);
        cr_assert_eq(r.exit_code, 0, "%s", r.err);
        char *fp = strstr(r.out, "fingerprint: ");
        cr_assert(fp);
        snprintf(prints[i], sizeof prints[i], "%.16s", fp + 13);
        vgt_run_result_free(&r);
    }
    cr_assert_str_eq(prints[0], prints[1]);
    cr_assert_str_neq(prints[0], prints[2]);
    free(a);
    free(b);
    free(c);
}

Test(farm, task_pieces_join_into_the_one_machine_bytes_in_any_order)
{
    char *job = make_job("join", job_yaml);
    char *pieces[4];
    render_tasks(job, pieces);
    char *whole = beside(job, "whole.y4m");
    char *joined = beside(job, "joined.y4m");
    render(job, NULL, NULL, whole, NULL);
    const char *shuffled[] = {pieces[2], pieces[0], pieces[3], pieces[1], NULL};
    vgt_run_result r = join(joined, shuffled);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);
    size_t a = 0, b = 0;
    char *da = vgt_read_file(whole, &a), *db = vgt_read_file(joined, &b);
    cr_assert(da && db);
    cr_assert_eq(a, b, "whole %zu bytes, joined %zu", a, b);
    cr_assert_eq(memcmp(da, db, a), 0, "joined bytes differ");
    cr_assert_eq(strncmp(da,
                         "YUV4MPEG2 W40 H30 F24:1 Ip A1:1 C420jpeg "
                         "XYSCSS=420JPEG XCOLORRANGE=LIMITED\n",
                         75),
                 0, "%.100s", da);
    free(da);
    free(db);
    free(whole);
    free(joined);
    free_pieces(pieces);
    free(job);
}

Test(farm, join_refuses_a_missing_piece_and_names_the_frames)
{
    char *job = make_job("missing", job_yaml);
    char *pieces[4];
    render_tasks(job, pieces);
    char *out = beside(job, "joined.y4m");
    const char *without_1[] = {pieces[0], pieces[2], pieces[3], NULL};
    expect_refused(out, without_1,
                   "vgjoin: frames 6 to 11 (of 26) are in no piece");
    const char *without_last[] = {pieces[0], pieces[1], pieces[2], NULL};
    expect_refused(out, without_last,
                   "vgjoin: frames 18 to 25 (of 26) are in no piece");
    free(out);
    free_pieces(pieces);
    free(job);
}

Test(farm, join_refuses_a_duplicated_piece_and_names_both)
{
    char *job = make_job("dup", job_yaml);
    char *pieces[4];
    render_tasks(job, pieces);
    char *out = beside(job, "joined.y4m");
    char *again = beside(job, "again-1.y4m");
    render(job, "--frames", "6:12", again, NULL);
    const char *twice[] = {pieces[0], pieces[1], again,
                           pieces[2], pieces[3], NULL};
    char want[2048];
    snprintf(want, sizeof want, "vgjoin: %s: frames 6 to 11 are also in %s",
             again, pieces[1]);
    expect_refused(out, twice, want);
    /* Pieces of two different splits of the same job overlap. */
    char *half = beside(job, "half.y4m");
    render(job, "--task", "0/2", half, NULL);
    const char *mixed[] = {half, pieces[1], pieces[2], pieces[3], NULL};
    snprintf(want, sizeof want, "vgjoin: %s: frames 6 to 11 are also in %s",
             pieces[1], half);
    expect_refused(out, mixed, want);
    free(half);
    free(again);
    free(out);
    free_pieces(pieces);
    free(job);
}

Test(farm, join_refuses_a_piece_of_another_job_and_names_it)
{
    char *job = make_job("foreign", job_yaml);
    char *other = make_job("foreign-other", "width: 40\nheight: 30\nfps: 24\n"
                                            "clips:\n"
                                            "  - pattern: checker\n"
                                            "    frames: 26\n");
    char *pieces[4];
    render_tasks(job, pieces);
    char *stray = beside(other, "part-2.y4m");
    render(other, "--task", "2/4", stray, NULL);
    char *out = beside(job, "joined.y4m");
    const char *mixed[] = {pieces[0], pieces[1], stray, pieces[3], NULL};
    char want[2048];
    snprintf(want, sizeof want, "vgjoin: %s: foreign piece: it belongs to job",
             stray);
    expect_refused(out, mixed, want);
    /* The same run names the frames the job still lacks. */
    expect_refused(out, mixed,
                   "vgjoin: frames 12 to 17 (of 26) are in no "
                   "piece");
    free(out);
    free(stray);
    free_pieces(pieces);
    free(other);
    free(job);
}

Test(farm, join_refuses_a_whole_video_a_truncated_piece_and_non_y4m)
{
    char *job = make_job("notpiece", job_yaml);
    char *pieces[4];
    render_tasks(job, pieces);
    char *whole = beside(job, "whole.y4m");
    render(job, NULL, NULL, whole, NULL);
    char *out = beside(job, "joined.y4m");
    const char *with_whole[] = {whole, NULL};
    expect_refused(out, with_whole,
                   "whole.y4m: not a piece: its header has "
                   "no XVGJOB/XVGFRAMES record");
    size_t size = 0;
    char *data = vgt_read_file(pieces[3], &size);
    vgt_write_file(pieces[3], data, size - 100);
    const char *cut[] = {pieces[0], pieces[1], pieces[2], pieces[3], NULL};
    expect_refused(out, cut, "part-3.y4m: ");
    expect_refused(out, cut, "a truncated or damaged piece");
    vgt_write_file(pieces[3], "not a video\n", 12);
    expect_refused(out, cut, "part-3.y4m: not a Y4M stream");
    free(data);
    free(out);
    free(whole);
    free_pieces(pieces);
    free(job);
}

Test(farm, join_replaces_an_existing_output_only_with_y)
{
    char *job = make_job("join-y", job_yaml);
    char *pieces[4];
    render_tasks(job, pieces);
    char *out = beside(job, "joined.y4m");
    vgt_write_file(out, "old\n", 4);
    const char *all[] = {pieces[0], pieces[1], pieces[2], pieces[3], NULL};
    vgt_run_result r = join(out, all);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "joined.y4m already exists; use -y to overwrite "
                            "it"),
              "%s", r.err);
    vgt_run_result_free(&r);
    size_t size = 0;
    char *data = vgt_read_file(out, &size);
    cr_assert(size == 4 && memcmp(data, "old\n", 4) == 0);
    free(data);
    const char *args[] = {"-y",      out,       pieces[0], pieces[1],
                          pieces[2], pieces[3], NULL};
    r = run_with(VG_TEST_VGJOIN, args, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    vgt_run_result_free(&r);
    data = vgt_read_file(out, &size);
    cr_assert(size > 4 && strncmp(data, "YUV4MPEG2 ", 10) == 0);
    free(data);
    free(out);
    free_pieces(pieces);
    free(job);
}

Test(farm, join_will_not_write_over_a_piece)
{
    char *job = make_job("overwrite", job_yaml);
    char *pieces[4];
    render_tasks(job, pieces);
    size_t before = 0, after = 0;
    char *data = vgt_read_file(pieces[0], &before);
    const char *args[] = {"-y",      pieces[0], pieces[0], pieces[1],
                          pieces[2], pieces[3], NULL};
    vgt_run_result r = run_with(VG_TEST_VGJOIN, args, NULL);
    cr_assert_eq(r.exit_code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "is also given as a piece"), "%s", r.err);
    char *again = vgt_read_file(pieces[0], &after);
    cr_assert(before == after && memcmp(data, again, before) == 0);
    free(again);
    free(data);
    vgt_run_result_free(&r);
    free_pieces(pieces);
    free(job);
}

/* Slurm's and Kubernetes' task numbers choose the same range as I/N. */
Test(farm, task_reads_the_index_from_slurm_and_kubernetes)
{
    char *job = make_job("env", job_yaml);
    char *want = beside(job, "want.y4m");
    render(job, "--task", "2/4", want, NULL);
    size_t wsize = 0;
    char *wdata = vgt_read_file(want, &wsize);
    const char *const slurm[] = {"SLURM_ARRAY_TASK_ID=3",
                                 "SLURM_ARRAY_TASK_MIN=1",
                                 "SLURM_ARRAY_TASK_COUNT=4",
                                 "JOB_COMPLETION_INDEX",
                                 "VG_CONFIG",
                                 "VG_BACKENDS",
                                 NULL};
    const char *const k8s[] = {"JOB_COMPLETION_INDEX=2",
                               "SLURM_ARRAY_TASK_ID",
                               "SLURM_ARRAY_TASK_MIN",
                               "SLURM_ARRAY_TASK_COUNT",
                               "VG_CONFIG",
                               "VG_BACKENDS",
                               NULL};
    char *a = beside(job, "slurm.y4m"), *b = beside(job, "k8s.y4m");
    render(job, "--task", NULL, a, slurm);
    render(job, "--task", "/4", b, k8s);
    char *paths[] = {a, b};
    for (int i = 0; i < 2; i++) {
        size_t size = 0;
        char *data = vgt_read_file(paths[i], &size);
        cr_assert(size == wsize && memcmp(data, wdata, size) == 0, "%s",
                  paths[i]);
        free(data);
    }
    /* Kubernetes does not export the count: it must be given. */
    const char *args[] = {job, "--task", "-o", a, NULL};
    vgt_run_result r = run_with(VG_TEST_VGRUN, args, k8s);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "JOB_COMPLETION_INDEX gives the index but not "
                            "the count"),
              "%s", r.err);
    vgt_run_result_free(&r);
    /* An array with a step has task IDs beyond its count. */
    const char *const stepped[] = {"SLURM_ARRAY_TASK_ID=4",
                                   "SLURM_ARRAY_TASK_MIN=0",
                                   "SLURM_ARRAY_TASK_COUNT=3",
                                   "JOB_COMPLETION_INDEX",
                                   "VG_CONFIG",
                                   "VG_BACKENDS",
                                   NULL};
    r = run_with(VG_TEST_VGRUN, args, stepped);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "task 4 (from SLURM_ARRAY_TASK_ID) is not one of "
                            "0 to 2: tasks count from 0; submit the array as "
                            "--array=0-N, with no step or gaps"),
              "%s", r.err);
    vgt_run_result_free(&r);
    /* Outside both engines there is no index to read. */
    r = run_with(VG_TEST_VGRUN, args, NULL);
    cr_assert_eq(r.exit_code, 2);
    cr_assert(strstr(r.err, "--task without an index needs "
                            "SLURM_ARRAY_TASK_ID"),
              "%s", r.err);
    vgt_run_result_free(&r);
    free(a);
    free(b);
    free(wdata);
    free(want);
    free(job);
}

Test(farm, task_errors_are_usage_errors)
{
    char *job = make_job("taskerr", job_yaml);
    char *out = beside(job, "out.y4m");
    struct {
        const char *args[8];
        const char *message;
    } cases[] = {
        {{job, "--task", "4/4", "-o", out, NULL},
         "task 4 (from --task) is "
         "not one of 0 to 3"},
        {{job, "--task=0/27", "-o", out, NULL},
         "--task 0/27: the job has 26 frames, fewer than the tasks"},
        {{job, "--task", "1/4", "--frames", "0:3", "-o", out, NULL},
         "--task chooses the frames"},
        {{job, "--task=x/4", NULL}, "--task expects I/N"},
        {{job, "--task=1/0", NULL}, "the task count must be at least 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        vgt_run_result r = run_with(VG_TEST_VGRUN, cases[i].args, NULL);
        cr_assert_eq(r.exit_code, 2, "case %zu: %s", i, r.err);
        cr_assert(strstr(r.err, cases[i].message), "case %zu: %s", i, r.err);
        cr_assert(!exists(out));
        vgt_run_result_free(&r);
    }
    free(out);
    free(job);
}

/* An encoded piece carries the same record as container metadata, and
 * vgjoin (Y4M only for now) refuses it by name rather than mis-joining. */
Test(farm, encoded_pieces_carry_the_record_as_metadata)
{
    char *job = make_job("encoded", job_yaml);
    char *mp4 = beside(job, "part-1.mp4");
    render(job, "--task", "1/4", mp4, NULL);
    const char *info_args[] = {"--info", job, NULL};
    vgt_run_result info = run_with(VG_TEST_VGRUN, info_args, NULL);
    cr_assert_eq(info.exit_code, 0, "%s", info.err);
    char *fp = strstr(info.out, "fingerprint: ");
    cr_assert(fp);
    const char *probe[] = {"/bin/sh", "-c",
                           "ffprobe -v error -show_entries "
                           "format_tags=vg_job,vg_frames -of default=nw=1 "
                           "\"$0\"",
                           mp4, NULL};
    vgt_run_result r = vgt_run(probe, NULL);
    cr_assert_eq(r.exit_code, 0, "ffprobe: %s", r.err);
    char want[64];
    snprintf(want, sizeof want, "TAG:vg_job=%.16s\n", fp + 13);
    cr_assert(strstr(r.out, want), "%s\nwant %s", r.out, want);
    cr_assert(strstr(r.out, "TAG:vg_frames=6:12/26\n"), "%s", r.out);
    vgt_run_result_free(&r);
    vgt_run_result_free(&info);
    char *out = beside(job, "joined.y4m");
    const char *pieces[] = {mp4, NULL};
    expect_refused(out, pieces, "part-1.mp4: not a Y4M stream");
    free(out);
    free(mp4);
    free(job);
}

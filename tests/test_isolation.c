/*
 * test_isolation.c - no plugin can take a job down.
 *
 * The faulty plugin crashes, hangs, exits or prints (VG_FAULTY) in probe,
 * in the capability check, in open and at its Nth kernel call.  For each,
 * vgrun must fail over to cpu with the same exit status and output bytes as
 * a cpu-only run, name the file, the call (and frame) and the signal or
 * status in its reason and JSON report, and leave nothing but its outputs
 * behind.  Also: --list-backends survives them, interrupts end a hung run,
 * and a worker never outlives vgrun.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/selftest.h"
#include "test_support.h"
#include "vg/backend.h"
#include "vg/config.h"
#include "vg/loader.h"

/* A small job: 30 frames with a camera, a blur and a crossfade, so every
 * kernel runs. */
static const char job_yaml[] = "width: 96\n"
                               "height: 64\n"
                               "fps: 30\n"
                               "clips:\n"
                               "  - pattern: testsrc\n"
                               "    duration: 1\n"
                               "    camera: {from: {zoom: 1.0}, to: {zoom: "
                               "1.4}}\n"
                               "    blur: 1\n"
                               "  - pattern: bars\n"
                               "    duration: 1\n"
                               "    transition: crossfade\n";

/* Hang tests scale every deadline down (a 60 s check deadline becomes 3 s). */
static const char fast_deadlines_yaml[] = "isolation:\n"
                                          "  timeout_scale: 0.05\n";

typedef struct scene {
    char *dir;
    char job[1024], config[1024], reference[1024], out[1024], report[1024];
    char *reference_bytes;
    size_t reference_size;
} scene;

static vgt_run_result vgrun(const char *const *args, const char *const *env)
{
    return vgt_run_program(VG_TEST_VGRUN, args, env);
}

/* The job, a config, and the bytes of a cpu-only run to compare with. */
static void scene_setup(scene *s, const char *config_yaml)
{
    s->dir = vgt_make_temp_dir("isolation");
    snprintf(s->job, sizeof s->job, "%s/job.yaml", s->dir);
    snprintf(s->config, sizeof s->config, "%s/vg.yaml", s->dir);
    snprintf(s->reference, sizeof s->reference, "%s/cpu.y4m", s->dir);
    snprintf(s->out, sizeof s->out, "%s/out.y4m", s->dir);
    snprintf(s->report, sizeof s->report, "%s/report.json", s->dir);
    vgt_write_file(s->job, job_yaml, strlen(job_yaml));
    vgt_write_file(s->config, config_yaml, strlen(config_yaml));
    const char *args[] = {s->job, "--config", s->config,    "--backend",
                          "cpu",  "-o",       s->reference, NULL};
    const char *env[] = {"VG_BACKENDS", "VG_FAULTY", NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "cpu-only run: %s", r.err);
    vgt_run_result_free(&r);
    s->reference_bytes = vgt_read_file(s->reference, &s->reference_size);
    cr_assert(s->reference_bytes && s->reference_size > 0);
}

static void scene_teardown(scene *s)
{
    free(s->reference_bytes);
    free(s->dir);
}

/* Render with faulty first and cpu behind it, faults from `faults`; expect
 * success, the cpu bytes, `reason` (every fragment in it) in stderr and in
 * the JSON report, and no file but ours in the directory. */
static void expect_failover(const char *config_yaml, const char *faults,
                            const char *const *reason)
{
    scene s;
    scene_setup(&s, config_yaml);
    char fault_env[256];
    snprintf(fault_env, sizeof fault_env, "VG_FAULTY=%s", faults);
    const char *env[] = {fault_env, "VG_BACKENDS", NULL};
    const char *args[] = {s.job,        "--config", s.config, "--backend",
                          "faulty,cpu", "-o",       s.out,    "--json-report",
                          s.report,     "-v",       NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "%s: exit %d: %s", faults, r.exit_code, r.err);
    size_t size = 0;
    char *bytes = vgt_read_file(s.out, &size);
    cr_assert(bytes, "%s: no output", faults);
    cr_assert(size == s.reference_size &&
                  memcmp(bytes, s.reference_bytes, size) == 0,
              "%s: output differs from the cpu-only run", faults);
    char *report = vgt_read_file(s.report, NULL);
    cr_assert(report, "%s: no JSON report", faults);
    for (size_t i = 0; reason[i]; i++) {
        cr_assert(strstr(r.err, reason[i]), "%s: '%s' not in: %s", faults,
                  reason[i], r.err);
        cr_assert(strstr(report, reason[i]), "%s: '%s' not in the report",
                  faults, reason[i]);
    }
    /* An isolated plugin's failure names its file. */
    if (!strstr(config_yaml, "inprocess"))
        cr_assert(strstr(r.err, "/vg_faulty.so: "), "%s: file not named: %s",
                  faults, r.err);
    cr_assert(strstr(r.err, "using cpu"), "%s", r.err);
    const char *ours[] = {"job.yaml", "vg.yaml",     "cpu.y4m",
                          "out.y4m",  "report.json", NULL};
    cr_assert_eq(vgt_count_entries(s.dir, ours), 0,
                 "%s: a file was left behind", faults);
    free(report);
    free(bytes);
    vgt_run_result_free(&r);
    scene_teardown(&s);
}

#define EXPECT(config, faults, ...)                                            \
    do {                                                                       \
        const char *reason_[] = {__VA_ARGS__, NULL};                           \
        expect_failover(config, faults, reason_);                              \
    } while (0)

/* The kernel call that is frame 2's fill_pattern: the self-test makes
 * VG_SELFTEST_KERNEL_CALLS calls, and the job's first 14 come before it.
 * faulty with faults never reuses a cached self-test pass.  at_call("x=")
 * is "x=<that call>"; four such strings may be in use at once. */
#define KERNEL_FAILURE "frame 2: faulty: "

static const char *at_call(const char *prefix)
{
    static char texts[4][128];
    static unsigned next;
    char *text = texts[next++ % 4];
    snprintf(text, sizeof texts[0], "%s%d", prefix,
             VG_SELFTEST_KERNEL_CALLS + 15);
    return text;
}

Test(isolation, crash_anywhere_fails_over)
{
    EXPECT("", "crash_in_probe", "crashed in probe (SIGSEGV)");
    EXPECT("", "crash_in_check", "crashed in capability check (SIGSEGV)");
    EXPECT("", "crash_in_open", "crashed in open (SIGSEGV)");
    EXPECT("", at_call("crash_at="), KERNEL_FAILURE,
           "crashed in fill_pattern (SIGSEGV)");
}

Test(isolation, exit_anywhere_fails_over)
{
    EXPECT("", "exit_in_probe", "exited with status 0 in probe");
    EXPECT("", "exit_in_check,exit_status=3",
           "exited with status 3 in capability check");
    EXPECT("", "exit_in_open", "exited with status 0 in open");
    EXPECT("", at_call("exit_at="), KERNEL_FAILURE,
           "exited with status 0 in fill_pattern");
}

Test(isolation, stdout_output_anywhere_fails_over)
{
    EXPECT("", "print_in_probe", "wrote to standard output in probe",
           "faulty: debug output on stdout");
    EXPECT("", "print_in_check",
           "wrote to standard output in capability check");
    EXPECT("", "print_in_open", "wrote to standard output in open");
    EXPECT("", at_call("print_at="), KERNEL_FAILURE,
           "wrote to standard output in fill_pattern");
}

Test(isolation, hang_anywhere_is_killed_at_its_deadline)
{
    EXPECT(fast_deadlines_yaml, "hang_in_probe",
           "no answer from probe within 3.0 s (killed");
    EXPECT(fast_deadlines_yaml, "hang_in_check",
           "no answer from capability check within 3.0 s");
    EXPECT(fast_deadlines_yaml, "hang_in_open",
           "no answer from open within 6.0 s");
    EXPECT(fast_deadlines_yaml, at_call("hang_at="), KERNEL_FAILURE,
           "no answer from fill_pattern within 0.5 s");
}

/* With Y4M going to stdout, a plugin's printf must not reach the stream. */
Test(isolation, stray_output_never_reaches_the_output_stream)
{
    scene s;
    scene_setup(&s, "");
    const char *env[] = {at_call("VG_FAULTY=print_at="), "VG_BACKENDS", NULL};
    const char *args[] = {s.job,       "--config",   s.config,
                          "--backend", "faulty,cpu", "-o",
                          "-",         "-v",         NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(r.out_size == s.reference_size &&
                  memcmp(r.out, s.reference_bytes, r.out_size) == 0,
              "stdout (%zu bytes) differs from the cpu-only file (%zu)",
              r.out_size, s.reference_size);
    cr_assert(strstr(r.err, "wrote to standard output in fill_pattern"), "%s",
              r.err);
    vgt_run_result_free(&r);
    scene_teardown(&s);
}

/* The last backend crashing is an error with the reason, never a crash of
 * vgrun or a silent exit 0, and no output file is left. */
Test(isolation, crash_on_the_last_backend_is_a_clean_failure)
{
    scene s;
    scene_setup(&s, "");
    const char *env[] = {at_call("VG_FAULTY=exit_at="), "VG_BACKENDS", NULL};
    const char *args[] = {s.job,    "--config", s.config, "--backend",
                          "faulty", "-o",       s.out,    "--json-report",
                          s.report, NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 3, "exit %d: %s", r.exit_code, r.err);
    cr_assert(strstr(r.err, "exited with status 0 in fill_pattern"), "%s",
              r.err);
    char *report = vgt_read_file(s.report, NULL);
    cr_assert(report && strstr(report, "exited with status 0 in fill_pattern"));
    cr_assert_null(vgt_read_file(s.out, NULL), "an output file was left");
    const char *ours[] = {"job.yaml", "vg.yaml", "cpu.y4m", "report.json",
                          NULL};
    cr_assert_eq(vgt_count_entries(s.dir, ours), 0, "a file was left behind");
    free(report);
    vgt_run_result_free(&r);
    scene_teardown(&s);
}

Test(isolation, list_backends_survives_every_misbehaviour)
{
    const char *faults[] = {"VG_FAULTY=crash_in_check",
                            "VG_FAULTY=exit_in_open",
                            "VG_FAULTY=print_in_probe", "VG_FAULTY=crash_at=3"};
    const char *expected[] = {"crashed in capability check (SIGSEGV)",
                              "exited with status 0 in open",
                              "wrote to standard output in probe",
                              "crashed in warp_affine (SIGSEGV)"};
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        const char *env[] = {faults[i], "VG_BACKENDS", "VG_CONFIG", NULL};
        const char *args[] = {"--list-backends", NULL};
        vgt_run_result r = vgrun(args, env);
        cr_assert_eq(r.exit_code, 0, "%s: %s", faults[i], r.err);
        const char *faulty = strstr(r.out, "vg_faulty.so");
        cr_assert(faulty, "%s: %s", faults[i], r.out);
        cr_assert(strstr(faulty, expected[i]), "%s: '%s' not in %s", faults[i],
                  expected[i], r.out);
        const char *cpu = strstr(r.out, "vg_cpu.so");
        cr_assert(cpu && strstr(cpu, "status: usable"), "%s", r.out);
        vgt_run_result_free(&r);
    }
}

/* ---- signals and processes ----------------------------------------------- */

typedef struct child {
    pid_t pid;
    int err_fd;
} child;

/* Start vgrun with `env` (NAME=value entries) without waiting for it. */
static child start_vgrun(const char *const *args, const char *const *env)
{
    int err[2];
    cr_assert_eq(pipe(err), 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        for (size_t i = 0; env[i]; i++)
            putenv((char *)env[i]);
        unsetenv("VG_BACKENDS");
        int null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, 0);
        dup2(null_fd, 1);
        dup2(err[1], 2);
        close(err[0]);
        const char *argv[32] = {VG_TEST_VGRUN};
        size_t n = 1;
        for (size_t i = 0; args[i]; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(err[1]);
    return (child){pid, err[0]};
}

/* The worker processes vgrun started: its children. */
static size_t children_of(pid_t parent, pid_t *out, size_t cap)
{
    size_t n = 0;
    DIR *d = opendir("/proc");
    cr_assert(d);
    for (struct dirent *e; (e = readdir(d)) && n < cap;) {
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[got] = '\0';
        const char *close_paren = strrchr(buf, ')');
        char state;
        int ppid;
        if (close_paren &&
            sscanf(close_paren + 2, "%c %d", &state, &ppid) == 2 &&
            ppid == parent)
            out[n++] = (pid_t)atoi(e->d_name);
    }
    closedir(d);
    return n;
}

/* Block until vgrun's stderr shows `text` (it has reached that point). */
static void wait_for_text(int fd, const char *text, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    while (!strstr(buf, text)) {
        cr_assert(used + 1 < cap, "'%s' never appeared: %s", text, buf);
        ssize_t n = read(fd, buf + used, cap - used - 1);
        cr_assert(n > 0, "vgrun ended before '%s': %s", text, buf);
        used += (size_t)n;
        buf[used] = '\0';
    }
}

static bool process_gone(pid_t pid)
{
    /* Gone, or a zombie nobody has reaped yet: either way not running. */
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return true;
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    const char *close_paren = strrchr(buf, ')');
    return close_paren && close_paren[2] == 'Z';
}

/* A plugin hung in open (deadline two minutes) while the user presses
 * Ctrl-C, or the terminal closes: vgrun stops at once with 130, and its
 * worker is gone. */
static void expect_interrupt_ends_hang(int sig)
{
    scene s;
    scene_setup(&s, "");
    const char *env[] = {"VG_FAULTY=hang_in_open", NULL};
    char config_arg[1100];
    snprintf(config_arg, sizeof config_arg, "%s", s.config);
    const char *args[] = {s.job,       "--config",   config_arg,
                          "--backend", "faulty,cpu", "-o",
                          s.out,       "-v",         NULL};
    child c = start_vgrun(args, env);
    /* The selection report comes only after open returns, so poll the
     * process tree: the worker exists once probing started. */
    pid_t workers[8];
    size_t n = 0;
    for (int i = 0; i < 2000 && n == 0; i++) {
        n = children_of(c.pid, workers, 8);
        struct timespec pause = {0, 5000000};
        nanosleep(&pause, NULL);
    }
    cr_assert_gt(n, 0, "no worker process appeared");
    /* Let it reach the hang: the deadline is two minutes away either way. */
    struct timespec settle = {0, 300000000};
    nanosleep(&settle, NULL);
    cr_assert_eq(kill(c.pid, sig), 0);
    int status = 0;
    cr_assert_eq(waitpid(c.pid, &status, 0), c.pid);
    char err[4096];
    ssize_t got = read(c.err_fd, err, sizeof err - 1);
    err[got > 0 ? got : 0] = '\0';
    close(c.err_fd);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %#x: %s",
              status, err);
    cr_assert(strstr(err, "interrupted"), "%s", err);
    for (size_t i = 0; i < n; i++)
        cr_assert(process_gone(workers[i]), "worker %d outlived vgrun",
                  (int)workers[i]);
    cr_assert_null(vgt_read_file(s.out, NULL), "an output file was left");
    scene_teardown(&s);
}

Test(isolation, sigterm_ends_a_hung_plugin)
{
    expect_interrupt_ends_hang(SIGTERM);
}

Test(isolation, sighup_is_handled_like_sigterm)
{
    expect_interrupt_ends_hang(SIGHUP);
}

/* vgrun killed with SIGKILL (no handler runs): its worker dies with it. */
Test(isolation, worker_never_outlives_vgrun)
{
    scene s;
    scene_setup(&s, "");
    const char *env[] = {at_call("VG_FAULTY=hang_at="), NULL};
    const char *args[] = {s.job,       "--config",   s.config,
                          "--backend", "faulty,cpu", "-o",
                          s.out,       "-v",         NULL};
    child c = start_vgrun(args, env);
    char err[8192];
    wait_for_text(c.err_fd, "using faulty", err, sizeof err);
    pid_t workers[8];
    size_t n = children_of(c.pid, workers, 8);
    cr_assert_gt(n, 0, "no worker process");
    cr_assert_eq(kill(c.pid, SIGKILL), 0);
    int status = 0;
    cr_assert_eq(waitpid(c.pid, &status, 0), c.pid);
    close(c.err_fd);
    for (size_t i = 0; i < n; i++) {
        bool gone = false;
        /* The kernel delivers the parent-death signal as vgrun exits;
         * allow the scheduler up to 20 s on a loaded machine. */
        for (int t = 0; t < 2000 && !gone; t++) {
            gone = process_gone(workers[i]);
            struct timespec pause = {0, 10000000};
            nanosleep(&pause, NULL);
        }
        cr_assert(gone, "worker %d outlived vgrun", (int)workers[i]);
    }
    scene_teardown(&s);
}

/* ---- configuration ------------------------------------------------------- */

/* isolation.mode: inprocess keeps today's path: kernels in vgrun, failures
 * that return an error still fail over. */
Test(isolation, inprocess_mode_still_fails_over_on_kernel_errors)
{
    EXPECT("isolation:\n  mode: inprocess\n", at_call("kernel_fail_at="),
           at_call("injected failure of kernel call "));
}

Test(isolation, bad_isolation_values_are_config_errors)
{
    const char *bad[] = {"isolation:\n  mode: sandbox\n",
                         "isolation:\n  timeout_scale: 0\n",
                         "isolation:\n  timeout_scale: fast\n"};
    const char *expected[] = {"vg.yaml:2:9: isolation.mode: expected process "
                              "or inprocess, got 'sandbox'",
                              "vg.yaml:2:18: isolation.timeout_scale: "
                              "expected a number from 0.001 to 1000",
                              "isolation.timeout_scale: expected a number"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *dir = vgt_make_temp_dir("isolation-config");
        char path[1024];
        snprintf(path, sizeof path, "%s/vg.yaml", dir);
        vgt_write_file(path, bad[i], strlen(bad[i]));
        const char *args[] = {"--config", path, "--list-backends", NULL};
        const char *env[] = {"VG_BACKENDS", "VG_FAULTY", NULL};
        vgt_run_result r = vgrun(args, env);
        cr_assert_eq(r.exit_code, 2, "%s", r.err);
        cr_assert(strstr(r.err, expected[i]), "'%s' not in %s", expected[i],
                  r.err);
        vgt_run_result_free(&r);
        free(dir);
    }
}

/* ---- the worker itself --------------------------------------------------- */

#define FAULTY VG_TEST_PLUGIN_DIR "/vg_faulty.so"

/* Load and probe faulty with VG_WORKER pointing at `worker` (a script
 * standing in for vg-worker); returns the code, reason in `reason`. */
static int load_with_worker(const char *worker_script, char *reason,
                            size_t reason_size, char **dir_out)
{
    char *dir = vgt_make_temp_dir("isolation-worker");
    char path[1024];
    snprintf(path, sizeof path, "%s/fake-worker", dir);
    vgt_write_file(path, worker_script, strlen(worker_script));
    cr_assert_eq(chmod(path, 0755), 0);
    setenv("VG_WORKER", path, 1);
    unsetenv("VG_FAULTY");
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    int rc =
        vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason, reason_size);
    cr_assert_null(lp);
    vg_config_destroy(&cfg);
    unsetenv("VG_WORKER");
    if (dir_out)
        *dir_out = dir;
    else
        free(dir);
    return rc;
}

/* The stand-in also starts a child, as a plugin might: killing the worker
 * ends its whole process group. */
Test(isolation, a_worker_from_another_build_is_refused)
{
    char reason[1024];
    char *dir = NULL;
    int rc = load_with_worker("#!/bin/sh\nsleep 60 &\necho $! > \"$0.child\"\n"
                              "printf 'notvg!!!' >&3\nwait\n",
                              reason, sizeof reason, &dir);
    cr_assert_eq(rc, VG_ERR_CRASHED, "%d: %s", rc, reason);
    cr_assert(strstr(reason, "vg_faulty.so: the vg-worker executable is from "
                             "another build of vg"),
              "%s", reason);
    char path[1100];
    snprintf(path, sizeof path, "%s/fake-worker.child", dir);
    char *pid_text = vgt_read_file(path, NULL);
    cr_assert(pid_text, "the stand-in did not start its child");
    pid_t grandchild = (pid_t)atoi(pid_text);
    bool gone = false;
    for (int t = 0; t < 2000 && !gone; t++) {
        gone = process_gone(grandchild);
        struct timespec pause = {0, 10000000};
        nanosleep(&pause, NULL);
    }
    cr_assert(gone, "the worker's child %d outlived it", (int)grandchild);
    free(pid_text);
    free(dir);
}

/* A reply announcing more payload than the call takes is a broken
 * protocol: the worker is killed, never trusted. */
Test(isolation, a_malformed_reply_kills_the_worker)
{
    char reason[1024];
    int rc = load_with_worker(
        "#!/bin/bash\n"
        "printf '\\x72\\x77\\x67\\x76\\x01\\x00\\x00\\x00' >&3\n"
        "{ printf '\\x00\\x00\\x00\\x00\\xff\\xff\\xff\\x7f'; "
        "head -c 1032 /dev/zero; } >&3\n"
        "sleep 60\n",
        reason, sizeof reason, NULL);
    cr_assert_eq(rc, VG_ERR_CRASHED, "%d: %s", rc, reason);
    cr_assert(strstr(reason, "vg_faulty.so: sent a malformed reply to load "
                             "(killed)"),
              "%s", reason);
}

Test(isolation, a_missing_worker_executable_is_a_reason)
{
    setenv("VG_WORKER", "/nonexistent/vg-worker", 1);
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    char reason[1024];
    int rc = vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason,
                                      sizeof reason);
    unsetenv("VG_WORKER");
    cr_assert_eq(rc, VG_ERR_IO);
    cr_assert(strstr(reason, "the vg-worker executable was not found (looked "
                             "for /nonexistent/vg-worker"),
              "%s", reason);
    vg_config_destroy(&cfg);
}

/* isolation.mode: inprocess keeps the forked probe child. */
Test(isolation, inprocess_mode_still_contains_a_probe_crash)
{
    setenv("VG_FAULTY", "crash_in_probe", 1);
    vg_config *cfg = NULL;
    char err[1024];
    cr_assert_eq(vg_config_load_string("isolation: {mode: inprocess}\n",
                                       "t.yaml", &cfg, err, sizeof err),
                 0, "%s", err);
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    char reason[1024];
    int rc = vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason,
                                      sizeof reason);
    unsetenv("VG_FAULTY");
    cr_assert_eq(rc, VG_ERR_CRASHED, "%s", reason);
    cr_assert(strstr(reason, "crashed while loading or probing (SIGSEGV)"),
              "%s", reason);
    vg_config_destroy(&cfg);
}

/* Even a backend that runs in vgrun (cpu, by default) is loaded and probed
 * in a fresh vg-worker first: never in a bare fork of vgrun, which may
 * have initialised a GPU runtime.  A wrapper standing in for vg-worker logs
 * the plugin each worker was started for. */
Test(isolation, inprocess_backends_are_probed_in_a_worker_too)
{
    scene s;
    scene_setup(&s, "");
    char log[1100], wrapper[1100], script[4096], worker_env[1200];
    snprintf(log, sizeof log, "%s/workers.log", s.dir);
    snprintf(wrapper, sizeof wrapper, "%s/wrapper", s.dir);
    snprintf(script, sizeof script,
             "#!/bin/sh\necho \"$1\" >> '%s'\nexec '%s/tools/vg-worker/"
             "vg-worker' \"$@\"\n",
             log, VG_TEST_BUILD_DIR);
    vgt_write_file(wrapper, script, strlen(script));
    cr_assert_eq(chmod(wrapper, 0755), 0);
    snprintf(worker_env, sizeof worker_env, "VG_WORKER=%s", wrapper);
    const char *env[] = {worker_env, "VG_BACKENDS", "VG_FAULTY", NULL};
    const char *args[] = {s.job, "--config", s.config, "--backend",
                          "cpu", "-o",       s.out,    NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    size_t size = 0;
    char *bytes = vgt_read_file(s.out, &size);
    cr_assert(bytes && size == s.reference_size &&
              memcmp(bytes, s.reference_bytes, size) == 0);
    char *logged = vgt_read_file(log, NULL);
    cr_assert(logged && strstr(logged, "/vg_cpu.so\n"), "workers: %s",
              logged ? logged : "(none)");
    free(logged);
    free(bytes);
    vgt_run_result_free(&r);
    scene_teardown(&s);
}

/* A plugin listed there really runs in vgrun: its stray output is no longer
 * caught (which is why only the built-in cpu backend is listed). */
Test(isolation, a_listed_plugin_runs_in_vgrun)
{
    scene s;
    scene_setup(&s, "isolation:\n  inprocess_backends: [faulty]\n");
    const char *env[] = {at_call("VG_FAULTY=print_at="), "VG_BACKENDS", NULL};
    const char *args[] = {s.job,        "--config", s.config, "--backend",
                          "faulty,cpu", "-o",       s.out,    NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "faulty: debug output on stdout"), "stdout: %s",
              r.out);
    vgt_run_result_free(&r);
    scene_teardown(&s);
}

/* A plugin whose worker died and cannot be restarted stays isolated: its
 * calls keep failing with the reason, and never run in this process. */
Test(isolation, a_plugin_never_falls_back_to_running_in_the_host)
{
    setenv("VG_FAULTY", "crash_in_open", 1);
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    vg_loaded_plugin *lp = NULL;
    vg_probe_result probe;
    char reason[1024];
    cr_assert_eq(vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason,
                                          sizeof reason),
                 0, "%s", reason);
    vg_job_limits limits = {.max_width = 64, .max_height = 64};
    vg_backend *b = NULL;
    int rc = vg_backend_open(lp, 0, &limits, &b, reason, sizeof reason);
    cr_assert_eq(rc, VG_ERR_CRASHED, "%s", reason);
    cr_assert(strstr(reason, "crashed in open (SIGSEGV)"), "%s", reason);
    /* No worker can start now: each later open must say so (run here, it
     * would crash this test). */
    setenv("VG_WORKER", "/nonexistent/vg-worker", 1);
    for (int i = 0; i < 2; i++) {
        rc = vg_backend_open(lp, 0, &limits, &b, reason, sizeof reason);
        cr_assert_eq(rc, VG_ERR_IO, "open %d: %d: %s", i, rc, reason);
        cr_assert_null(b);
        cr_assert(strstr(reason, "vg-worker executable was not found"), "%s",
                  reason);
    }
    unsetenv("VG_WORKER");
    unsetenv("VG_FAULTY");
    vg_plugin_unload(&lp);
    vg_config_destroy(&cfg);
}

/* ---- the forwarding slots ------------------------------------------------ */

/* Every kernel, through the worker, gives the bytes it gives in vgrun: the
 * forwarding slots, their frames and parameters and the worker's dispatch
 * are generated per kernel row (loader/worker_protocol.h), and a kernel
 * forwarded with a wrong source, parameter member or op fails here.  faulty
 * without faults is the CPU backend's kernels in a worker; --reprobe runs
 * its self-test there (every kernel row's cases, i420_to_rgba included,
 * against the reference bytes), and the job is compared with the in-vgrun
 * cpu run.  faulty is the only backend, so any failure fails the run. */
Test(isolation, every_kernel_through_a_worker_gives_the_in_process_bytes)
{
    scene s;
    scene_setup(&s, "");
    const char *env[] = {"VG_BACKENDS", "VG_FAULTY", NULL};
    const char *args[] = {s.job,    "--config",      s.config, "--backend",
                          "faulty", "--reprobe",     "-o",     s.out,
                          "-v",     "--json-report", s.report, NULL};
    vgt_run_result r = vgrun(args, env);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_assert(strstr(r.err, "using faulty"), "%s", r.err);
    cr_assert(strstr(r.err, "self-test") && !strstr(r.err, "(cached)"),
              "the self-test did not run: %s", r.err);
    size_t size = 0;
    char *bytes = vgt_read_file(s.out, &size);
    cr_assert(bytes && size == s.reference_size &&
                  memcmp(bytes, s.reference_bytes, size) == 0,
              "the worker's output differs from the in-process cpu run");
    free(bytes);
    vgt_run_result_free(&r);
    scene_teardown(&s);
}

/* The forwarding descriptor has exactly the plugin's optional slots: the
 * asynchronous download pair only for a plugin that has it (faulty
 * simulates one with async_download), and none of ABI version 3's for a
 * plugin of version 1. */
Test(isolation, forwarding_slots_follow_the_plugins_optional_slots)
{
    static const struct {
        const char *faults;
        bool async_download;
    } cases[] = {
        {"", false},
        {"async_download", true},
        {"v1_descriptor", false},
    };
    vg_config *cfg = NULL;
    cr_assert_eq(vg_config_create_default(&cfg), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("VG_FAULTY", cases[i].faults, 1);
        vg_loaded_plugin *lp = NULL;
        vg_probe_result probe;
        char reason[1024];
        cr_assert_eq(vg_plugin_load_and_probe(FAULTY, cfg, &lp, &probe, reason,
                                              sizeof reason),
                     0, "%s: %s", cases[i].faults, reason);
        vg_job_limits limits = {.max_width = 64, .max_height = 64};
        vg_backend *b = NULL;
        cr_assert_eq(vg_backend_open(lp, 0, &limits, &b, reason, sizeof reason),
                     0, "%s: %s", cases[i].faults, reason);
        cr_assert_eq(vg_backend_has_async_download(b), cases[i].async_download,
                     "'%s': the forwarding slots %s the download pair",
                     cases[i].faults,
                     cases[i].async_download ? "lack" : "claim");
        /* What the self-test and the render loop may call: every kernel
         * of version 1, the version 2 and 3 slots only where claimed. */
        bool v1 = strcmp(cases[i].faults, "v1_descriptor") == 0;
        cr_assert(vg_backend_provides(b, "blend"), "%s", cases[i].faults);
        cr_assert_eq(vg_backend_provides(b, "probe_with_reason"), !v1, "%s",
                     cases[i].faults);
        cr_assert_eq(vg_backend_provides(b, "frame_download_start"),
                     cases[i].async_download, "%s", cases[i].faults);
        cr_assert_not(vg_backend_provides(b, "sharpen"));
        vg_backend_close(&b);
        vg_plugin_unload(&lp);
    }
    unsetenv("VG_FAULTY");
    vg_config_destroy(&cfg);
}

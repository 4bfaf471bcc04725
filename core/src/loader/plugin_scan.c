/*
 * plugin_scan.c - load and probe a plugin in a child process first.
 *
 * A plugin is code we did not write: its constructor or its probe may crash
 * (a broken driver library, a bad build).  As GStreamer's registry scanner
 * does, the first contact happens in a forked child; only a plugin that
 * survived loading and probing there is loaded into the host.  The child
 * sends its result back as plain data through a pipe, which is why probe
 * results hold no pointers (docs/design.md, "The plugin ABI").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loader/loaded_plugin.h"

/* A probe that has not answered after this long is treated as hung. */
#define VG_PROBE_TIMEOUT_MS 60000

/* What the child reports. */
typedef struct scan_report {
    int code;
    char reason[VG_REASON_MAX];
    vg_probe_result probe;
    char probe_reason[VG_REASON_MAX];
} scan_report;

/* Run the plugin's probe; a long reason (ABI 2's probe_with_reason) goes to
 * `probe_reason`, else the fixed field is copied there. */
static int run_probe(const vg_loaded_plugin *lp, vg_probe_result *probe,
                     char *probe_reason, size_t probe_reason_size)
{
    const vg_plugin *desc = lp->desc;
    memset(probe, 0, sizeof *probe);
    probe_reason[0] = '\0';
    int rc;
    if (VG_PLUGIN_HAS_SLOT(desc, probe_with_reason)) {
        rc = desc->probe_with_reason(lp->options, probe, probe_reason,
                                     probe_reason_size);
        probe_reason[probe_reason_size - 1] = '\0';
    } else {
        rc = desc->probe(lp->options, probe);
    }
    probe->reason[sizeof probe->reason - 1] = '\0';
    if (!probe_reason[0])
        snprintf(probe_reason, probe_reason_size, "%s", probe->reason);
    return rc;
}

/* Load, configure and probe in this process. */
static int load_configure_probe(const char *path, const vg_config *cfg,
                                vg_loaded_plugin **out, vg_probe_result *probe,
                                char *probe_reason, char *reason,
                                size_t reason_size)
{
    int rc = vg_plugin_load(path, out, reason, reason_size);
    if (rc == 0)
        rc = vg_loaded_plugin_configure(*out, cfg, reason, reason_size);
    if (rc == 0) {
        /* Plain data from the plugin: never trust its strings to be
         * terminated or its count to be in range. */
        rc = run_probe(*out, probe, probe_reason, VG_REASON_MAX);
        vg_probe_result_sanitize(probe);
        if (rc != 0)
            snprintf(reason, reason_size, "probe failed: %s",
                     probe_reason[0] ? probe_reason : vg_strerror(rc));
    }
    if (rc != 0)
        vg_plugin_unload(out);
    return rc;
}

static void write_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        size -= (size_t)n;
    }
}

static void run_child(int fd, const char *path, const vg_config *cfg)
{
    static scan_report report; /* static: too large for a small stack */
    vg_loaded_plugin *lp = NULL;
    report.code =
        load_configure_probe(path, cfg, &lp, &report.probe, report.probe_reason,
                             report.reason, sizeof report.reason);
    write_all(fd, &report, sizeof report);
    close(fd);
    /* _exit: no atexit handlers or stdio flushes of the parent's state. */
    _exit(0);
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 +
           (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Read the child's report; false on timeout or a short report. */
static bool read_report(int fd, scan_report *report)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *p = (char *)report;
    size_t got = 0;
    while (got < sizeof *report) {
        long left = VG_PROBE_TIMEOUT_MS - elapsed_ms(&start);
        if (left <= 0)
            return false;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int ready = poll(&pfd, 1, (int)left);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return false;
        ssize_t n = read(fd, p + got, sizeof *report - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        got += (size_t)n;
    }
    return true;
}

static int scan_in_child(const char *path, const vg_config *cfg,
                         scan_report *report)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(report->reason, sizeof report->reason,
                 "%s: cannot create a pipe to probe it: %s", path,
                 strerror(errno));
        return VG_ERR_IO;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(report->reason, sizeof report->reason,
                 "%s: cannot fork to probe it: %s", path, strerror(errno));
        return VG_ERR_IO;
    }
    if (pid == 0) {
        close(fds[0]);
        run_child(fds[1], path, cfg);
    }
    close(fds[1]);
    bool complete = read_report(fds[0], report);
    close(fds[0]);
    if (!complete)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
        snprintf(report->reason, sizeof report->reason,
                 "%s: crashed while loading or probing (SIG%s)", path,
                 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status))
                                                : "?");
        return VG_ERR_CRASHED;
    }
    if (!complete) {
        snprintf(report->reason, sizeof report->reason,
                 WIFSIGNALED(status)
                     ? "%s: no answer from its probe within %d s"
                     : "%s: exited while loading or probing",
                 path, VG_PROBE_TIMEOUT_MS / 1000);
        return VG_ERR_CRASHED;
    }
    return report->code;
}

int vg_plugin_load_and_probe(const char *path, const vg_config *cfg,
                             vg_loaded_plugin **out, vg_probe_result *probe_out,
                             char *reason, size_t reason_size)
{
    *out = NULL;
    const char *mode = secure_getenv("VG_PLUGIN_SCAN");
    if (mode && strcmp(mode, "inprocess") == 0) {
        char probe_reason[VG_REASON_MAX];
        int rc = load_configure_probe(path, cfg, out, probe_out, probe_reason,
                                      reason, reason_size);
        if (rc == 0)
            snprintf(reason, reason_size, "%s", probe_reason);
        return rc;
    }
    if (cfg->isolate_backends)
        return vg_plugin_load_isolated(path, cfg, out, probe_out, reason,
                                       reason_size);

    scan_report *report = calloc(1, sizeof *report);
    if (!report) {
        snprintf(reason, reason_size, "%s: out of memory", path);
        return VG_ERR_NO_MEMORY;
    }
    int rc = scan_in_child(path, cfg, report);
    if (rc != 0) {
        snprintf(reason, reason_size, "%s", report->reason);
        free(report);
        return rc;
    }
    /* The child survived: load for real.  Probing is not repeated. */
    *probe_out = report->probe;
    snprintf(reason, reason_size, "%s", report->probe_reason);
    free(report);
    rc = vg_plugin_load(path, out, reason, reason_size);
    if (rc == 0)
        rc = vg_loaded_plugin_configure(*out, cfg, reason, reason_size);
    if (rc != 0)
        vg_plugin_unload(out);
    return rc;
}

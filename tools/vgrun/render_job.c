/*
 * render_job.c - load the job and render it frame by frame, failing over
 * mid-job.
 *
 * Frames are pure functions of (job, index), so when a kernel fails and
 * policy allows, the next backend in the chain renders the same frame again:
 * nothing is lost or duplicated and the bytes equal a run on the fallback
 * backend alone.  VG_RENDER_DEPTH frames are in flight (frame N downloads
 * while frame N + 1 renders) and are written strictly in order; a failure
 * hands over at the oldest frame not yet written, and frames in flight
 * behind it are rendered again by the next backend.
 *
 * Output rule: errors always go to stderr; the selection report, failovers
 * and the summary only when stderr is a terminal or with -v, never with -q.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vg/image.h"
#include "vg/interrupt.h"
#include "vg/job.h"
#include "vg/piece.h"
#include "vg/verify.h"
#include "vgrun.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    /* A call waiting on a hung backend's worker gives up at once. */
    vg_interrupt_request();
}

void vgrun_print_attempts(FILE *out, const vg_selector *sel)
{
    for (size_t i = 0; i < vg_selector_attempt_count(sel); i++) {
        const vg_attempt *a = vg_selector_attempt(sel, i);
        if (a->stage == VG_STAGE_SELECTED)
            continue;
        fprintf(out, "vgrun: skipped %s (%s): %s\n", a->backend,
                vg_stage_name(a->stage), a->reason);
    }
}

void vgrun_print_plugin_files(FILE *out, const vg_selector *sel)
{
    for (size_t i = 0; i < vg_selector_attempt_count(sel); i++) {
        const vg_attempt *a = vg_selector_attempt(sel, i);
        /* Attempts that stopped at find or load ran no code of the file. */
        if (!a->file[0] || a->stage == VG_STAGE_FIND ||
            a->stage == VG_STAGE_LOAD)
            continue;
        bool seen = false; /* a failover adds a second attempt per file */
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(vg_selector_attempt(sel, j)->file, a->file) == 0;
        if (seen)
            continue;
        char *full = realpath(a->file, NULL);
        fprintf(out, "vgrun: plugin %s loaded from %s\n", a->backend,
                full ? full : a->file);
        free(full);
    }
}

/* The state of one run: the job, selection, the backend in use, the
 * output, and what happened. */
typedef struct run {
    const vgrun_options *opts;
    const vg_config *cfg;
    bool report; /* print the selection report, failovers and summary */
    vg_job *job;
    vg_job_info info;
    vg_selector *selector;
    vg_backend *backend;
    vg_render *render;
    vgrun_output *output;
    vg_image frames[VG_RENDER_DEPTH]; /* frame i lands in frames[i % depth] */
    vg_verifier *verifier; /* checks every Nth non-cpu frame (vg/verify.h) */
    bool verify_warned;
    vgrun_record record;
} run;

/* Print "vgrun: MESSAGE" and keep it for the JSON report; returns code. */
static int fail(run *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(run *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->record.error, sizeof r->record.error, fmt, ap);
    va_end(ap);
    fprintf(stderr, "vgrun: %s\n", r->record.error);
    return code;
}

/* Open the next usable backend and prepare it for the job. */
static int next_backend(run *r)
{
    char err[VG_ATTEMPT_REASON_MAX];
    for (;;) {
        vg_render_destroy(&r->render);
        vg_backend_close(&r->backend);
        int rc = vg_selector_next(r->selector, &r->backend, err, sizeof err);
        if (interrupted)
            return fail(r, VGRUN_EXIT_INTERRUPTED,
                        "interrupted; no output written");
        if (rc == VG_ERR_CONFIG)
            return fail(r, VGRUN_EXIT_USAGE, "%s", err);
        if (rc != 0) {
            vgrun_print_attempts(stderr, r->selector);
            return fail(r, VGRUN_EXIT_NO_BACKEND, "error: %s", err);
        }
        rc = vg_render_create(r->job, r->backend, &r->render, err, sizeof err);
        if (rc == 0)
            return 0;
        /* A backend that cannot even allocate the job's frames failed at
         * run time: record it and move on, as for a kernel failure. */
        vg_selector_fail(r->selector, r->backend, rc, err);
    }
}

static void print_selected(const run *r)
{
    size_t n = vg_selector_attempt_count(r->selector);
    const vg_attempt *a = vg_selector_attempt(r->selector, n - 1);
    fprintf(stderr, "vgrun: using %s (%s)\n", a->backend, a->reason);
    if (r->opts->verbose)
        vgrun_print_plugin_files(stderr, r->selector);
}

/* The first failure among the frames in flight, kept while the frames
 * before it are collected. */
typedef struct frame_failure {
    bool set;
    bool on_input; /* the job's input, not the backend: no failover */
    uint32_t index;
    int code;
    bool whole; /* message is the whole reason (a verification mismatch) */
    char message[VG_REASON_MAX - 32]; /* room for "frame N: " */
} frame_failure;

/* Note that frame `index` failed with `code`, unless an earlier frame
 * already did (frames fail over at the oldest failure). */
static void note_failure(run *r, frame_failure *f, uint32_t index, int code)
{
    if (f->set && f->index < index)
        return;
    *f = (frame_failure){.set = true,
                         .on_input = vg_render_failed_on_input(r->render),
                         .index = index,
                         .code = code};
    snprintf(f->message, sizeof f->message, "%s",
             vg_render_last_error(r->render));
}

/* A kernel failed on a frame, or its bytes differed from the cpu backend's:
 * hand over to the next backend. */
static int fail_over(run *r, const frame_failure *f)
{
    uint32_t index = f->index;
    int code = f->code;
    char reason[VG_REASON_MAX];
    if (f->whole)
        snprintf(reason, sizeof reason, "%s", f->message);
    else
        snprintf(reason, sizeof reason, "frame %u: %s", index, f->message);
    if (r->report)
        fprintf(stderr, "vgrun: %s failed at %s\n", vg_backend_name(r->backend),
                reason);
    if (!vgrun_record_failover(&r->record, index, vg_backend_name(r->backend),
                               code, reason))
        return fail(r, VGRUN_EXIT_RUNTIME, "out of memory");
    vg_selector_fail(r->selector, r->backend, code, reason);
    int rc = next_backend(r);
    if (rc != 0)
        return rc;
    vgrun_record_takeover(&r->record, vg_backend_name(r->backend));
    if (r->report)
        print_selected(r);
    return 0;
}

/* Rendered frame `index` goes to the video, or to the snapshot picture. */
static int emit_frame(run *r, uint32_t index)
{
    char err[1024];
    const vg_image *frame = &r->frames[index % VG_RENDER_DEPTH];
    int rc = r->opts->snapshot_path
                 ? vgrun_write_snapshot(r->opts->snapshot_path, frame, &r->info,
                                        err, sizeof err)
                 : vgrun_output_write(r->output, frame, err, sizeof err);
    if (rc != 0 && vgrun_output_reader_gone(r->output))
        return fail(r, VGRUN_EXIT_RUNTIME,
                    "output closed by the reader after %u frames",
                    vgrun_record_frames(&r->record));
    if (rc != 0)
        return fail(r, VGRUN_EXIT_RUNTIME, "%s", err);
    if (!vgrun_record_frame(&r->record, vg_backend_name(r->backend), index))
        return fail(r, VGRUN_EXIT_RUNTIME, "out of memory");
    return 0;
}

/* Before frame `index` is written: when due, compare it with the cpu
 * backend's.  Returns 0 to write it (*rc set when recording failed), or
 * VG_ERR_MISMATCH with the reason in `why`. */
static int verify_frame(run *r, uint32_t index, int *rc, char *why,
                        size_t why_size)
{
    if (!vg_verifier_due(r->verifier, r->backend, index))
        return 0;
    int check = vg_verifier_check(
        r->verifier, index, &r->frames[index % VG_RENDER_DEPTH], why, why_size);
    if (check == 0) {
        if (!vgrun_record_verified(&r->record, index))
            *rc = fail(r, VGRUN_EXIT_RUNTIME, "out of memory");
        return 0;
    }
    if (check == VG_ERR_MISMATCH)
        return check;
    /* The cpu backend itself is unusable: the run goes on unverified, and
     * says so. */
    if (!r->verify_warned)
        fprintf(stderr, "vgrun: warning: %s; verification is off\n", why);
    r->verify_warned = true;
    vg_verifier_destroy(&r->verifier);
    return 0;
}

/* Fill the pipeline from `*next` up to `end`, stopping at the first frame
 * that fails to submit. */
static void submit_frames(run *r, uint32_t *next, uint32_t end,
                          frame_failure *failed)
{
    while (!failed->set && *next < end &&
           vg_render_in_flight(r->render) < VG_RENDER_DEPTH) {
        uint32_t i = *next;
        int rc =
            vg_render_submit(r->render, i, &r->frames[i % VG_RENDER_DEPTH]);
        if (rc != 0)
            note_failure(r, failed, i, rc);
        else
            (*next)++;
    }
}

/* Frames are written in order: `written` is the next to write, `next` the
 * next to submit.  A failure waits until every frame before it has been
 * collected and written, then fails over (discarding frames in flight
 * behind it) and rendering resumes at the failed frame. */
static int render_frames(run *r, uint32_t first, uint32_t end)
{
    vgrun_progress progress;
    bool terminal = isatty(STDERR_FILENO);
    vgrun_progress_start(
        &progress, !r->opts->quiet && (terminal || r->opts->verbose), terminal,
        end - first, (double)r->info.fps_num / r->info.fps_den);
    uint32_t next = first, written = first;
    frame_failure failed = {.set = false};
    int rc = 0;
    while (written < end && rc == 0) {
        if (interrupted) {
            vgrun_progress_end(&progress);
            return fail(r, VGRUN_EXIT_INTERRUPTED,
                        "interrupted; no output written");
        }
        submit_frames(r, &next, end, &failed);
        if (vg_render_in_flight(r->render) > 0) {
            uint32_t index;
            int code = vg_render_collect(r->render, &index);
            char why[VG_REASON_MAX - 32];
            if (code == 0 &&
                verify_frame(r, index, &rc, why, sizeof why) == 0) {
                if (rc == 0)
                    rc = emit_frame(r, index);
                written = index + 1;
                vgrun_progress_update(&progress, written - first,
                                      vg_backend_name(r->backend));
                continue;
            }
            if (code == 0) {
                /* Its bytes differ from the cpu backend's: fail over at
                 * it, as for a kernel failure. */
                failed = (frame_failure){.set = true,
                                         .index = index,
                                         .code = VG_ERR_MISMATCH,
                                         .whole = true};
                snprintf(failed.message, sizeof failed.message, "%s", why);
            } else {
                note_failure(r, &failed, index, code);
            }
        }
        /* Here the failure is at frame `written`: everything before it is
         * out. */
        vgrun_progress_end(&progress);
        /* A call the interrupt cut short is no backend's failure. */
        if (interrupted)
            return fail(r, VGRUN_EXIT_INTERRUPTED,
                        "interrupted; no output written");
        /* An unreadable input fails on every backend alike. */
        if (failed.on_input)
            return fail(r, VGRUN_EXIT_RUNTIME, "frame %u: %s", failed.index,
                        failed.message);
        rc = fail_over(r, &failed);
        next = failed.index; /* render it again on the new backend */
        failed.set = false;
    }
    vgrun_progress_end(&progress);
    return rc;
}

/* The frames asked for: --snapshot N, --frames A:B, else all. */
static int frame_range(run *r)
{
    const vgrun_options *o = r->opts;
    uint32_t count = r->info.frame_count;
    r->record.first = o->has_range ? o->first_frame : 0;
    r->record.end = o->has_range ? o->end_frame : count;
    if (o->has_task &&
        vg_piece_task_range(count, o->task.index, o->task.count,
                            &r->record.first, &r->record.end) != 0)
        return fail(r, VGRUN_EXIT_USAGE,
                    "--task %u/%u: the job has %u frames, fewer than the "
                    "tasks; use at most %u tasks",
                    o->task.index, o->task.count, count, count);
    if (o->snapshot_path) {
        r->record.first = o->snapshot_frame;
        r->record.end = o->snapshot_frame + 1;
        if (o->snapshot_frame >= count)
            return fail(r, VGRUN_EXIT_USAGE,
                        "--snapshot %u: the job has frames 0 to %u",
                        o->snapshot_frame, count - 1);
    }
    if (r->record.end > count)
        return fail(r, VGRUN_EXIT_USAGE,
                    "--frames %u:%u is outside the job's %u frames",
                    r->record.first, r->record.end, count);
    return 0;
}

static void print_summary(const run *r)
{
    const vgrun_options *o = r->opts;
    uint32_t n = vgrun_record_frames(&r->record);
    double s = r->record.seconds;
    size_t fallbacks = r->record.failover_count;
    if (o->snapshot_path) {
        fprintf(stderr, "vgrun: frame %u written to %s (%.2f s on %s)\n",
                r->record.first, o->snapshot_path, s,
                vg_backend_name(r->backend));
        return;
    }
    fprintf(stderr,
            "vgrun: %u frames in %.2f s (%.1f fps) on %s, %zu fallback%s, "
            "written to %s%s%s%s\n",
            n, s, s > 0 ? n / s : 0, vg_backend_name(r->backend), fallbacks,
            fallbacks == 1 ? "" : "s",
            strcmp(o->output, "-") == 0 ? "stdout" : o->output,
            r->record.encoder[0] ? " (" : "", r->record.encoder,
            r->record.encoder[0] ? ")" : "");
    if (r->record.verified_count)
        fprintf(stderr, "vgrun: %zu frame%s verified against the cpu backend\n",
                r->record.verified_count,
                r->record.verified_count == 1 ? "" : "s");
}

/* The video: Y4M, or encoded (the encoder and why it was chosen are
 * reported like a backend). */
static int open_output(run *r)
{
    char err[1024];
    /* A range of the job is a piece: it says whose and which frames it
     * holds, so a join can refuse a missing or foreign one (vg/piece.h). */
    vg_piece piece = {.first = r->record.first,
                      .end = r->record.end,
                      .total = r->info.frame_count};
    bool is_piece = r->opts->has_range || r->opts->has_task;
    if (is_piece &&
        vg_job_fingerprint(r->job, &piece.fingerprint, err, sizeof err) != 0)
        return fail(r, VGRUN_EXIT_RUNTIME, "%s", err);
    int rc = vgrun_output_open(r->opts, r->cfg, r->job, r->record.first,
                               is_piece ? &piece : NULL, &r->output, err,
                               sizeof err);
    if (rc != 0)
        return fail(r,
                    rc == VG_ERR_CONFIG ? VGRUN_EXIT_USAGE : VGRUN_EXIT_RUNTIME,
                    "%s", err);
    const char *codec = vgrun_output_codec(r->output);
    const char *audio = vg_job_get_audio(r->job).path;
    if (!codec && audio && r->report)
        fprintf(stderr, "vgrun: audio %s left out: Y4M has no sound\n", audio);
    if (!codec)
        return 0;
    vgrun_record *rec = &r->record;
    snprintf(rec->encoder, sizeof rec->encoder, "%s", codec);
    snprintf(rec->container, sizeof rec->container, "%s",
             vgrun_output_container(r->output));
    snprintf(rec->encoder_reason, sizeof rec->encoder_reason, "%s",
             vgrun_output_choice(r->output));
    if (r->report)
        fprintf(stderr, "vgrun: encoding with %s into %s (%s)\n", codec,
                rec->container, rec->encoder_reason);
    return 0;
}

static int run_job(run *r)
{
    int rc = frame_range(r);
    if (rc != 0)
        return rc;
    vg_job_limits limits = vg_job_get_limits(r->job);
    if (vg_selector_create(r->cfg, &limits, &r->selector) != 0 ||
        vg_verifier_create(r->job, r->cfg, r->cfg->verify, &r->verifier) != 0)
        return fail(r, VGRUN_EXIT_RUNTIME, "out of memory");
    for (int i = 0; i < VG_RENDER_DEPTH; i++)
        if (vg_image_alloc(VG_FORMAT_I420, r->info.width, r->info.height,
                           &r->frames[i]) != 0)
            return fail(r, VGRUN_EXIT_RUNTIME, "out of memory");
    rc = next_backend(r);
    if (rc != 0)
        return rc;
    if (r->report) {
        print_selected(r);
        vgrun_print_attempts(stderr, r->selector);
    }
    if (!r->opts->snapshot_path) {
        rc = open_output(r);
        if (rc != 0)
            return rc;
    }
    char err[1024];
    double start = vgrun_now();
    rc = render_frames(r, r->record.first, r->record.end);
    r->record.seconds = vgrun_now() - start;
    if (rc != 0)
        return rc;
    if (r->output && vgrun_output_finish(&r->output, err, sizeof err) != 0)
        return fail(r, VGRUN_EXIT_RUNTIME, "%s", err);
    if (r->report)
        print_summary(r);
    return VGRUN_EXIT_OK;
}

/* JOB.yaml when given, else the config's job: section, else the built-in
 * job.  Every input is opened and decoded here, before any rendering. */
static int load_job(run *r)
{
    char err[2048];
    int rc = vgrun_load_job(r->opts, r->cfg, &r->job, err, sizeof err);
    if (rc != VGRUN_EXIT_OK)
        return fail(r, rc, "%s", err);
    r->info = vg_job_get_info(r->job);
    return 0;
}

int vgrun_render(const vgrun_options *opts, const vg_config *cfg)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A closed terminal or ssh session: stop cleanly, as for SIGTERM. */
    sigaction(SIGHUP, &sa, NULL);

    /* A reader that goes away must not kill the run silently: the write
     * fails with EPIPE instead, and the run says so and writes its
     * report. */
    signal(SIGPIPE, SIG_IGN);

    run r = {.opts = opts,
             .cfg = cfg,
             .report =
                 !opts->quiet && (opts->verbose || isatty(STDERR_FILENO))};
    bool report_ok = true;
    int rc = opts->snapshot_path ? 0 : vgrun_output_check_name(opts->output);
    if (rc == 0)
        rc = load_job(&r);
    char err[1024];
    /* Already failing: no question on the terminal, only a decision on
     * whether the report may be written. */
    vgrun_options guard_opts = *opts;
    if (rc != 0 && guard_opts.overwrite == VGRUN_OVERWRITE_ASK)
        guard_opts.overwrite = VGRUN_OVERWRITE_NEVER;
    int guard = vgrun_check_outputs(&guard_opts, cfg, r.job, &report_ok, err,
                                    sizeof err);
    if (guard != 0 && rc == 0)
        rc = fail(&r, guard, "%s", err);
    /* The report file is opened before rendering: a path that cannot be
     * written is a usage error now, not a failure after the whole job. */
    vg_output_file report = {0};
    if (opts->json_report && report_ok &&
        vg_output_file_open(opts->json_report, &report, err, sizeof err) != 0) {
        report_ok = false;
        if (rc == 0)
            rc = fail(&r, VGRUN_EXIT_USAGE, "cannot write the report: %s", err);
    }
    if (rc == 0)
        rc = run_job(&r);
    /* On any failure the writer is still open: abort removes the partial
     * file, so nothing under the final name looks complete. */
    vgrun_output_abort(&r.output);
    if (opts->json_report && report_ok && report.file &&
        vgrun_write_json_report(&report, opts, cfg, r.job ? &r.info : NULL,
                                r.selector, &r.record, rc) != 0 &&
        rc == VGRUN_EXIT_OK)
        rc = VGRUN_EXIT_RUNTIME;
    vg_verifier_destroy(&r.verifier);
    vg_render_destroy(&r.render);
    vg_backend_close(&r.backend);
    vg_selector_destroy(&r.selector);
    for (int i = 0; i < VG_RENDER_DEPTH; i++)
        vg_image_free(&r.frames[i]);
    vg_job_destroy(&r.job);
    vgrun_record_free(&r.record);
    return rc;
}

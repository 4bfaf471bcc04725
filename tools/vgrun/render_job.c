/*
 * render_job.c - render the job frame by frame, failing over mid-job.
 *
 * Frames are pure functions of (job, index), so when a kernel fails and
 * policy allows, the next backend in the chain renders the same frame again:
 * nothing is lost or duplicated and the bytes equal a run on the fallback
 * backend alone.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "vg/image.h"
#include "vg/job.h"
#include "vg/y4m.h"
#include "vgrun.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
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

/* The state of one run: selection, the backend in use, the output. */
typedef struct run {
    const vgrun_options *opts;
    const vg_config *cfg;
    vg_job *job;
    vg_selector *selector;
    vg_backend *backend;
    vg_render *render;
    vg_y4m_writer *writer;
    vg_image frame;
    unsigned fallbacks;
} run;

/* Open the next usable backend and prepare it for the job. */
static int next_backend(run *r)
{
    char err[VG_REASON_MAX];
    for (;;) {
        vg_render_destroy(&r->render);
        vg_backend_close(&r->backend);
        int rc = vg_selector_next(r->selector, &r->backend, err, sizeof err);
        if (rc == VG_ERR_CONFIG) {
            fprintf(stderr, "vgrun: %s\n", err);
            return VGRUN_EXIT_USAGE;
        }
        if (rc != 0) {
            vgrun_print_attempts(stderr, r->selector);
            fprintf(stderr, "vgrun: error: %s\n", err);
            return VGRUN_EXIT_NO_BACKEND;
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
}

static int render_frames(run *r, uint32_t first, uint32_t end)
{
    vgrun_progress progress;
    vgrun_progress_start(&progress, !r->opts->quiet && isatty(STDERR_FILENO),
                         end - first);
    for (uint32_t i = first; i < end; i++) {
        if (interrupted) {
            vgrun_progress_end(&progress);
            fputs("vgrun: interrupted; no output written\n", stderr);
            return VGRUN_EXIT_INTERRUPTED;
        }
        int rc = vg_render_frame(r->render, i, &r->frame);
        if (rc != 0) {
            char reason[VG_REASON_MAX];
            snprintf(reason, sizeof reason, "frame %u: %s", i,
                     vg_backend_last_error(r->backend));
            vgrun_progress_end(&progress);
            fprintf(stderr, "vgrun: %s failed at %s\n",
                    vg_backend_name(r->backend), reason);
            vg_selector_fail(r->selector, r->backend, rc, reason);
            if ((rc = next_backend(r)) != 0)
                return rc;
            r->fallbacks++;
            if (!r->opts->quiet)
                print_selected(r);
            i--; /* render the same frame again on the new backend */
            continue;
        }
        char err[512];
        if (vg_y4m_write_frame(r->writer, &r->frame, err, sizeof err) != 0) {
            vgrun_progress_end(&progress);
            fprintf(stderr, "vgrun: %s\n", err);
            return VGRUN_EXIT_RUNTIME;
        }
        vgrun_progress_update(&progress, i - first + 1,
                              vg_backend_name(r->backend));
    }
    vgrun_progress_end(&progress);
    return 0;
}

static int run_job(run *r)
{
    vg_job_info info = vg_job_get_info(r->job);
    uint32_t first = r->opts->has_range ? r->opts->first_frame : 0;
    uint32_t end = r->opts->has_range ? r->opts->end_frame : info.frame_count;
    if (end > info.frame_count) {
        fprintf(stderr, "vgrun: --frames %u:%u is outside the job's %u frames\n",
                first, end, info.frame_count);
        return VGRUN_EXIT_USAGE;
    }
    vg_job_limits limits = vg_job_get_limits(r->job);
    if (vg_selector_create(r->cfg, &limits, &r->selector) != 0 ||
        vg_image_alloc(VG_FORMAT_I420, info.width, info.height, &r->frame) != 0) {
        fputs("vgrun: out of memory\n", stderr);
        return VGRUN_EXIT_RUNTIME;
    }
    int rc = next_backend(r);
    if (rc != 0)
        return rc;
    if (!r->opts->quiet) {
        print_selected(r);
        vgrun_print_attempts(stderr, r->selector);
    }
    vg_y4m_format format = {.width = info.width, .height = info.height,
                            .fps_num = info.fps_num, .fps_den = info.fps_den,
                            .range = info.range};
    char err[512];
    if (vg_y4m_open(r->opts->output, &format, &r->writer, err, sizeof err) != 0) {
        fprintf(stderr, "vgrun: %s\n", err);
        return VGRUN_EXIT_RUNTIME;
    }
    double start = vgrun_now();
    rc = render_frames(r, first, end);
    if (rc != 0)
        return rc;
    if (vg_y4m_finish(&r->writer, err, sizeof err) != 0) {
        fprintf(stderr, "vgrun: %s\n", err);
        return VGRUN_EXIT_RUNTIME;
    }
    double seconds = vgrun_now() - start;
    if (!r->opts->quiet)
        fprintf(stderr,
                "vgrun: %u frames in %.2f s (%.1f fps) on %s, %u fallback%s, "
                "written to %s\n",
                end - first, seconds, seconds > 0 ? (end - first) / seconds : 0,
                vg_backend_name(r->backend), r->fallbacks,
                r->fallbacks == 1 ? "" : "s",
                strcmp(r->opts->output, "-") == 0 ? "stdout" : r->opts->output);
    return VGRUN_EXIT_OK;
}

int vgrun_render(const vgrun_options *opts, const vg_config *cfg)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    run r = {.opts = opts, .cfg = cfg};
    int rc;
    if (vg_job_create_default(&r.job) == 0) {
        rc = run_job(&r);
    } else {
        fputs("vgrun: out of memory\n", stderr);
        rc = VGRUN_EXIT_RUNTIME;
    }
    /* On any failure the writer is still open: abort removes the partial
     * file, so nothing under the final name looks complete. */
    vg_y4m_abort(&r.writer);
    vg_render_destroy(&r.render);
    vg_backend_close(&r.backend);
    vg_selector_destroy(&r.selector);
    vg_image_free(&r.frame);
    vg_job_destroy(&r.job);
    return rc;
}

/*
 * json_report.c - vgrun --json-report FILE: a machine-readable record of a
 * run (docs/vgrun.md lists the fields).  Written complete-or-absent, like
 * the video (vg/output_file.h), so a reader never sees half a report.
 */
#include <stdbool.h>
#include <stdio.h>

#include "vg/output_file.h"
#include "vgrun.h"

static void field(FILE *f, const char *key, const char *value, bool comma)
{
    fprintf(f, "%s\"%s\": ", comma ? ", " : "", key);
    if (value)
        vgrun_json_string(f, value);
    else
        fputs("null", f);
}

static void write_attempts(FILE *f, const vg_selector *sel)
{
    size_t n = sel ? vg_selector_attempt_count(sel) : 0;
    fputs("  \"backends_tried\": [", f);
    for (size_t i = 0; i < n; i++) {
        const vg_attempt *a = vg_selector_attempt(sel, i);
        fprintf(f, "%s\n    {", i ? "," : "");
        field(f, "backend", a->backend, false);
        field(f, "file", a->file, true);
        field(f, "stage", vg_stage_name(a->stage), true);
        fprintf(f, ", \"selected\": %s",
                a->stage == VG_STAGE_SELECTED ? "true" : "false");
        fprintf(f, ", \"code\": %d", a->code);
        field(f, "code_name", vg_error_name(a->code), true);
        if (a->stage >= VG_STAGE_CHECK) {
            fprintf(f, ", \"device\": %u", a->device);
            field(f, "device_name", a->device_name, true);
        }
        field(f, "reason", a->reason, true);
        fputc('}', f);
    }
    fputs(n ? "\n  ],\n" : "],\n", f);
}

static void write_record(FILE *f, const vgrun_record *rec)
{
    fputs("  \"segments\": [", f);
    for (size_t i = 0; i < rec->segment_count; i++) {
        const vgrun_segment *s = &rec->segments[i];
        fprintf(f, "%s\n    {", i ? "," : "");
        field(f, "backend", s->backend, false);
        fprintf(f, ", \"first\": %u, \"end\": %u}", s->first, s->end);
    }
    fputs(rec->segment_count ? "\n  ],\n" : "],\n", f);
    fputs("  \"failovers\": [", f);
    for (size_t i = 0; i < rec->failover_count; i++) {
        const vgrun_failover *o = &rec->failovers[i];
        fprintf(f, "%s\n    {\"frame\": %u", i ? "," : "", o->frame);
        field(f, "from", o->from, true);
        field(f, "to", o->to[0] ? o->to : NULL, true);
        fprintf(f, ", \"code\": %d", o->code);
        field(f, "code_name", vg_error_name(o->code), true);
        field(f, "reason", o->reason, true);
        fputc('}', f);
    }
    fputs(rec->failover_count ? "\n  ],\n" : "],\n", f);
}

static void write_report(FILE *f, const vgrun_options *opts,
                         const vg_config *cfg, const vg_job_info *job,
                         const vg_selector *sel, const vgrun_record *rec,
                         int exit_code)
{
    const char *status = exit_code == VGRUN_EXIT_OK            ? "ok"
                         : exit_code == VGRUN_EXIT_INTERRUPTED ? "interrupted"
                                                               : "failed";
    fprintf(f, "{\n  \"vg_version\": \"%s\",\n  ", VG_VERSION_STRING);
    field(f, "status", status, false);
    fprintf(f, ", \"exit_code\": %d, ", exit_code);
    field(f, "error", rec->error[0] ? rec->error : NULL, false);
    fputs(",\n  ", f);
    field(f, "job_file", opts->job_path, false);
    field(f, "config", cfg->source, true);
    field(f, "output", opts->snapshot_path ? opts->snapshot_path : opts->output,
          true);
    fputs(",\n", f);
    if (job)
        fprintf(f,
                "  \"job\": {\"width\": %d, \"height\": %d, \"fps_num\": %u, "
                "\"fps_den\": %u, \"frame_count\": %u},\n",
                job->width, job->height, job->fps_num, job->fps_den,
                job->frame_count);
    else
        fputs("  \"job\": null,\n", f);
    fprintf(f, "  \"frames\": {\"first\": %u, \"end\": %u},\n", rec->first,
            rec->end);
    if (rec->encoder[0]) {
        fputs("  \"encoder\": {", f);
        field(f, "codec", rec->encoder, false);
        field(f, "container", rec->container, true);
        field(f, "reason", rec->encoder_reason, true);
        fputs("},\n", f);
    } else {
        fputs("  \"encoder\": null,\n", f);
    }
    write_attempts(f, sel);
    write_record(f, rec);
    uint32_t frames = vgrun_record_frames(rec);
    const char *backend = rec->segment_count
                              ? rec->segments[rec->segment_count - 1].backend
                              : NULL;
    fprintf(f,
            "  \"totals\": {\"frames\": %u, \"seconds\": %.3f, "
            "\"fps\": %.2f, ",
            frames, rec->seconds,
            rec->seconds > 0 ? frames / rec->seconds : 0.0);
    field(f, "backend", backend, false);
    fprintf(f, ", \"fallbacks\": %zu}\n}\n", rec->failover_count);
}

int vgrun_write_json_report(const char *path, const vgrun_options *opts,
                            const vg_config *cfg, const vg_job_info *job,
                            const vg_selector *sel, const vgrun_record *rec,
                            int exit_code)
{
    char err[1024];
    vg_output_file out;
    if (vg_output_file_open(path, &out, err, sizeof err) != 0) {
        fprintf(stderr, "vgrun: cannot write the report: %s\n", err);
        return -1;
    }
    write_report(out.file, opts, cfg, job, sel, rec, exit_code);
    bool ok = vg_output_file_commit(&out, err, sizeof err) == 0;
    if (!ok)
        fprintf(stderr, "vgrun: cannot write the report: %s\n", err);
    return ok ? 0 : -1;
}

/*
 * vgrun.h - the pieces of the vgrun command (internal to it).
 *
 * Files: main.c (entry, dispatch), cli.c (arguments), setup.c (config and
 * backend order), render_job.c (the render loop with failover), progress.c
 * (terminal progress and summary), list_backends.c (--list-backends, human
 * and JSON), doctor.c (--doctor), json.c (JSON string output).
 */
#ifndef VGRUN_H
#define VGRUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vg/config.h"
#include "vg/select.h"

/* Exit codes, documented in --help and docs/vgrun.md. */
enum vgrun_exit {
    VGRUN_EXIT_OK = 0,
    VGRUN_EXIT_RUNTIME = 1,     /* rendering or output failed */
    VGRUN_EXIT_USAGE = 2,       /* bad arguments or configuration */
    VGRUN_EXIT_NO_BACKEND = 3,  /* no usable backend (reasons printed) */
    VGRUN_EXIT_NO_GPU = 4,      /* --doctor: no GPU backend is usable */
    VGRUN_EXIT_INTERRUPTED = 130,
};

typedef enum vgrun_mode {
    VGRUN_RENDER,
    VGRUN_LIST_BACKENDS,
    VGRUN_DOCTOR,
    VGRUN_HELP,
    VGRUN_VERSION,
} vgrun_mode;

typedef struct vgrun_options {
    vgrun_mode mode;
    const char *config_path; /* --config, else NULL */
    const char *backends;    /* --backend list, else NULL */
    const char *output;      /* -o, default "out.y4m" */
    bool json;               /* --json (with --list-backends) */
    bool quiet;              /* -q */
    bool has_range;          /* --frames A:B given */
    uint32_t first_frame;
    uint32_t end_frame;      /* exclusive */
} vgrun_options;

/* Parse argv.  Returns 0, or VGRUN_EXIT_USAGE after printing the problem. */
int vgrun_parse_args(int argc, char **argv, vgrun_options *opts);
void vgrun_print_help(FILE *out);

/* Load the config (--config, VG_CONFIG, ./config.yaml, else defaults) and
 * apply the backend order override (--backend, else VG_BACKENDS).  Returns
 * 0 or VGRUN_EXIT_USAGE after printing the error. */
int vgrun_load_config(const vgrun_options *opts, vg_config **out);

int vgrun_render(const vgrun_options *opts, const vg_config *cfg);
int vgrun_list_backends(const vgrun_options *opts, const vg_config *cfg);

/* --doctor: the GPU troubleshooting checklist on stdout.  Returns
 * VGRUN_EXIT_OK when a GPU backend is usable, else VGRUN_EXIT_NO_GPU. */
int vgrun_doctor(const vg_config *cfg);

/* "name: stage: reason" lines for every skipped attempt, to `out`. */
void vgrun_print_attempts(FILE *out, const vg_selector *sel);

/* Write `text` as a JSON string literal (quotes included). */
void vgrun_json_string(FILE *out, const char *text);

/* Progress on a terminal: one line rewritten in place. */
typedef struct vgrun_progress {
    bool enabled;
    double start;       /* seconds, monotonic */
    double last_draw;
    uint32_t total;
} vgrun_progress;

double vgrun_now(void);
void vgrun_progress_start(vgrun_progress *p, bool enabled, uint32_t total);
void vgrun_progress_update(vgrun_progress *p, uint32_t done,
                           const char *backend);
void vgrun_progress_end(vgrun_progress *p);

#endif /* VGRUN_H */

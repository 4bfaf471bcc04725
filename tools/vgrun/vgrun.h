/*
 * vgrun.h - the pieces of the vgrun command (internal to it).
 *
 * Files: main.c (entry, dispatch), cli.c (arguments), setup.c (config and
 * backend order), render_job.c (the render loop with failover), progress.c
 * (terminal progress and summary), list_backends.c (--list-backends, human
 * and JSON), doctor.c (--doctor), json.c (JSON string output), record.c
 * (which backend rendered which frames), json_report.c (--json-report),
 * snapshot.c (--snapshot), output.c (the video: Y4M or encoded),
 * output_guard.c (-y/-n and outputs that would overwrite an input),
 * load_job.c (which job), task.c (--task), info.c (--info).
 */
#ifndef VGRUN_H
#define VGRUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vg/config.h"
#include "vg/job.h"
#include "vg/output_file.h"
#include "vg/piece.h"
#include "vg/select.h"
#include "vg/version.h"

/* Exit codes, documented in --help and docs/vgrun.md. */
enum vgrun_exit {
    VGRUN_EXIT_OK = 0,
    VGRUN_EXIT_RUNTIME = 1,    /* rendering or output failed */
    VGRUN_EXIT_USAGE = 2,      /* bad arguments or configuration */
    VGRUN_EXIT_NO_BACKEND = 3, /* no usable backend (reasons printed) */
    VGRUN_EXIT_NO_GPU = 4,     /* --doctor: no GPU backend is usable */
    VGRUN_EXIT_INTERRUPTED = 130,
};

typedef enum vgrun_mode {
    VGRUN_RENDER,
    VGRUN_LIST_BACKENDS,
    VGRUN_DOCTOR,
    VGRUN_HELP,
    VGRUN_VERSION,
    VGRUN_INFO,
} vgrun_mode;

/* -y, -n, or neither: ask on a terminal, refuse elsewhere (as ffmpeg). */
typedef enum vgrun_overwrite {
    VGRUN_OVERWRITE_ASK,
    VGRUN_OVERWRITE_YES,
    VGRUN_OVERWRITE_NEVER,
} vgrun_overwrite;

/* --task: range `index` of `count` (vg_piece_task_range). */
typedef struct vgrun_task {
    uint32_t index;
    uint32_t count;
    const char *source; /* where the index came from, for messages */
} vgrun_task;

typedef struct vgrun_options {
    vgrun_mode mode;
    const char *config_path; /* --config, else NULL */
    const char *backends;    /* --backend list, else NULL */
    const char *output;      /* -o, default "out.y4m" */
    bool json;               /* --json (with --list-backends) */
    bool quiet;              /* -q */
    bool verbose;            /* -v: report even when stderr is no terminal */
    const char *job_path;    /* JOB.yaml, else NULL (config's job) */
    const char *json_report; /* --json-report FILE, else NULL */
    bool reprobe;            /* --reprobe: ignore cached self-test passes */
    bool has_verify;         /* --verify N given */
    uint32_t verify;
    const char *snapshot_path; /* --snapshot N:PATH, else NULL */
    uint32_t snapshot_frame;
    bool has_range; /* --frames A:B given */
    uint32_t first_frame;
    uint32_t end_frame; /* exclusive */
    /* Encoded output and overwriting. */
    vgrun_overwrite overwrite; /* -y / -n */
    const char *codec;         /* --codec, else NULL (auto) */
    int crf;                   /* --crf, else -1 */
    bool has_task;             /* --task given: task.index of task.count */
    vgrun_task task;
} vgrun_options;

/* Parse argv.  Returns 0, or VGRUN_EXIT_USAGE after printing the problem. */
int vgrun_parse_args(int argc, char **argv, vgrun_options *opts);
void vgrun_print_help(FILE *out);

/* Load the config (vg_config_locate: --config, VG_CONFIG, the XDG user
 * config, the system config, else the built-in defaults) and
 * apply the backend order override (--backend, else VG_BACKENDS).  Returns
 * 0 or VGRUN_EXIT_USAGE after printing the error. */
int vgrun_load_config(const vgrun_options *opts, vg_config **out);

int vgrun_render(const vgrun_options *opts, const vg_config *cfg);

/* The job: JOB.yaml, else the config's job: section, else the built-in
 * job.  Returns VGRUN_EXIT_OK, or VGRUN_EXIT_USAGE / VGRUN_EXIT_RUNTIME
 * (out of memory) with err set. */
int vgrun_load_job(const vgrun_options *opts, const vg_config *cfg,
                   vg_job **out, char *err, size_t err_size);

/* --info: frame count, size, rate and fingerprint on stdout (JSON with
 * --json).  Returns a vgrun exit code. */
int vgrun_info(const vgrun_options *opts, const vg_config *cfg);

/* Whether `text` has the shape of a --task value: "I/N" or "/N". */
bool vgrun_is_task_value(const char *text);

/* --task's value (NULL when given alone): I/N, or /N and the index from
 * SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, or nothing and the count
 * from SLURM_ARRAY_TASK_COUNT too.  Returns 0, or -1 with err set. */
int vgrun_parse_task(const char *text, vgrun_task *task, char *err,
                     size_t err_size);

/* index < count and count > 0; returns 0, or -1 with err set. */
int vgrun_check_task(const vgrun_task *task, char *err, size_t err_size);
int vgrun_list_backends(const vgrun_options *opts, const vg_config *cfg);

/* --doctor: the GPU troubleshooting checklist on stdout.  Returns
 * VGRUN_EXIT_OK when a GPU backend is usable, else VGRUN_EXIT_NO_GPU. */
int vgrun_doctor(const vg_config *cfg);

/* "name: stage: reason" lines for every skipped attempt, to `out`. */
void vgrun_print_attempts(FILE *out, const vg_selector *sel);

/* "plugin NAME loaded from /full/path" for every plugin file whose code
 * ran (loaded and probed), for -v. */
void vgrun_print_plugin_files(FILE *out, const vg_selector *sel);

/* Write `text` as a JSON string literal (quotes included). */
void vgrun_json_string(FILE *out, const char *text);

/* Progress: on a terminal one line rewritten in place a few times a
 * second; off a terminal (with -v) a plain line every few seconds. */
typedef struct vgrun_progress {
    bool enabled;
    bool terminal; /* rewrite one line in place */
    double start;  /* seconds, monotonic */
    double last_draw;
    uint32_t total;
    double fps; /* the video's frame rate, for the speed */
} vgrun_progress;

double vgrun_now(void);
void vgrun_progress_start(vgrun_progress *p, bool enabled, bool terminal,
                          uint32_t total, double video_fps);
void vgrun_progress_update(vgrun_progress *p, uint32_t done,
                           const char *backend);
void vgrun_progress_end(vgrun_progress *p);

/* What happened during a render, for the summary and --json-report. */
typedef struct vgrun_segment {
    char backend[VG_NAME_MAX];
    uint32_t first, end; /* frames [first, end) rendered by backend */
} vgrun_segment;

typedef struct vgrun_failover {
    uint32_t frame;         /* the frame that failed and was rendered again */
    char from[VG_NAME_MAX]; /* the backend that failed */
    char to[VG_NAME_MAX];   /* the one that took over, "" if none did */
    int code;               /* the kernel's vg error */
    char reason[VG_REASON_MAX];
} vgrun_failover;

typedef struct vgrun_record {
    vgrun_segment *segments;
    size_t segment_count;
    vgrun_failover *failovers;
    size_t failover_count;
    uint32_t *verified; /* frames checked against the cpu backend */
    size_t verified_count;
    uint32_t first, end;            /* the frames asked for */
    double seconds;                 /* rendering time */
    char error[VG_REASON_MAX + 64]; /* what stopped the run, "" on success */
    char encoder[64];               /* the FFmpeg encoder, "" for Y4M */
    char container[32];
    char encoder_reason[512]; /* why that encoder */
} vgrun_record;

/* Frame `index` was rendered by `backend`.  Returns false when out of
 * memory. */
bool vgrun_record_frame(vgrun_record *rec, const char *backend, uint32_t index);
/* `backend` failed at `frame`; the next vgrun_record_takeover names who
 * took over. */
bool vgrun_record_failover(vgrun_record *rec, uint32_t frame,
                           const char *backend, int code, const char *reason);
void vgrun_record_takeover(vgrun_record *rec, const char *backend);
/* Frame `index` was verified against the cpu backend and matched. */
bool vgrun_record_verified(vgrun_record *rec, uint32_t index);
uint32_t vgrun_record_frames(const vgrun_record *rec);
void vgrun_record_free(vgrun_record *rec);

/* --json-report: the record of a run, written to `out` and committed
 * (renamed into place).  `out` is opened before the job is loaded, so a
 * path that cannot be written stops the run before any frame.
 * `job_file` is JOB.yaml or NULL; `sel` may be NULL when selection never
 * started.  Returns 0, or -1 after printing why it could not be written. */
int vgrun_write_json_report(vg_output_file *out, const vgrun_options *opts,
                            const vg_config *cfg, const vg_job_info *job,
                            const vg_selector *sel, const vgrun_record *rec,
                            int exit_code);

/* --snapshot: an I420 frame converted back to RGBA (as a player shows it)
 * and written as PNG.  Returns 0 or a vg error with err set. */
int vgrun_write_snapshot(const char *path, const vg_image *i420,
                         const vg_job_info *job, char *err, size_t err_size);

/* The video written: Y4M for "-" and *.y4m, else encoded by container. */
typedef struct vgrun_output vgrun_output;

/* Whether `path` names an output vgrun can write: "-", *.y4m or a known
 * container.  Returns 0, or VGRUN_EXIT_USAGE after printing why. */
int vgrun_output_check_name(const char *path);

/* Open the video for the job's frames from `first_frame` on, encoded with
 * the config's output: section and --codec/--crf over it, with the job's
 * audio track when it has one.  `piece` (NULL for the whole video) is the
 * piece record of a range: Y4M X-tags, or container metadata vg_job and
 * vg_frames in an encoded file (vg/piece.h).  Returns 0 or a vg error with
 * err set (VG_ERR_CONFIG: settings that do not fit). */
int vgrun_output_open(const vgrun_options *opts, const vg_config *cfg,
                      const vg_job *job, uint32_t first_frame,
                      const vg_piece *piece, vgrun_output **out, char *err,
                      size_t err_size);
int vgrun_output_write(vgrun_output *o, const vg_image *frame, char *err,
                       size_t err_size);
/* True once a write failed because the reader of a pipe went away. */
bool vgrun_output_reader_gone(const vgrun_output *o);
/* Finish (file moved into place); frees and clears. */
int vgrun_output_finish(vgrun_output **o, char *err, size_t err_size);
/* Remove everything written; frees and clears.  NULL is a no-op. */
void vgrun_output_abort(vgrun_output **o);
/* "libx264 (h264_nvenc did not open: ...)" for an encoded output, else
 * NULL; and the parts, for the JSON report. */
const char *vgrun_output_codec(const vgrun_output *o);
const char *vgrun_output_choice(const vgrun_output *o);
const char *vgrun_output_container(const vgrun_output *o);

/* The overwrite rules before anything is rendered: no output (video or
 * snapshot, JSON report) may be the job file, the config file, an input
 * of the job or another output; an existing file is replaced only with -y
 * or a "y" on a terminal.  `job` may be NULL (not loaded).  Returns 0 or
 * VGRUN_EXIT_USAGE with the reason in err; *report_ok says whether the
 * JSON report may still be written. */
int vgrun_check_outputs(const vgrun_options *opts, const vg_config *cfg,
                        const vg_job *job, bool *report_ok, char *err,
                        size_t err_size);

#endif /* VGRUN_H */

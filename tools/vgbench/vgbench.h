/*
 * vgbench.h - shared declarations of the benchmark tool (internal).
 *
 * Files: main.c (command line, the run), cases.c (the operations and their
 * inputs), timing.c (the measuring harness), vg_runner.c (any vg backend
 * through libvg's loader and backend API), peers_libyuv.c, peers_swscale.c,
 * peers_opencv.cpp (the same operations in other libraries, each built only
 * when that library is found), report.c (table and JSON).
 *
 * A benchmark is a tool, not a test: nothing here asserts a time.
 */
#ifndef VGBENCH_H
#define VGBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vg/plugin.h"
#include "vg_kernel_cases.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The operations measured are every kernel's VG_CASE_BENCH rows
 * (core/reference/cases/<kernel>.c), each named by its bench_name, then
 * memcpy; a new kernel's rows are measured on vg's backends with no edit
 * here.  The peers know some of them by name: C(ID, "name") gives the
 * VGB_<ID> they switch on; VGB_OTHER is a line no peer has, VGB_MEMCPY one
 * RGBA frame copied (the bandwidth ceiling). */
#define VGB_CASES(C)                                                           \
    C(PATTERN, "pattern")           /* testsrc 1920x1080 */                    \
    C(WARP_DOWN, "warp_down")       /* bilinear 3840x2160 -> 1920x1080 */      \
    C(WARP_UP, "warp_up")           /* bilinear 1280x720 -> 1920x1080 */       \
    C(CROSSFADE, "crossfade")       /* 1920x1080, weight 100/256 */            \
    C(ALPHA_OVER, "alpha_over")     /* 1920x1080 */                            \
    C(BLUR5, "blur5")               /* Gaussian 5x5, sigma 1 */                \
    C(BLUR19, "blur19")             /* Gaussian 19x19, sigma 3 */              \
    C(RGBA_TO_I420, "rgba_to_i420") /* BT.601 limited range */                 \
    C(I420_TO_RGBA, "i420_to_rgba") /* BT.601 limited range */                 \
    C(OTHER, "")                    /* a kernel line no peer knows */          \
    C(MEMCPY, "memcpy")             /* one RGBA frame: the bandwidth ceiling */

#define VGB_CASE_ID_(id, name) VGB_##id,
typedef enum vgb_kernel { VGB_CASES(VGB_CASE_ID_) VGB_KERNEL_COUNT } vgb_kernel;
#undef VGB_CASE_ID_

/* One operation with its inputs in host memory, `sets` copies of each so a
 * cold run can rotate through more data than the caches hold. */
typedef struct vgb_case {
    vgb_kernel kernel;
    const char *name;
    const vg_kernel_spec *spec;    /* NULL for memcpy */
    int32_t width, height;         /* destination */
    int32_t src_width, src_height; /* first input */
    size_t bytes_moved;            /* read + written per run */
    int sets;
    vg_image src[8], src2[8]; /* src2: a second source (blend's b) */
    vg_image want;            /* vg's reference output, for accuracy */
    vg_kernel_params params;
    double sigma; /* the real-valued setting (blur's sigma), for peers */
} vgb_case;

typedef struct vgb_options {
    bool json;
    bool cold;            /* rotate through 4 input sets */
    int samples;          /* timed samples per implementation, taken in turn */
    double min_sample;    /* seconds each sample lasts at least */
    const char *only;     /* comma-separated kernel names, or NULL for all */
    const char *backends; /* comma-separated vg backends (default cpu) */
    const char *isas;     /* comma-separated ISA levels for cpu (default all
                             available) */
    int threads_all;      /* "all threads": the online core count */
    /* isolation modes to time, each case on each in turn (interleaved):
     * "inprocess", "process" or both, comma-separated */
    const char *isolation;
} vgb_options;

/* The most samples one line keeps. */
#define VGB_MAX_SAMPLES 64

/* The operation of one line, prepared and ready to time: fn(arg, i) runs
 * it once on input set i % sets; release(arg) frees what prepare made;
 * begin(arg), when set, restores global settings (a library's thread
 * count) before each sample. */
typedef void (*vgb_run_fn)(void *arg, int iteration);
typedef struct vgb_timer {
    vgb_run_fn fn;
    void *arg;
    void (*release)(void *arg);
    void (*begin)(void *arg); /* optional: before each sample */
    int calls;                /* made so far: the next iteration number */
    int per_sample;           /* calls per sample, calibrated to min_sample */
} vgb_timer;

/* One measured line. */
typedef struct vgb_result {
    const vgb_case *c;
    char impl[64]; /* "vg cpu avx2", "libyuv", "opencv", "memcpy" */
    char note[96]; /* what differs from vg's operation, if anything */
    int threads;
    double median_ms;
    int max_diff; /* max |output - vg reference|, -1 when not compared */
    vgb_timer timer;
    /* ms per call of sample k, taken in round k with every other line of
     * the same kernel: samples with the same k are paired */
    double samples[VGB_MAX_SAMPLES];
    /* the same samples' CPU time per call (user + system, every thread of
     * the process): unlike wall time it leaves out the time the process
     * waited for a core that other work held */
    double cpu_samples[VGB_MAX_SAMPLES];
    double median_cpu_ms;
    int sample_count;
} vgb_result;

/* cases.c */
int vgb_cases_create(vgb_case **cases, size_t *count, int sets);
/* Print the cases' names, comma-separated, wrapped from `column` on. */
void vgb_print_case_names(FILE *f, int column);
void vgb_cases_destroy(vgb_case **cases, size_t count);
bool vgb_case_selected(const vgb_case *c, const char *only);
/* Max |a - b| over two images of the same format and size. */
int vgb_image_max_diff(const vg_image *a, const vg_image *b);

/* timing.c: time the n prepared lines of one kernel together.  Each is
 * warmed up and calibrated, then the samples are taken in rounds, one
 * sample of every line per round (A B C, A B C, ... with the order rotated
 * each round), so that a change in the machine's load between rounds
 * touches every line alike and the ratio of two lines' samples in one
 * round is a fair pair.  Fills samples, cpu_samples, sample_count,
 * median_ms and median_cpu_ms. */
void vgb_time_paired(vgb_result *lines, size_t n, const vgb_options *o);

/* The median of paired ratios other.samples[k] / line.samples[k] (above 1:
 * `line` is faster), with the 25th and 75th percentiles as its spread.
 * Returns false when the lines have no samples in common. */
bool vgb_paired_ratio(const vgb_result *line, const vgb_result *other,
                      double *median, double *p25, double *p75);

/* The same from the samples' CPU times (cpu_samples). */
bool vgb_paired_cpu_ratio(const vgb_result *line, const vgb_result *other,
                          double *median, double *p25, double *p75);

/* vg_runner.c: a vg backend opened as vgrun would (cpu with `isa` and
 * `threads` as its options), in this process or, `isolated`, in a worker
 * process, kept open while its lines are timed. */
typedef struct vgb_vg vgb_vg;
int vgb_vg_open(const char *name, const char *isa, int threads, bool isolated,
                vgb_vg **out);
/* Prepare case c on the backend: 0 with *out ready to time, or -1 (the
 * reason printed). */
int vgb_vg_prepare(vgb_vg *vg, const vgb_case *c, vgb_result *out);
void vgb_vg_close(vgb_vg **vg);
/* Print the cost of one call that does nothing (sync with nothing
 * queued): for an isolated backend, the round trip to its worker. */
void vgb_vg_report_round_trip(vgb_vg *vg, const vgb_options *o);

/* peers: each prepares the cases it has an equivalent for, at `threads`
 * threads when the library can: 0 with *out ready to time,
 * VGB_NOT_APPLICABLE, or -1. */
typedef struct vgb_peer {
    const char *name;
    const char *package; /* the Debian development package */
    bool available;
    bool threaded; /* measures a multi-threaded figure too */
    int (*run)(const vgb_case *c, int threads, vgb_result *out);
} vgb_peer;

size_t vgb_peers(const vgb_peer **out);

/* The peers' run functions (peers_<name>.c), present when built. */
int vgb_libyuv_run(const vgb_case *c, int threads, vgb_result *out);
int vgb_swscale_run(const vgb_case *c, int threads, vgb_result *out);
int vgb_opencv_run(const vgb_case *c, int threads, vgb_result *out);

/* A case the peer has no equivalent for. */
#define VGB_NOT_APPLICABLE 1

/* report.c: every result, grouped by kernel (table or JSON). */
void vgb_report(const vgb_options *o, const vgb_result *all, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* VGBENCH_H */

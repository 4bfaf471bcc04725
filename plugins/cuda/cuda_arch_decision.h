/*
 * cuda_arch_decision.h - can a device of compute capability X run a plugin
 * built for these architectures?  The pure half of the CUDA capability check.
 *
 * No CUDA here: the rules are plain data and one function, so CI tests them
 * as a table for every GPU generation users have, on a machine without a GPU
 * (tests/test_cuda_arch_decision.c).  cuda_check.c then confirms the answer
 * with the runtime (cudaFuncGetAttributes) on a real device.
 *
 * Compute capabilities are encoded as 10 * major + minor (8.6 -> 86, 12.0 ->
 * 120): every CUDA minor version is a single digit.
 *
 * The compatibility rules (CUDA C++ Programming Guide, "Binary
 * Compatibility" and "Feature Availability"):
 *   - SASS sm_XY runs on devices of major X with minor >= Y (sm_80 runs on
 *     8.0, 8.6, 8.9), never across a major version;
 *   - family SASS sm_XYf likewise runs within major X for minor >= Y;
 *   - architecture-specific SASS sm_XYa runs on X.Y only;
 *   - PTX compute_XY is JIT-compiled by the driver for any device with
 *     capability >= X.Y (forward), compute_XYf within major X, compute_XYa
 *     on X.Y only.  Whether the driver can read that PTX's ISA version is a
 *     runtime question (cudaErrorUnsupportedPtxVersion), not decided here.
 * The driver prefers SASS when a compatible one exists; otherwise it JITs
 * the newest compatible PTX.
 *
 * Thread-safety: pure functions.
 */
#ifndef VG_CUDA_ARCH_DECISION_H
#define VG_CUDA_ARCH_DECISION_H

#include <stdbool.h>
#include <stddef.h>

#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* More than nvcc --list-gpu-code prints, SASS and PTX together. */
#define VG_CUDA_MAX_IMAGES 32

typedef enum vg_cuda_image_kind {
    VG_CUDA_SASS = 1, /* sm_XY: machine code */
    VG_CUDA_PTX = 2,  /* compute_XY: JIT-compiled by the driver */
} vg_cuda_image_kind;

/* How far an image reaches beyond its own compute capability. */
typedef enum vg_cuda_variant {
    VG_CUDA_VARIANT_PLAIN = 0,    /* sm_80, compute_80 */
    VG_CUDA_VARIANT_FAMILY = 1,   /* sm_100f, compute_100f */
    VG_CUDA_VARIANT_SPECIFIC = 2, /* sm_90a, compute_90a */
} vg_cuda_variant;

typedef struct vg_cuda_image {
    vg_cuda_image_kind kind;
    vg_cuda_variant variant;
    int cc; /* 10 * major + minor */
} vg_cuda_image;

/* The images a plugin was built with, in the order they were given. */
typedef struct vg_cuda_arch_list {
    size_t count;
    vg_cuda_image images[VG_CUDA_MAX_IMAGES];
} vg_cuda_arch_list;

/* Parse a space-separated list such as "sm_75 sm_80 compute_75" (the form
 * the build records in VG_CUDA_BUILT_ARCHS).  Returns 0, or
 * VG_ERR_INVALID_ARGUMENT with err naming the offending entry (an empty
 * list is an error too: a plugin without images can run nowhere). */
int vg_cuda_arch_list_parse(const char *text, vg_cuda_arch_list *out, char *err,
                            size_t err_size);

/* Write one image as nvcc spells it: "sm_86", "compute_90a". */
void vg_cuda_image_format(const vg_cuda_image *image, char *buf,
                          size_t buf_size);

/* Parse "MAJOR.MINOR" ("7.5", "12.0") into 10 * major + minor.  Returns 0,
 * or VG_ERR_INVALID_ARGUMENT when the text is anything else. */
int vg_cuda_cc_parse(const char *text, int *cc_out);

/* The marketing name of a GPU generation ("Ampere") for a compute
 * capability, or "unknown" for one newer than this table. */
const char *vg_cuda_generation(int cc);

typedef enum vg_cuda_verdict {
    VG_CUDA_RUN_SASS = 1,      /* usable: a SASS image matches */
    VG_CUDA_RUN_JIT = 2,       /* usable: the driver JITs a PTX image */
    VG_CUDA_BELOW_MINIMUM = 3, /* capability below min_compute_capability */
    VG_CUDA_NO_IMAGE = 4,      /* no SASS and no PTX for this device */
} vg_cuda_verdict;

typedef struct vg_cuda_decision {
    vg_cuda_verdict verdict;
    vg_cuda_image image; /* the image chosen (RUN_SASS, RUN_JIT) */
    /* one line: the note for a usable device ("will JIT from compute_75,
     * first run slower"), or the reason and what to do for an unusable
     * one */
    char text[VG_REASON_MAX];
} vg_cuda_decision;

/* Decide whether a device of compute capability `device_cc` can run a
 * plugin built with `built`, given the configured minimum `min_cc`
 * (cuda.min_compute_capability) and the CUDA version of the toolkit that
 * built it (`toolkit`, 13000 for CUDA 13.0), which bounds the advice: a
 * GPU the toolkit cannot build for is told which toolkit can, never an
 * architecture flag that cannot work.  Always fills *out. */
void vg_cuda_decide(int device_cc, const vg_cuda_arch_list *built, int min_cc,
                    int toolkit, vg_cuda_decision *out);

/* What would make a build serve compute capability `cc`, one clause:
 * "rebuild with -DCMAKE_CUDA_ARCHITECTURES=90-real (or the default list)";
 * for a GPU older than `toolkit` builds for, the newest toolkit that does
 * (or opencl and cpu); for one newer than any SASS it knows, PTX and a
 * driver that supports it. */
void vg_cuda_build_advice(int cc, int toolkit, char *buf, size_t buf_size);

static inline bool vg_cuda_decision_usable(const vg_cuda_decision *d)
{
    return d->verdict == VG_CUDA_RUN_SASS || d->verdict == VG_CUDA_RUN_JIT;
}

#ifdef __cplusplus
}
#endif

#endif /* VG_CUDA_ARCH_DECISION_H */

/*
 * cuda_internal.h - what the files of the CUDA plugin share (internal).
 *
 * The plugin links the CUDA runtime statically (cudart_static), so the .so
 * needs no toolkit at run time: the runtime dlopens the driver's
 * libcuda.so.1 on first use, and reports a missing or unusable driver as an
 * error code, which the probe turns into a reason.  Everything here has
 * hidden visibility; the plugin exports only vg_plugin_entry.
 *
 * Included by the C files and by cuda_kernels.cu (C++), hence extern "C".
 */
#ifndef VG_CUDA_INTERNAL_H
#define VG_CUDA_INTERNAL_H

#include <cuda_runtime_api.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cuda_arch_decision.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The slots: vg_cuda_<slot> for every row of plugin.h's VG_PLUGIN_SLOTS.
 * probe is in cuda_probe.c, check_device in cuda_check.c, open, close,
 * last_error and sync in cuda_context.c, the frame slots in cuda_memory.c,
 * the kernels in cuda_kernels.cu.  The ABI v3 download pair, also in
 * cuda_memory.c: start queues the copy on `copy` after the frame's last
 * writer and returns; wait synchronises on its event and copies the pinned
 * bytes into the caller's image. */
VG_PLUGIN_DECLARE_SLOTS(vg_cuda_)
VG_PLUGIN_DECLARE_ASYNC_DOWNLOAD(vg_cuda_)

#if defined(__GNUC__)
#define VG_CUDA_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define VG_CUDA_PRINTF(fmt, args)
#endif

/* ------------------------------------------------------------------------ */
/* Options (cuda_entry.c declares the table in this order)                   */
/* ------------------------------------------------------------------------ */

enum {
    VG_CUDA_OPT_DEVICE = 0, /* STRING: index or name substring */
    VG_CUDA_OPT_MIN_CC = 1, /* STRING: "MAJOR.MINOR" */
    VG_CUDA_OPT_COUNT = 2,
};

/* ------------------------------------------------------------------------ */
/* Device enumeration (cuda_probe.c)                                         */
/* ------------------------------------------------------------------------ */

typedef struct vg_cuda_device {
    int ordinal;               /* the CUDA runtime's device number */
    int cc;                    /* compute capability, 10 * major + minor */
    vg_cuda_decision decision; /* the pure capability decision */
    vg_device_info info;       /* the facts probe reports */
} vg_cuda_device;

/* The devices the `device` option selects, in CUDA order: the plugin's
 * device indices are indices into this list, so probe, check_device and
 * open agree while the machine's CUDA setup stays the same. */
typedef struct vg_cuda_device_list {
    uint32_t count;
    vg_cuda_device devices[VG_MAX_DEVICES];
    int driver_version;  /* cudaDriverGetVersion: 13000 = CUDA 13.0; 0 none */
    int runtime_version; /* cudaRuntimeGetVersion */
    int min_cc;          /* cuda.min_compute_capability, parsed */
    vg_cuda_arch_list built;  /* the images this plugin carries */
    char detail[VG_TEXT_MAX]; /* plugin-wide facts */
    char reason[VG_TEXT_MAX]; /* when count is 0: why */
} vg_cuda_device_list;

/* What this plugin was built with: VG_CUDA_BUILT_ARCHS, set by CMake. */
const char *vg_cuda_built_archs(void);

/* Enumerate devices and apply the options.  Returns 0 (count may be 0, with
 * a reason: no driver, no device, no match), VG_ERR_CONFIG for a malformed
 * option (the reason names it) or VG_ERR_DRIVER when a driver is there but
 * unusable (too old, stub library, version mismatch...). */
int vg_cuda_list_devices(const vg_option_value *options,
                         vg_cuda_device_list *out);

/* Device `index` of the list, or an error code with the list's reason. */
int vg_cuda_find_device(const vg_option_value *options, uint32_t index,
                        vg_cuda_device *out, char *reason, size_t reason_size);

/* "cudaErrorNoDevice: no CUDA-capable device is detected" */
void vg_cuda_error_text(cudaError_t err, char *buf, size_t buf_size);

/* ------------------------------------------------------------------------ */
/* Context (cuda_context.c)                                                  */
/* ------------------------------------------------------------------------ */

/* A pinned host buffer, grown on demand. */
typedef struct vg_cuda_staging {
    uint8_t *data;
    size_t size;
} vg_cuda_staging;

struct vg_plugin_ctx {
    int ordinal;
    /* Kernels and uploads run in order on `compute`; downloads on `copy`,
     * after the frame's last writer, so the download of frame N overlaps
     * the kernels already queued for frame N + 1. */
    cudaStream_t compute;
    cudaStream_t copy;
    vg_cuda_staging upload; /* host -> device; reused once upload_done */
    cudaEvent_t upload_done;
    vg_cuda_staging download; /* device -> host; synchronous, reused freely */
    /* blur's 16-bit intermediate (8.8 per channel), grown on demand */
    uint16_t *blur_tmp;
    size_t blur_tmp_pitch;
    int32_t blur_tmp_width, blur_tmp_height;
    vg_plugin_frame *frames; /* every frame still allocated, for close */
    char error[VG_TEXT_MAX];
};

/* Make ctx's device current for the calling thread.  0 or VG_ERR_DRIVER
 * (ctx's error set). */
int vg_cuda_enter(vg_plugin_ctx *ctx);

/* Record a failure of `what` on ctx ("kernel blur: cudaErrorLaunchFailure:
 * ...") and return `code`. */
int vg_cuda_fail(vg_plugin_ctx *ctx, int code, cudaError_t err,
                 const char *what);

/* A pinned buffer of at least `size` bytes.  0 or VG_ERR_NO_MEMORY. */
int vg_cuda_staging_reserve(vg_plugin_ctx *ctx, vg_cuda_staging *staging,
                            size_t size);

/* ------------------------------------------------------------------------ */
/* Frames (cuda_memory.c)                                                    */
/* ------------------------------------------------------------------------ */

/* A frame resident in device memory: one pitched allocation per plane. */
struct vg_plugin_frame {
    vg_frame_desc desc;
    int plane_count;
    uint8_t *plane[3];
    size_t pitch[3];
    size_t row_bytes[3];
    int32_t rows[3];
    cudaEvent_t written; /* recorded on `compute` after every write */
    /* The asynchronous download: the frame's own pinned buffer (so frames
     * in flight never share one), the copy's completion on `copy`, and
     * where the bytes go at the wait.  Created by the first start. */
    vg_cuda_staging staging;
    cudaEvent_t downloaded;
    bool download_pending;
    vg_image download_dst;
    vg_plugin_frame *prev, *next;
};

/* After queuing a write to `frame` on ctx->compute: remember it, so a
 * download waits for exactly this much work.  0 or VG_ERR_KERNEL. */
int vg_cuda_frame_written(vg_plugin_ctx *ctx, vg_plugin_frame *frame,
                          const char *what);

/* ------------------------------------------------------------------------ */
/* Kernels (cuda_kernels.cu)                                                 */
/* ------------------------------------------------------------------------ */

/* The number of kernels in this plugin, and the attributes of kernel `i`
 * on the current device: cudaFuncGetAttributes fails with
 * cudaErrorNoKernelImageForDevice (or a JIT error) when no image fits. */
size_t vg_cuda_kernel_count(void);
cudaError_t vg_cuda_kernel_attributes(size_t i, const char **name,
                                      struct cudaFuncAttributes *attr);

#ifdef __cplusplus
}
#endif

#endif /* VG_CUDA_INTERNAL_H */

/*
 * cuda_check.c - the capability check: catch "no kernel image is available
 * for execution on the device" before any launch.
 *
 * First the pure decision (cuda_arch_decision.c) explains, from the
 * device's compute capability and the images this plugin carries, whether
 * the device can run it and how.  Then the runtime confirms it:
 * cudaFuncGetAttributes loads each kernel's module for the current device
 * without launching anything, and fails exactly as a launch would (no
 * image, PTX too new for the driver, JIT unavailable).  Its binaryVersion
 * and ptxVersion say which image the driver chose.
 */
#include "cuda_internal.h"

#include <stdio.h>
#include <string.h>

/* Frames a job keeps on the device at its largest size, counted in RGBA
 * frames: source, intermediate and destination frames, blur's 16-bit
 * intermediate (two frames' worth), and the I420 output.  A conservative
 * estimate; the point is to refuse a job that cannot possibly fit. */
#define VG_CUDA_JOB_FRAMES 8

static int kernel_reason(cudaError_t err, const char *kernel,
                         const vg_cuda_device *dev, char *reason,
                         size_t reason_size)
{
    char text[160], advice[192];
    int major = dev->cc / 10, minor = dev->cc % 10;
    vg_cuda_error_text(err, text, sizeof(text));
    /* cudart is linked statically: CUDART_VERSION is the toolkit that built
     * the plugin, which bounds what a rebuild can do. */
    vg_cuda_build_advice(dev->cc, CUDART_VERSION, advice, sizeof(advice));

    switch (err) {
    case cudaErrorNoKernelImageForDevice:
    case cudaErrorInvalidDeviceFunction:
        snprintf(reason, reason_size,
                 "no kernel image for compute capability %d.%d: kernel %s: "
                 "%s; %s",
                 major, minor, kernel, text, advice);
        return VG_ERR_UNSUPPORTED;
    case cudaErrorUnsupportedPtxVersion:
        snprintf(reason, reason_size,
                 "the driver cannot JIT this plugin's PTX: it is newer than "
                 "the driver supports (%s, cudaErrorUnsupportedPtxVersion): "
                 "update the NVIDIA driver; or %s",
                 dev->info.driver, advice);
        return VG_ERR_UNSUPPORTED;
    case cudaErrorJitCompilerNotFound:
        snprintf(reason, reason_size,
                 "no SASS for compute capability %d.%d and the driver's PTX "
                 "JIT compiler (libnvidia-ptxjitcompiler.so.1) is missing "
                 "(cudaErrorJitCompilerNotFound): reinstall the NVIDIA "
                 "driver; or %s",
                 major, minor, advice);
        return VG_ERR_UNSUPPORTED;
    case cudaErrorJitCompilationDisabled:
        snprintf(reason, reason_size,
                 "no SASS for compute capability %d.%d and PTX JIT is "
                 "disabled (cudaErrorJitCompilationDisabled; is "
                 "CUDA_DISABLE_PTX_JIT set?): enable it; or %s",
                 major, minor, advice);
        return VG_ERR_UNSUPPORTED;
    case cudaErrorInvalidPtx:
        snprintf(reason, reason_size,
                 "the driver failed to JIT kernel %s for compute capability "
                 "%d.%d (%s): update the NVIDIA driver; or %s",
                 kernel, major, minor, text, advice);
        return VG_ERR_UNSUPPORTED;
    default:
        snprintf(reason, reason_size,
                 "cannot load kernel %s on CUDA device %d (%s)", kernel,
                 dev->ordinal, text);
        return VG_ERR_DRIVER;
    }
}

/* Confirm with the runtime that every kernel has an image for the device,
 * and say which one was chosen. */
static int confirm_kernels(const vg_cuda_device *dev, char *note,
                           size_t note_size, char *reason, size_t reason_size)
{
    char text[160];
    cudaError_t err = cudaSetDevice(dev->ordinal);
    if (err != cudaSuccess) {
        vg_cuda_error_text(err, text, sizeof(text));
        snprintf(reason, reason_size, "cannot use CUDA device %d (%s)",
                 dev->ordinal, text);
        return VG_ERR_DRIVER;
    }

    struct cudaFuncAttributes first;
    memset(&first, 0, sizeof(first));
    for (size_t i = 0; i < vg_cuda_kernel_count(); i++) {
        const char *name = "?";
        struct cudaFuncAttributes attr;
        err = vg_cuda_kernel_attributes(i, &name, &attr);
        if (err != cudaSuccess) {
            /* Clear the (non-sticky) error so it cannot surface later. */
            cudaGetLastError();
            return kernel_reason(err, name, dev, reason, reason_size);
        }
        if (i == 0)
            first = attr;
    }
    snprintf(note, note_size,
             "confirmed by the runtime: binary %d.%d, PTX %d.%d",
             first.binaryVersion / 10, first.binaryVersion % 10,
             first.ptxVersion / 10, first.ptxVersion % 10);
    return 0;
}

/* Free memory, not total: on a shared GPU other processes hold part of it,
 * and a device that passed on its total would fail its first allocation.
 * The device is current (confirm_kernels set it). */
static int check_memory(const vg_cuda_device *dev, const vg_job_limits *limits,
                        char *reason, size_t reason_size)
{
    uint64_t frame =
        (uint64_t)limits->max_width * (uint64_t)limits->max_height * 4u;
    uint64_t need = frame * VG_CUDA_JOB_FRAMES;
    size_t free_bytes = 0, total_bytes = 0;
    char text[160];
    cudaError_t err = cudaMemGetInfo(&free_bytes, &total_bytes);
    if (err != cudaSuccess) {
        vg_cuda_error_text(err, text, sizeof(text));
        snprintf(reason, reason_size,
                 "cannot read the free memory of CUDA device %d (%s)",
                 dev->ordinal, text);
        return VG_ERR_DRIVER;
    }
    if (need <= free_bytes)
        return 0;
    snprintf(reason, reason_size,
             "a %dx%d job needs about %llu MiB of device memory; %s "
             "(cuda:%d) has %llu MiB free of %llu MiB (other processes hold "
             "the rest: nvidia-smi lists them)",
             limits->max_width, limits->max_height,
             (unsigned long long)((need + (1u << 20) - 1) >> 20),
             dev->info.name, dev->ordinal,
             (unsigned long long)(free_bytes >> 20),
             (unsigned long long)(total_bytes >> 20));
    return VG_ERR_LIMIT;
}

/* No image, by the decision: what the runtime itself says about the first
 * kernel, so the reason carries the error a launch would have hit ("no
 * kernel image is available for execution on the device"). */
static void add_runtime_view(const vg_cuda_device *dev, char *reason,
                             size_t reason_size)
{
    const char *name = "?";
    struct cudaFuncAttributes attr;
    char text[160];
    cudaError_t err = cudaSetDevice(dev->ordinal);
    if (err == cudaSuccess)
        err = vg_cuda_kernel_attributes(0, &name, &attr);
    cudaGetLastError(); /* not sticky: keep it from surfacing later */
    if (err == cudaSuccess)
        return;
    vg_cuda_error_text(err, text, sizeof(text));
    size_t used = strlen(reason);
    snprintf(reason + used, reason_size - used, " (runtime, kernel %s: %s)",
             name, text);
}

int vg_cuda_check_device(const vg_option_value *options, uint32_t device,
                         const vg_job_limits *limits, char *reason,
                         size_t reason_size)
{
    vg_cuda_device dev;
    char note[96];

    int rc = vg_cuda_find_device(options, device, &dev, reason, reason_size);
    if (rc != 0)
        return rc;
    if (!vg_cuda_decision_usable(&dev.decision)) {
        snprintf(reason, reason_size, "%s", dev.decision.text);
        if (dev.decision.verdict == VG_CUDA_NO_IMAGE)
            add_runtime_view(&dev, reason, reason_size);
        return VG_ERR_UNSUPPORTED;
    }
    rc = confirm_kernels(&dev, note, sizeof(note), reason, reason_size);
    if (rc == 0)
        rc = check_memory(&dev, limits, reason, reason_size);
    if (rc == 0)
        snprintf(reason, reason_size, "%s; %s", dev.decision.text, note);
    return rc;
}

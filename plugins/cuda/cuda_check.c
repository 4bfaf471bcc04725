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
    char text[160], list[VG_REASON_MAX / 2];
    int major = dev->cc / 10, minor = dev->cc % 10;
    vg_cuda_error_text(err, text, sizeof(text));
    snprintf(list, sizeof(list), "%s", vg_cuda_built_archs());

    switch (err) {
    case cudaErrorNoKernelImageForDevice:
    case cudaErrorInvalidDeviceFunction:
        snprintf(reason, reason_size,
                 "no kernel image for compute capability %d.%d: the runtime "
                 "found no usable image of kernel %s (%s); built for %s: "
                 "rebuild with -DCMAKE_CUDA_ARCHITECTURES=%d-real",
                 major, minor, kernel, cudaGetErrorName(err), list, dev->cc);
        return VG_ERR_UNSUPPORTED;
    case cudaErrorUnsupportedPtxVersion:
        snprintf(reason, reason_size,
                 "the driver cannot JIT this plugin's PTX: it is newer than "
                 "the driver supports (%s, cudaErrorUnsupportedPtxVersion): "
                 "update the NVIDIA driver, or build SASS for %d.%d with "
                 "-DCMAKE_CUDA_ARCHITECTURES=%d-real",
                 dev->info.driver, major, minor, dev->cc);
        return VG_ERR_UNSUPPORTED;
    case cudaErrorJitCompilerNotFound:
        snprintf(reason, reason_size,
                 "no SASS for compute capability %d.%d and the driver's PTX "
                 "JIT compiler (libnvidia-ptxjitcompiler.so.1) is missing "
                 "(cudaErrorJitCompilerNotFound): reinstall the NVIDIA "
                 "driver, or build with -DCMAKE_CUDA_ARCHITECTURES=%d-real",
                 major, minor, dev->cc);
        return VG_ERR_UNSUPPORTED;
    case cudaErrorJitCompilationDisabled:
        snprintf(reason, reason_size,
                 "no SASS for compute capability %d.%d and PTX JIT is "
                 "disabled (cudaErrorJitCompilationDisabled; is "
                 "CUDA_DISABLE_PTX_JIT set?): enable it, or build with "
                 "-DCMAKE_CUDA_ARCHITECTURES=%d-real",
                 major, minor, dev->cc);
        return VG_ERR_UNSUPPORTED;
    case cudaErrorInvalidPtx:
        snprintf(reason, reason_size,
                 "the driver failed to JIT kernel %s for compute capability "
                 "%d.%d (%s): update the NVIDIA driver, or build with "
                 "-DCMAKE_CUDA_ARCHITECTURES=%d-real",
                 kernel, major, minor, text, dev->cc);
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

static int check_memory(const vg_cuda_device *dev, const vg_job_limits *limits,
                        char *reason, size_t reason_size)
{
    uint64_t frame =
        (uint64_t)limits->max_width * (uint64_t)limits->max_height * 4u;
    uint64_t need = frame * VG_CUDA_JOB_FRAMES;
    if (need <= dev->info.memory_bytes)
        return 0;
    snprintf(reason, reason_size,
             "a %dx%d job needs about %llu MiB of device memory, %s has %llu "
             "MiB",
             limits->max_width, limits->max_height,
             (unsigned long long)(need >> 20), dev->info.name,
             (unsigned long long)(dev->info.memory_bytes >> 20));
    return VG_ERR_LIMIT;
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
        return VG_ERR_UNSUPPORTED;
    }
    rc = confirm_kernels(&dev, note, sizeof(note), reason, reason_size);
    if (rc == 0)
        rc = check_memory(&dev, limits, reason, reason_size);
    if (rc == 0)
        snprintf(reason, reason_size, "%s; %s", dev.decision.text, note);
    return rc;
}

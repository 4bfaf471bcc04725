/*
 * cudasim.h - what the files of the CUDA simulator share (test-only).
 *
 * The simulator stands in for the CUDA runtime (cudart) under the real CUDA
 * plugin: the plugin's own objects, the fatbinary nvcc built into them
 * included, are linked against these functions instead of cudart_static.
 * The machine it simulates is a table of devices read from the VG_CUDASIM
 * environment variable (README.md in this directory gives the syntax), so
 * every process of a test (the probe's child, vgrun) sees the same one.
 *
 * Kernel images are chosen from the plugin's registered fatbinary by the
 * driver's rule, and launches run the kernel bodies of
 * plugins/cuda/cuda_kernels.cuh compiled for the host, over the plugin's
 * own grid (cudasim_kernels.cpp).  Work runs when it is queued, so stream
 * order holds trivially; faults are injected per device.
 *
 * Thread-safety: the plugin calls from one thread at a time.
 */
#ifndef VG_CUDASIM_H
#define VG_CUDASIM_H

#include <cuda_runtime_api.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CUDASIM_MAX_DEVICES 8
#define CUDASIM_MAX_IMAGES 32
#define CUDASIM_MAX_KERNELS 32

/* Faults a device can be told to have. */
typedef enum cudasim_fault_kind {
    CUDASIM_FAULT_NONE = 0,
    /* the Nth launch faults asynchronously: cudaErrorIllegalAddress, seen
     * at the next synchronising call and sticky from then on */
    CUDASIM_FAULT_ILLEGAL_ADDRESS,
    /* the same with cudaErrorLaunchFailure: the device fell off the bus */
    CUDASIM_FAULT_DEVICE_LOST,
} cudasim_fault_kind;

typedef struct cudasim_device {
    char name[256];
    int cc;               /* 10 * major + minor */
    uint64_t total_bytes; /* memory */
    uint64_t free_bytes;  /* free before this process allocates */
    uint64_t used_bytes;  /* what this process has allocated */
    int sms;
    cudasim_fault_kind fault;
    uint32_t fault_at; /* the launch that faults, counted from 1 */
    uint32_t launches;
    /* Another process takes memory once this one has read how much is free
     * (the capability check): only this much stays free for it. */
    bool taken_after_check;
    uint64_t free_after_check;
    /* A kernel whose image is missing, found out only when it is launched:
     * lazy module loading (CUDA_MODULE_LOADING=LAZY) defers the load the
     * attribute query would otherwise make. */
    char lazy_missing[64];
    cudaError_t sticky;  /* a fault that has surfaced: every call fails */
    cudaError_t pending; /* a fault not yet seen by a synchronising call */
} cudasim_device;

typedef struct cudasim_machine {
    int driver_version; /* 13000 = CUDA 13.0; 0 = no driver installed */
    int count;
    cudasim_device devices[CUDASIM_MAX_DEVICES];
    int current;      /* cudaSetDevice */
    cudaError_t last; /* cudaGetLastError */
} cudasim_machine;

/* The machine, parsed from VG_CUDASIM on first use (abort with a message on
 * a malformed table: a test bug, never a plugin's). */
cudasim_machine *cudasim_machine_get(void);

/* Record err as the last error and return it. */
cudaError_t cudasim_status(cudaError_t err);

/* cudaSuccess when the driver is there, new enough, and sees a device;
 * otherwise the error the runtime gives (recorded as the last error). */
cudaError_t cudasim_ready(void);

/* The current device, or NULL (and the error set) when there is none; err
 * is also its sticky fault, if it has one. */
cudasim_device *cudasim_current(cudaError_t *err);

/* A synchronising call on `dev`: a pending fault surfaces and sticks. */
cudaError_t cudasim_synchronise(cudasim_device *dev);

/* One image of a fatbinary. */
typedef struct cudasim_image {
    bool ptx; /* PTX (JIT) rather than SASS */
    int cc;   /* 10 * major + minor */
} cudasim_image;

/* Parse a registered fatbinary (the __fatBinC_Wrapper_t nvcc emits) into
 * its images.  Returns the image count, or -1 when it is malformed. */
int cudasim_fatbin_images(const void *wrapper, cudasim_image *out, int max);

/* The image the driver would choose for a device of capability cc: SASS of
 * the same major version and the highest minor not above the device's,
 * else the newest PTX not above cc (JIT).  NULL when none fits. */
const cudasim_image *cudasim_choose_image(const cudasim_image *images,
                                          int count, int cc);

/* The host build of one kernel (cudasim_kernels.cpp), by the name of the
 * __global__ function ("pattern_kernel"); NULL when there is none. */
typedef void (*cudasim_host_kernel)(dim3 grid, dim3 block, void **args);
cudasim_host_kernel cudasim_find_host_kernel(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* VG_CUDASIM_H */

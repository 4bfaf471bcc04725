/*
 * cudasim_runtime.c - the CUDA runtime API the plugin calls: versions,
 * devices, errors, memory, streams, events and copies.
 *
 * Device memory is host memory (the host kernels read and write it), each
 * allocation exactly pitch x rows so AddressSanitizer sees any overrun.
 * Work runs when it is queued, so streams and events only carry errors.
 */
#include "cudasim.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The errors the simulator produces, with the runtime's own texts. */
#define CUDASIM_ERROR_TABLE(X)                                                 \
    X(cudaSuccess, "no error")                                                 \
    X(cudaErrorInvalidValue, "invalid argument")                               \
    X(cudaErrorMemoryAllocation, "out of memory")                              \
    X(cudaErrorInsufficientDriver,                                             \
      "CUDA driver version is insufficient for CUDA runtime version")          \
    X(cudaErrorInvalidDeviceFunction, "invalid device function")               \
    X(cudaErrorNoDevice, "no CUDA-capable device is detected")                 \
    X(cudaErrorInvalidDevice, "invalid device ordinal")                        \
    X(cudaErrorNoKernelImageForDevice,                                         \
      "no kernel image is available for execution on the device")              \
    X(cudaErrorUnsupportedPtxVersion,                                          \
      "the provided PTX was compiled with an unsupported toolchain.")          \
    X(cudaErrorInvalidResourceHandle, "invalid resource handle")               \
    X(cudaErrorIllegalAddress, "an illegal memory access was encountered")     \
    X(cudaErrorLaunchFailure, "unspecified launch failure")

const char *cudaGetErrorName(cudaError_t error)
{
    switch (error) {
#define CUDASIM_NAME_(code, text)                                              \
    case code:                                                                 \
        return #code;
        CUDASIM_ERROR_TABLE(CUDASIM_NAME_)
#undef CUDASIM_NAME_
    default:
        return "cudaErrorUnknown";
    }
}

const char *cudaGetErrorString(cudaError_t error)
{
    switch (error) {
#define CUDASIM_TEXT_(code, text)                                              \
    case code:                                                                 \
        return text;
        CUDASIM_ERROR_TABLE(CUDASIM_TEXT_)
#undef CUDASIM_TEXT_
    default:
        return "unknown error";
    }
}

cudaError_t cudaGetLastError(void)
{
    cudasim_machine *m = cudasim_machine_get();
    cudaError_t err = m->last;
    m->last = cudaSuccess;
    /* A sticky fault cannot be cleared. */
    if (m->count > 0 && m->devices[m->current].sticky)
        err = m->devices[m->current].sticky;
    return err;
}

cudaError_t cudaDriverGetVersion(int *version)
{
    *version = cudasim_machine_get()->driver_version;
    return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int *version)
{
    *version = CUDART_VERSION;
    return cudaSuccess;
}

cudaError_t cudaGetDeviceCount(int *count)
{
    *count = 0;
    cudaError_t err = cudasim_ready();
    if (err != cudaSuccess)
        return err;
    *count = cudasim_machine_get()->count;
    return cudaSuccess;
}

/* Device `ordinal`, whatever state the current device is in. */
static cudasim_device *device_at(int ordinal, cudaError_t *err)
{
    cudasim_machine *m = cudasim_machine_get();
    *err = cudasim_ready();
    if (*err != cudaSuccess)
        return NULL;
    if (ordinal < 0 || ordinal >= m->count) {
        *err = cudasim_status(cudaErrorInvalidDevice);
        return NULL;
    }
    *err = cudaSuccess;
    return &m->devices[ordinal];
}

cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int ordinal)
{
    cudaError_t err;
    cudasim_device *dev = device_at(ordinal, &err);
    if (!dev)
        return err;
    memset(prop, 0, sizeof *prop);
    snprintf(prop->name, sizeof prop->name, "%s", dev->name);
    prop->major = dev->cc / 10;
    prop->minor = dev->cc % 10;
    prop->totalGlobalMem = dev->total_bytes;
    prop->multiProcessorCount = dev->sms;
    prop->memoryBusWidth = 5120;
    prop->maxThreadsPerBlock = 1024;
    return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr,
                                   int ordinal)
{
    cudaError_t err;
    if (!device_at(ordinal, &err))
        return err;
    /* HBM3 at 2.619 GHz on a 5120-bit bus: an H100's 3.35 TB/s. */
    *value = attr == cudaDevAttrMemoryClockRate ? 2619000 : 0;
    return cudaSuccess;
}

cudaError_t cudaSetDevice(int ordinal)
{
    cudaError_t err;
    if (!device_at(ordinal, &err))
        return err;
    cudasim_machine_get()->current = ordinal;
    return cudasim_status(cudasim_machine_get()->devices[ordinal].sticky);
}

cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total_bytes)
{
    cudaError_t err;
    cudasim_device *dev = cudasim_current(&err);
    if (!dev || err)
        return err;
    *free_bytes = dev->free_bytes - dev->used_bytes;
    *total_bytes = dev->total_bytes;
    if (dev->taken_after_check) {
        dev->taken_after_check = false;
        dev->free_bytes = dev->used_bytes + dev->free_after_check;
    }
    return cudaSuccess;
}

/* Device allocations carry their size in front, for cudaFree's
 * accounting. */
typedef struct allocation {
    cudasim_device *dev;
    size_t size;
    max_align_t align[];
} allocation;

cudaError_t cudaMallocPitch(void **ptr, size_t *pitch, size_t width,
                            size_t height)
{
    cudaError_t err;
    cudasim_device *dev = cudasim_current(&err);
    if (!dev || err)
        return err;
    /* The 512-byte row alignment real devices use. */
    size_t row = (width + 511) / 512 * 512;
    size_t size = row * height;
    if (size > dev->free_bytes - dev->used_bytes)
        return cudasim_status(cudaErrorMemoryAllocation);
    allocation *a = malloc(sizeof *a + (size ? size : 1));
    if (!a)
        return cudasim_status(cudaErrorMemoryAllocation);
    a->dev = dev;
    a->size = size;
    dev->used_bytes += size;
    *ptr = a->align;
    *pitch = row;
    return cudaSuccess;
}

cudaError_t cudaFree(void *ptr)
{
    if (!ptr)
        return cudaSuccess;
    allocation *a = (allocation *)((char *)ptr - offsetof(allocation, align));
    a->dev->used_bytes -= a->size;
    free(a);
    return cudaSuccess;
}

cudaError_t cudaMallocHost(void **ptr, size_t size)
{
    *ptr = malloc(size ? size : 1);
    return *ptr ? cudaSuccess : cudasim_status(cudaErrorMemoryAllocation);
}

cudaError_t cudaFreeHost(void *ptr)
{
    free(ptr);
    return cudaSuccess;
}

/* Streams and events exist only to be created, checked and destroyed. */
struct CUstream_st {
    int device;
};
struct CUevent_st {
    int device;
};

cudaError_t cudaStreamCreateWithFlags(cudaStream_t *stream, unsigned flags)
{
    cudaError_t err;
    (void)flags;
    if (!cudasim_current(&err) || err)
        return err;
    *stream = calloc(1, sizeof **stream);
    return *stream ? cudaSuccess : cudasim_status(cudaErrorMemoryAllocation);
}

cudaError_t cudaStreamDestroy(cudaStream_t stream)
{
    free(stream);
    return cudaSuccess;
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned flags)
{
    cudaError_t err;
    (void)flags;
    if (!cudasim_current(&err) || err)
        return err;
    *event = calloc(1, sizeof **event);
    return *event ? cudaSuccess : cudasim_status(cudaErrorMemoryAllocation);
}

cudaError_t cudaEventDestroy(cudaEvent_t event)
{
    free(event);
    return cudaSuccess;
}

/* Queuing calls report a fault only once it has surfaced. */
static cudaError_t queue_call(void)
{
    cudaError_t err;
    cudasim_current(&err);
    return err;
}

/* Waiting calls make a pending fault surface. */
static cudaError_t wait_call(void)
{
    cudaError_t err;
    cudasim_device *dev = cudasim_current(&err);
    return dev ? cudasim_synchronise(dev) : err;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)
{
    (void)event;
    (void)stream;
    return queue_call();
}

cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event,
                                unsigned flags)
{
    (void)stream;
    (void)event;
    (void)flags;
    return queue_call();
}

cudaError_t cudaEventSynchronize(cudaEvent_t event)
{
    (void)event;
    return wait_call();
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream)
{
    (void)stream;
    return wait_call();
}

cudaError_t cudaMemcpy2DAsync(void *dst, size_t dpitch, const void *src,
                              size_t spitch, size_t width, size_t height,
                              enum cudaMemcpyKind kind, cudaStream_t stream)
{
    (void)kind;
    (void)stream;
    cudaError_t err = queue_call();
    if (err)
        return err;
    if (width > dpitch || width > spitch)
        return cudasim_status(cudaErrorInvalidValue);
    for (size_t y = 0; y < height; y++)
        memcpy((char *)dst + y * dpitch, (const char *)src + y * spitch, width);
    return cudaSuccess;
}

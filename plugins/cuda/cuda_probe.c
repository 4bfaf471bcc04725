/*
 * cuda_probe.c - find CUDA devices, and say exactly why there are none.
 *
 * The runtime's first call (cudaGetDeviceCount) loads the driver.  Each way
 * that can fail is a distinct error code, and each gets its own reason with
 * what to do, because "no GPU found" is useless to someone whose driver is
 * one version too old.
 */
#define _GNU_SOURCE /* secure_getenv */
#include "cuda_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vg_cuda_error_text(cudaError_t err, char *buf, size_t buf_size)
{
    snprintf(buf, buf_size, "%s: %s", cudaGetErrorName(err),
             cudaGetErrorString(err));
}

/* "13.0" for 13000: CUDA encodes versions as 1000 * major + 10 * minor. */
static void format_version(int version, char *buf, size_t buf_size)
{
    if (version <= 0)
        snprintf(buf, buf_size, "none");
    else
        snprintf(buf, buf_size, "%d.%d", version / 1000, (version % 1000) / 10);
}

/* The reason for a failed cudaGetDeviceCount, and whether it is a failure
 * of the driver (VG_ERR_DRIVER) or simply no GPU here (0). */
static int device_count_reason(cudaError_t err, int driver_version,
                               int runtime_version, char *reason,
                               size_t reason_size)
{
    char driver[16], runtime[16], text[160];
    format_version(driver_version, driver, sizeof(driver));
    format_version(runtime_version, runtime, sizeof(runtime));
    vg_cuda_error_text(err, text, sizeof(text));

    switch (err) {
    case cudaErrorInsufficientDriver:
        if (driver_version == 0) {
            snprintf(reason, reason_size,
                     "no NVIDIA driver found (libcuda.so.1 not loadable): "
                     "install the NVIDIA driver; nvidia-smi should list the "
                     "GPU");
            return 0;
        }
        snprintf(reason, reason_size,
                 "NVIDIA driver too old: it supports CUDA %s, this plugin's "
                 "runtime is CUDA %s (cudaErrorInsufficientDriver): update "
                 "the driver (nvidia-smi shows its version)",
                 driver, runtime);
        return VG_ERR_DRIVER;
    case cudaErrorCallRequiresNewerDriver:
        snprintf(reason, reason_size,
                 "NVIDIA driver (CUDA %s) older than the runtime needs "
                 "(CUDA %s, cudaErrorCallRequiresNewerDriver): update the "
                 "driver",
                 driver, runtime);
        return VG_ERR_DRIVER;
    case cudaErrorStubLibrary:
        snprintf(reason, reason_size,
                 "the libcuda.so.1 found is the CUDA toolkit's stub, not the "
                 "driver (cudaErrorStubLibrary): remove the toolkit's "
                 "lib64/stubs directory from LD_LIBRARY_PATH and ld.so.conf, "
                 "and install the NVIDIA driver");
        return VG_ERR_DRIVER;
    case cudaErrorNoDevice: {
        const char *visible = secure_getenv("CUDA_VISIBLE_DEVICES");
        snprintf(reason, reason_size,
                 "the NVIDIA driver (CUDA %s) reports no CUDA device "
                 "(cudaErrorNoDevice)%s%s%s: check nvidia-smi%s",
                 driver, visible ? " with CUDA_VISIBLE_DEVICES='" : "",
                 visible ? visible : "", visible ? "'" : "",
                 visible ? " and CUDA_VISIBLE_DEVICES" : "");
        return 0;
    }
    case cudaErrorSystemDriverMismatch:
        snprintf(reason, reason_size,
                 "the NVIDIA kernel module and the user-space driver differ "
                 "in version (cudaErrorSystemDriverMismatch): reboot after "
                 "the driver update, or reinstall the driver");
        return VG_ERR_DRIVER;
    case cudaErrorCompatNotSupportedOnDevice:
        snprintf(reason, reason_size,
                 "a CUDA forward-compatibility driver is in use but this GPU "
                 "does not support it (cudaErrorCompatNotSupportedOnDevice): "
                 "remove the cuda-compat libraries from the library path, or "
                 "update the NVIDIA driver");
        return VG_ERR_DRIVER;
    case cudaErrorDevicesUnavailable:
        snprintf(reason, reason_size,
                 "every CUDA device is busy or unavailable "
                 "(cudaErrorDevicesUnavailable): check the compute mode with "
                 "nvidia-smi (exclusive-process mode allows one process)");
        return VG_ERR_DRIVER;
    case cudaErrorSystemNotReady:
        snprintf(reason, reason_size,
                 "the NVIDIA system is not ready (cudaErrorSystemNotReady): "
                 "on NVSwitch systems start nvidia-fabricmanager");
        return VG_ERR_DRIVER;
    default:
        snprintf(reason, reason_size,
                 "CUDA initialisation failed (%s; driver CUDA %s, runtime "
                 "CUDA %s)",
                 text, driver, runtime);
        return VG_ERR_DRIVER;
    }
}

/* Does the `device` option select CUDA device `ordinal` named `name`?  ""
 * selects every device, digits an ordinal, anything else a
 * case-insensitive substring of the name. */
static int device_selected(const char *option, int ordinal, const char *name)
{
    if (option[0] == '\0')
        return 1;
    size_t len = strlen(option);
    if (strspn(option, "0123456789") == len)
        return atoi(option) == ordinal;
    for (const char *p = name; *p; p++) {
        size_t i = 0;
        while (i < len && p[i] &&
               tolower((unsigned char)p[i]) ==
                   tolower((unsigned char)option[i]))
            i++;
        if (i == len)
            return 1;
    }
    return 0;
}

/* The decision in a few words, for the device's detail line (a fixed
 * field beside the other facts): the capability check's reason carries the
 * whole explanation and what to do. */
static void decision_summary(const vg_cuda_decision *d, int min_cc, char *buf,
                             size_t buf_size)
{
    char image[32];
    vg_cuda_image_format(&d->image, image, sizeof(image));
    switch (d->verdict) {
    case VG_CUDA_RUN_SASS:
        snprintf(buf, buf_size, "runs SASS %s", image);
        break;
    case VG_CUDA_RUN_JIT:
        snprintf(buf, buf_size, "no SASS, will JIT from %s", image);
        break;
    case VG_CUDA_BELOW_MINIMUM:
        snprintf(buf, buf_size,
                 "below cuda.min_compute_capability %d.%d (the capability "
                 "check says what to do)",
                 min_cc / 10, min_cc % 10);
        break;
    case VG_CUDA_NO_IMAGE:
        snprintf(buf, buf_size,
                 "no kernel image in this build (the "
                 "capability check says what to do)");
        break;
    }
}

/* Facts about one device, and the capability decision for it. */
static void describe_device(int ordinal, const struct cudaDeviceProp *prop,
                            const vg_cuda_device_list *list,
                            vg_cuda_device *dev)
{
    char driver[16], runtime[16];
    int mem_clock_khz = 0;

    memset(dev, 0, sizeof(*dev));
    dev->ordinal = ordinal;
    dev->cc = prop->major * 10 + prop->minor;
    /* The runtime linked in is the toolkit that built the plugin. */
    vg_cuda_decide(dev->cc, &list->built, list->min_cc, list->runtime_version,
                   &dev->decision);

    format_version(list->driver_version, driver, sizeof(driver));
    format_version(list->runtime_version, runtime, sizeof(runtime));
    /* Peak bandwidth for benchmarks to compare against: DDR moves data on
     * both clock edges. */
    cudaDeviceGetAttribute(&mem_clock_khz, cudaDevAttrMemoryClockRate, ordinal);
    double peak_gbs =
        2.0 * mem_clock_khz * 1e3 * (prop->memoryBusWidth / 8) / 1e9;

    vg_device_info *info = &dev->info;
    snprintf(info->name, sizeof(info->name), "%.*s",
             (int)sizeof(info->name) - 1, prop->name);
    snprintf(info->vendor, sizeof(info->vendor), "NVIDIA");
    snprintf(info->driver, sizeof(info->driver), "CUDA driver %s, runtime %s",
             driver, runtime);
    char summary[96];
    decision_summary(&dev->decision, list->min_cc, summary, sizeof(summary));
    snprintf(info->detail, sizeof(info->detail),
             "cuda:%d, compute capability %d.%d (%s), %d SMs, peak %.0f "
             "GB/s; %s",
             ordinal, prop->major, prop->minor, vg_cuda_generation(dev->cc),
             prop->multiProcessorCount, peak_gbs, summary);
    info->type = VG_DEVICE_GPU;
    info->compute_units = (uint32_t)prop->multiProcessorCount;
    info->memory_bytes = prop->totalGlobalMem;
}

int vg_cuda_list_devices(const vg_option_value *options,
                         vg_cuda_device_list *out)
{
    const char *device_option = options[VG_CUDA_OPT_DEVICE].string;
    const char *min_cc_option = options[VG_CUDA_OPT_MIN_CC].string;
    char driver[16], runtime[16], err[128];

    memset(out, 0, sizeof(*out));
    if (vg_cuda_cc_parse(min_cc_option, &out->min_cc) != 0) {
        snprintf(out->reason, sizeof(out->reason),
                 "cuda.min_compute_capability: expected MAJOR.MINOR such as "
                 "7.5, got '%.64s'",
                 min_cc_option);
        return VG_ERR_CONFIG;
    }
    /* A malformed record is a build-system bug; say so rather than guess. */
    if (vg_cuda_arch_list_parse(vg_cuda_built_archs(), &out->built, err,
                                sizeof(err)) != 0) {
        snprintf(out->reason, sizeof(out->reason),
                 "the plugin's architecture record is invalid: %s", err);
        return VG_ERR_PLUGIN;
    }

    /* Neither call needs the driver: a version of 0 means there is none. */
    cudaDriverGetVersion(&out->driver_version);
    cudaRuntimeGetVersion(&out->runtime_version);
    format_version(out->driver_version, driver, sizeof(driver));
    format_version(out->runtime_version, runtime, sizeof(runtime));
    snprintf(out->detail, sizeof(out->detail),
             "CUDA runtime %s (static), driver %s; built for %s; minimum "
             "compute capability %d.%d",
             runtime, driver, vg_cuda_built_archs(), out->min_cc / 10,
             out->min_cc % 10);

    int count = 0;
    cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess)
        return device_count_reason(status, out->driver_version,
                                   out->runtime_version, out->reason,
                                   sizeof(out->reason));

    for (int ordinal = 0; ordinal < count; ordinal++) {
        struct cudaDeviceProp prop;
        status = cudaGetDeviceProperties(&prop, ordinal);
        if (status != cudaSuccess) {
            vg_cuda_error_text(status, err, sizeof(err));
            snprintf(out->reason, sizeof(out->reason),
                     "cannot read the properties of CUDA device %d: %s",
                     ordinal, err);
            return VG_ERR_DRIVER;
        }
        if (!device_selected(device_option, ordinal, prop.name) ||
            out->count == VG_MAX_DEVICES)
            continue;
        describe_device(ordinal, &prop, out, &out->devices[out->count++]);
    }
    if (out->count == 0)
        snprintf(out->reason, sizeof(out->reason),
                 "none of the %d CUDA device(s) matches cuda.device '%.64s' "
                 "(an index from 0, or part of the name)",
                 count, device_option);
    return 0;
}

int vg_cuda_find_device(const vg_option_value *options, uint32_t index,
                        vg_cuda_device *out, char *reason, size_t reason_size)
{
    /* Large, and called rarely: not worth the stack. */
    vg_cuda_device_list *list = malloc(sizeof(*list));
    if (!list) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = vg_cuda_list_devices(options, list);
    if (rc == 0 && index >= list->count) {
        if (list->count > 0)
            snprintf(list->reason, sizeof(list->reason),
                     "no CUDA device %u (%u found)", index, list->count);
        rc = VG_ERR_NO_DEVICE;
    }
    if (rc == 0)
        *out = list->devices[index];
    else
        snprintf(reason, reason_size, "%s", list->reason);
    free(list);
    return rc;
}

int vg_cuda_probe(const vg_option_value *options, vg_probe_result *out)
{
    vg_cuda_device_list *list = malloc(sizeof(*list));
    memset(out, 0, sizeof(*out));
    if (!list) {
        snprintf(out->reason, sizeof(out->reason), "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = vg_cuda_list_devices(options, list);
    out->device_count = list->count;
    for (uint32_t i = 0; i < list->count; i++)
        out->devices[i] = list->devices[i].info;
    memcpy(out->detail, list->detail, sizeof(out->detail));
    memcpy(out->reason, list->reason, sizeof(out->reason));
    free(list);
    return rc;
}

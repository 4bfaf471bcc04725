/*
 * opencl_probe.c - enumerate OpenCL platforms and devices through the ICD
 * loader, and apply the device_types / platform / device options.
 *
 * Only devices that pass the options are listed (and numbered), so device 0
 * is always a real candidate and a machine whose only OpenCL device is a
 * CPU runtime reports "no device" with the reason, which is what the
 * selection policy needs to fall back to the native CPU backend as on a
 * machine without any GPU.  The devices left out are named in the probe's
 * plugin-wide detail (and in the reason when none is left), so
 * --list-backends still shows everything the ICD loader found.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl_internal.h"

/* Largest number of platforms looked at; more is unheard of. */
#define VG_OCL_MAX_PLATFORMS 16
/* Devices asked for per platform. */
#define VG_OCL_MAX_PLATFORM_DEVICES 64

/* ocl-icd returns this when no vendor ICD is installed (cl_khr_icd). */
#ifndef CL_PLATFORM_NOT_FOUND_KHR
#define CL_PLATFORM_NOT_FOUND_KHR -1001
#endif

void vg_ocl_append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strnlen(buf, size);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

const char *vg_ocl_status_name(cl_int status)
{
    switch (status) {
#define VG_OCL_STATUS_(name)                                                   \
    case name:                                                                 \
        return #name;
        VG_OCL_STATUS_(CL_SUCCESS)
        VG_OCL_STATUS_(CL_DEVICE_NOT_FOUND)
        VG_OCL_STATUS_(CL_DEVICE_NOT_AVAILABLE)
        VG_OCL_STATUS_(CL_COMPILER_NOT_AVAILABLE)
        VG_OCL_STATUS_(CL_MEM_OBJECT_ALLOCATION_FAILURE)
        VG_OCL_STATUS_(CL_OUT_OF_RESOURCES)
        VG_OCL_STATUS_(CL_OUT_OF_HOST_MEMORY)
        VG_OCL_STATUS_(CL_BUILD_PROGRAM_FAILURE)
        VG_OCL_STATUS_(CL_INVALID_VALUE)
        VG_OCL_STATUS_(CL_INVALID_DEVICE_TYPE)
        VG_OCL_STATUS_(CL_INVALID_PLATFORM)
        VG_OCL_STATUS_(CL_INVALID_DEVICE)
        VG_OCL_STATUS_(CL_INVALID_CONTEXT)
        VG_OCL_STATUS_(CL_INVALID_COMMAND_QUEUE)
        VG_OCL_STATUS_(CL_INVALID_MEM_OBJECT)
        VG_OCL_STATUS_(CL_INVALID_BINARY)
        VG_OCL_STATUS_(CL_INVALID_BUILD_OPTIONS)
        VG_OCL_STATUS_(CL_INVALID_PROGRAM)
        VG_OCL_STATUS_(CL_INVALID_PROGRAM_EXECUTABLE)
        VG_OCL_STATUS_(CL_INVALID_KERNEL_NAME)
        VG_OCL_STATUS_(CL_INVALID_KERNEL)
        VG_OCL_STATUS_(CL_INVALID_ARG_INDEX)
        VG_OCL_STATUS_(CL_INVALID_ARG_VALUE)
        VG_OCL_STATUS_(CL_INVALID_ARG_SIZE)
        VG_OCL_STATUS_(CL_INVALID_KERNEL_ARGS)
        VG_OCL_STATUS_(CL_INVALID_WORK_DIMENSION)
        VG_OCL_STATUS_(CL_INVALID_WORK_GROUP_SIZE)
        VG_OCL_STATUS_(CL_INVALID_WORK_ITEM_SIZE)
        VG_OCL_STATUS_(CL_INVALID_GLOBAL_OFFSET)
        VG_OCL_STATUS_(CL_INVALID_EVENT_WAIT_LIST)
        VG_OCL_STATUS_(CL_INVALID_OPERATION)
        VG_OCL_STATUS_(CL_INVALID_BUFFER_SIZE)
        VG_OCL_STATUS_(CL_INVALID_GLOBAL_WORK_SIZE)
        VG_OCL_STATUS_(CL_PLATFORM_NOT_FOUND_KHR)
#undef VG_OCL_STATUS_
    }
    return "unknown OpenCL status";
}

/* A string property of a device, truncated to `size` (a too-small buffer
 * would make clGetDeviceInfo fail outright, so ask for the length first). */
static void device_string(cl_device_id id, cl_device_info what, char *buf,
                          size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (clGetDeviceInfo(id, what, 0, NULL, &len) != CL_SUCCESS || len == 0)
        return;
    char *tmp = malloc(len + 1);
    if (!tmp)
        return;
    if (clGetDeviceInfo(id, what, len, tmp, NULL) == CL_SUCCESS) {
        tmp[len] = '\0';
        snprintf(buf, size, "%s", tmp);
    }
    free(tmp);
}

static void platform_string(cl_platform_id id, cl_platform_info what, char *buf,
                            size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (clGetPlatformInfo(id, what, 0, NULL, &len) != CL_SUCCESS || len == 0)
        return;
    char *tmp = malloc(len + 1);
    if (!tmp)
        return;
    if (clGetPlatformInfo(id, what, len, tmp, NULL) == CL_SUCCESS) {
        tmp[len] = '\0';
        snprintf(buf, size, "%s", tmp);
    }
    free(tmp);
}

/* The first `words` whitespace-separated words of `text`: "OpenCL 3.0"
 * from "OpenCL 3.0 PoCL HSTR: pthread-x86_64...". */
static void leading_words(const char *text, int words, char *buf, size_t size)
{
    size_t n = 0;
    const char *p = text;
    while (*p == ' ')
        p++;
    const char *start = p;
    for (int w = 0; w < words && *p; w++) {
        while (*p && *p != ' ')
            p++;
        n = (size_t)(p - start);
        while (*p == ' ')
            p++;
    }
    snprintf(buf, size, "%.*s", (int)n, start);
}

/* Case-insensitive substring test (strcasestr is a GNU extension). */
static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] &&
               tolower((unsigned char)p[i]) ==
                   tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

/* Whether a platform / device option selects the item at `index` named
 * `name`: "" selects everything, digits select by index, other text by
 * case-insensitive name substring. */
static int selector_matches(const char *option, uint32_t index,
                            const char *name)
{
    if (option[0] == '\0')
        return 1;
    const char *p = option;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '\0')
        return strtoul(option, NULL, 10) == index;
    return contains_nocase(name, option);
}

static vg_device_type device_type_of(cl_device_type type)
{
    if (type & CL_DEVICE_TYPE_GPU)
        return VG_DEVICE_GPU;
    if (type & CL_DEVICE_TYPE_ACCELERATOR)
        return VG_DEVICE_ACCELERATOR;
    if (type & CL_DEVICE_TYPE_CPU)
        return VG_DEVICE_CPU;
    return VG_DEVICE_OTHER;
}

static const char *device_type_name(vg_device_type type)
{
    switch (type) {
    case VG_DEVICE_GPU:
        return "GPU";
    case VG_DEVICE_ACCELERATOR:
        return "accelerator";
    case VG_DEVICE_CPU:
        return "CPU";
    case VG_DEVICE_OTHER:
        break;
    }
    return "custom";
}

static int type_allowed(vg_device_type type, uint32_t flags)
{
    if (flags & VG_OCL_TYPE_ALL)
        return 1;
    switch (type) {
    case VG_DEVICE_GPU:
        return (flags & VG_OCL_TYPE_GPU) != 0;
    case VG_DEVICE_ACCELERATOR:
        return (flags & VG_OCL_TYPE_ACCELERATOR) != 0;
    case VG_DEVICE_CPU:
        return (flags & VG_OCL_TYPE_CPU) != 0;
    case VG_DEVICE_OTHER:
        break;
    }
    return 0;
}

/* "[gpu, accelerator]" for a device_types value. */
static void format_types(uint32_t flags, char *buf, size_t size)
{
    static const char *const names[] = {"gpu", "accelerator", "cpu", "all"};
    buf[0] = '\0';
    vg_ocl_append(buf, size, "[");
    const char *sep = "";
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (flags & (1u << i)) {
            vg_ocl_append(buf, size, "%s%s", sep, names[i]);
            sep = ", ";
        }
    }
    vg_ocl_append(buf, size, "]");
}

/* Fill the facts probe reports for one device. */
static void describe_device(vg_ocl_device *dev, const char *platform_name)
{
    vg_device_info *info = &dev->info;
    cl_device_type type = 0;
    cl_uint units = 0;
    cl_ulong memory = 0, max_alloc = 0;
    char version[VG_NAME_MAX], c_version[VG_NAME_MAX], text[VG_NAME_MAX];

    memset(info, 0, sizeof *info);
    snprintf(dev->platform_name, sizeof dev->platform_name, "%s",
             platform_name);
    device_string(dev->id, CL_DEVICE_NAME, info->name, sizeof info->name);
    device_string(dev->id, CL_DEVICE_VENDOR, info->vendor, sizeof info->vendor);
    device_string(dev->id, CL_DRIVER_VERSION, info->driver,
                  sizeof info->driver);
    clGetDeviceInfo(dev->id, CL_DEVICE_TYPE, sizeof type, &type, NULL);
    clGetDeviceInfo(dev->id, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units,
                    NULL);
    clGetDeviceInfo(dev->id, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof memory, &memory,
                    NULL);
    clGetDeviceInfo(dev->id, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc,
                    &max_alloc, NULL);
    info->type = device_type_of(type);
    info->compute_units = units;
    info->memory_bytes = memory;

    /* CL_DEVICE_VERSION is "OpenCL <major.minor> <vendor text>" and
     * CL_DEVICE_OPENCL_C_VERSION "OpenCL C <major.minor> <vendor text>";
     * the vendor text can be long, the numbers are what matter. */
    device_string(dev->id, CL_DEVICE_VERSION, text, sizeof text);
    leading_words(text, 2, version, sizeof version);
    device_string(dev->id, CL_DEVICE_OPENCL_C_VERSION, text, sizeof text);
    leading_words(text, 3, c_version, sizeof c_version);
    vg_ocl_append(info->detail, sizeof info->detail,
                  "%s %s, %s, platform %u (%s) device %u, max buffer %llu MiB",
                  device_type_name(info->type), version, c_version,
                  dev->platform_index, platform_name, dev->device_index,
                  (unsigned long long)(max_alloc >> 20));
}

/* Why `dev` was left out, written to `buf`; returns 0 if it was not.
 * `*matched` counts the devices that passed platform and device_types so
 * far: a numeric device option is a position in that sequence, which is
 * the numbering --list-backends shows when device is "". */
static int exclusion(const vg_option_value *options, const vg_ocl_device *dev,
                     uint32_t *matched, char *buf, size_t size)
{
    const char *platform = options[VG_OCL_OPT_PLATFORM].string;
    const char *device = options[VG_OCL_OPT_DEVICE].string;
    uint32_t flags = (uint32_t)options[VG_OCL_OPT_DEVICE_TYPES].integer;
    char types[64];

    if (!selector_matches(platform, dev->platform_index, dev->platform_name)) {
        vg_ocl_append(
            buf, size, "'%s' is on platform %u (%s), not platform: '%s'",
            dev->info.name, dev->platform_index, dev->platform_name, platform);
        return 1;
    }
    if (!type_allowed((vg_device_type)dev->info.type, flags)) {
        if (dev->info.type == VG_DEVICE_CPU) {
            vg_ocl_append(buf, size,
                          "CPU OpenCL device '%s' (%s) skipped: the native "
                          "cpu backend serves the CPU; set "
                          "backend_options.opencl.device_types: [cpu] to "
                          "allow it",
                          dev->info.name, dev->platform_name);
            return 1;
        }
        format_types(flags, types, sizeof types);
        vg_ocl_append(buf, size,
                      "%s device '%s' (%s) is not in "
                      "device_types %s",
                      device_type_name((vg_device_type)dev->info.type),
                      dev->info.name, dev->platform_name, types);
        return 1;
    }
    uint32_t position = (*matched)++;
    if (!selector_matches(device, position, dev->info.name)) {
        vg_ocl_append(buf, size, "'%s' (%s) is not device: '%s'",
                      dev->info.name, dev->platform_name, device);
        return 1;
    }
    return 0;
}

/* Enumerate the devices of one platform into `out`; a failing driver is
 * noted in `failures` and the other platforms are still probed. */
static void list_platform(const vg_option_value *options,
                          cl_platform_id platform, uint32_t platform_index,
                          vg_ocl_device_list *out, uint32_t *matched,
                          char *skipped, size_t skipped_size, char *failures,
                          size_t failures_size)
{
    char name[VG_NAME_MAX];
    cl_device_id ids[VG_OCL_MAX_PLATFORM_DEVICES];
    cl_uint count = 0;

    platform_string(platform, CL_PLATFORM_NAME, name, sizeof name);
    if (name[0] == '\0')
        snprintf(name, sizeof name, "platform %u", platform_index);
    cl_int status = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL,
                                   VG_OCL_MAX_PLATFORM_DEVICES, ids, &count);
    if (status == CL_DEVICE_NOT_FOUND)
        return;
    if (status != CL_SUCCESS) {
        vg_ocl_append(failures, failures_size,
                      "%splatform %u (%s): clGetDeviceIDs failed: %s",
                      failures[0] ? "; " : "", platform_index, name,
                      vg_ocl_status_name(status));
        return;
    }
    if (count > VG_OCL_MAX_PLATFORM_DEVICES)
        count = VG_OCL_MAX_PLATFORM_DEVICES;
    for (cl_uint i = 0; i < count; i++) {
        vg_ocl_device dev = {.platform = platform,
                             .id = ids[i],
                             .platform_index = platform_index,
                             .device_index = i};
        describe_device(&dev, name);
        char why[VG_TEXT_MAX * 2] = "";
        out->found++;
        if (!exclusion(options, &dev, matched, why, sizeof why) &&
            out->count == VG_MAX_DEVICES)
            snprintf(why, sizeof why, "'%s' skipped: more than %d devices",
                     dev.info.name, VG_MAX_DEVICES);
        if (why[0])
            vg_ocl_append(skipped, skipped_size, "%s%s", skipped[0] ? "; " : "",
                          why);
        else
            out->devices[out->count++] = dev;
    }
}

int vg_ocl_list_devices(const vg_option_value *options, vg_ocl_device_list *out)
{
    cl_platform_id platforms[VG_OCL_MAX_PLATFORMS];
    cl_uint count = 0;
    char skipped[VG_REASON_MAX] = "";
    char failures[VG_TEXT_MAX] = "";
    uint32_t matched = 0;

    memset(out, 0, sizeof *out);
    cl_int status = clGetPlatformIDs(VG_OCL_MAX_PLATFORMS, platforms, &count);
    if (status == CL_PLATFORM_NOT_FOUND_KHR ||
        (status == CL_SUCCESS && count == 0)) {
        snprintf(out->reason, sizeof out->reason,
                 "no OpenCL platform: the ICD loader found no driver (no "
                 "usable .icd file in %s); install a GPU vendor's OpenCL "
                 "driver, or pocl-opencl-icd for a CPU device",
                 secure_getenv("OCL_ICD_VENDORS")
                     ? secure_getenv("OCL_ICD_VENDORS")
                     : "/etc/OpenCL/vendors");
        return 0;
    }
    if (status != CL_SUCCESS) {
        snprintf(out->reason, sizeof out->reason,
                 "the OpenCL ICD loader failed: clGetPlatformIDs: %s",
                 vg_ocl_status_name(status));
        return VG_ERR_DRIVER;
    }
    if (count > VG_OCL_MAX_PLATFORMS)
        count = VG_OCL_MAX_PLATFORMS;
    out->platforms = count;

    snprintf(out->detail, sizeof out->detail, "%u OpenCL platform%s:", count,
             count == 1 ? "" : "s");
    for (cl_uint p = 0; p < count; p++) {
        char name[VG_NAME_MAX], version[VG_NAME_MAX], text[VG_NAME_MAX];
        platform_string(platforms[p], CL_PLATFORM_NAME, name, sizeof name);
        platform_string(platforms[p], CL_PLATFORM_VERSION, text, sizeof text);
        leading_words(text, 2, version, sizeof version);
        vg_ocl_append(out->detail, sizeof out->detail, "%s %s (%s)",
                      p ? "," : "", name, version);
        list_platform(options, platforms[p], p, out, &matched, skipped,
                      sizeof skipped, failures, sizeof failures);
    }
    /* With nothing selected the reason says it all; don't repeat it. */
    if (skipped[0] && out->count > 0)
        vg_ocl_append(out->detail, sizeof out->detail, "; not used: %s",
                      skipped);
    if (failures[0])
        vg_ocl_append(out->detail, sizeof out->detail, "; failed: %s",
                      failures);

    if (out->count > 0)
        return 0;
    if (out->found == 0) {
        /* Appended, not snprintf'd: the lists may be cut at the end of
         * the reason, which is what a fixed-size reason does. */
        out->reason[0] = '\0';
        vg_ocl_append(out->reason, sizeof out->reason,
                      "%u OpenCL platform%s but no device%s%s", count,
                      count == 1 ? "" : "s", failures[0] ? ": " : "", failures);
        return 0;
    }
    out->reason[0] = '\0';
    vg_ocl_append(out->reason, sizeof out->reason,
                  "%u OpenCL device%s, none selected: %s%s%s", out->found,
                  out->found == 1 ? "" : "s", skipped, failures[0] ? "; " : "",
                  failures);
    return 0;
}

int vg_ocl_find_device(const vg_option_value *options, uint32_t index,
                       vg_ocl_device *out, char *reason, size_t reason_size)
{
    vg_ocl_device_list *list = malloc(sizeof *list);
    if (!list) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = vg_ocl_list_devices(options, list);
    if (rc == 0 && index >= list->count) {
        if (list->count == 0)
            snprintf(reason, reason_size, "%s", list->reason);
        else
            snprintf(reason, reason_size,
                     "no OpenCL device %u: %u device%s selected", index,
                     list->count, list->count == 1 ? "" : "s");
        rc = VG_ERR_NO_DEVICE;
    } else if (rc != 0) {
        snprintf(reason, reason_size, "%s", list->reason);
    } else {
        *out = list->devices[index];
    }
    free(list);
    return rc;
}

/* The first size - 1 bytes of `text`: what the fixed VG_TEXT_MAX field
 * keeps of a reason that probe_with_reason gives whole. */
static void copy_truncated(char *dst, size_t size, const char *text)
{
    size_t n = strlen(text);
    if (n > size - 1)
        n = size - 1;
    memcpy(dst, text, n);
    dst[n] = '\0';
}

int vg_ocl_probe_with_reason(const vg_option_value *options,
                             vg_probe_result *out, char *reason,
                             size_t reason_size)
{
    vg_ocl_device_list *list = malloc(sizeof *list);
    memset(out, 0, sizeof *out);
    if (!list) {
        snprintf(out->reason, sizeof out->reason, "out of memory");
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = vg_ocl_list_devices(options, list);
    out->device_count = list->count;
    for (uint32_t i = 0; i < list->count; i++)
        out->devices[i] = list->devices[i].info;
    snprintf(out->detail, sizeof out->detail, "%s", list->detail);
    copy_truncated(out->reason, sizeof out->reason, list->reason);
    snprintf(reason, reason_size, "%s", list->reason);
    free(list);
    return rc;
}

int vg_ocl_probe(const vg_option_value *options, vg_probe_result *out)
{
    char reason[VG_REASON_MAX];
    return vg_ocl_probe_with_reason(options, out, reason, sizeof reason);
}

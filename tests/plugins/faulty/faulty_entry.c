/*
 * faulty_entry.c - the faulty plugin's descriptor and fault-injecting slots.
 *
 * Each slot checks VG_FAULTY, then delegates to the CPU backend (the
 * vg_cpu_backend library is linked in), so without faults it renders the
 * reference bytes.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpu_internal.h"
#include "faulty.h"

#ifndef FAULTY_NAME
#define FAULTY_NAME "faulty"
#endif

/* The longest reason a plugin may give: reason_size - 1 bytes (the core
 * passes VG_REASON_MAX), which must arrive whole, up to its last words. */
static void fill_long_reason(char *reason, size_t reason_size, const char *lead)
{
    size_t used = (size_t)snprintf(reason, reason_size, "%s", lead);
    for (; used + 1 < reason_size; used++)
        reason[used] = used % 8 == 0 ? ' ' : 'x';
    reason[used] = '\0';
    memcpy(reason + used - 14, " end of reason", 14);
}

static int faulty_probe(const vg_option_value *options, vg_probe_result *out)
{
    faulty_misbehave("probe");
    if (faulty_has("long_probe_reason")) {
        /* The whole reason comes from probe_with_reason; a loader that
         * does not read that slot shows this. */
        snprintf(out->reason, sizeof out->reason,
                 "injected: no device (the long reason is in "
                 "probe_with_reason)");
        return 0;
    }
    if (faulty_has("probe_fail")) {
        snprintf(out->reason, sizeof out->reason,
                 "injected probe failure (VG_FAULTY=probe_fail)");
        return VG_ERR_DRIVER;
    }
    if (faulty_has("no_device")) {
        snprintf(out->reason, sizeof out->reason,
                 "injected: no device (VG_FAULTY=no_device)");
        return 0;
    }
    int rc = cpu_probe(options, out);
    if (rc == 0) {
        /* devices=N: N copies of the one CPU device, each a "GPU" of its
         * own, for per-device failover. */
        uint32_t count = faulty_device_count();
        const char *faults = faulty_list();
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        for (uint32_t i = 0; i < count; i++) {
            vg_device_info *d = &out->devices[i];
            *d = out->devices[0];
            if (count == 1)
                snprintf(d->name, sizeof d->name, "Faulty Test GPU");
            else
                snprintf(d->name, sizeof d->name, "Faulty Test GPU %u", i);
            snprintf(d->vendor, sizeof d->vendor, "vg tests");
            d->type = VG_DEVICE_GPU;
            /* Faults change what the device computes, and kernel_fail_at
             * counts the self-test's kernel calls: a self-test pass must
             * never be reused across runs with faults, so the detail (part
             * of the self-test cache key) names the faults and this run. */
            if (faults && *faults)
                snprintf(d->detail, sizeof d->detail,
                         "faults: %.200s (run %ld.%09ld, pid %ld)", faults,
                         (long)now.tv_sec, now.tv_nsec, (long)getpid());
        }
        out->device_count = count;
    }
    return rc;
}

static uint32_t opened_device;

static int faulty_check_device(const vg_option_value *options, uint32_t device,
                               const vg_job_limits *limits, char *reason,
                               size_t reason_size)
{
    faulty_misbehave("check");
    if (device >= faulty_device_count()) {
        snprintf(reason, reason_size, "no faulty device %u", device);
        return VG_ERR_NO_DEVICE;
    }
    if (faulty_has("caps_reject") && faulty_strikes(device)) {
        snprintf(reason, reason_size,
                 "injected capability rejection (VG_FAULTY=caps_reject)");
        return VG_ERR_UNSUPPORTED;
    }
    if (faulty_has("long_reason")) {
        fill_long_reason(reason, reason_size,
                         "injected long capability rejection:");
        return VG_ERR_UNSUPPORTED;
    }
    /* Every faulty device is the CPU backend's device 0. */
    return cpu_check_device(options, 0, limits, reason, reason_size);
}

/* ABI 2's probe: faulty_probe, with long_probe_reason's reason whole. */
static int faulty_probe_with_reason(const vg_option_value *options,
                                    vg_probe_result *out, char *reason,
                                    size_t reason_size)
{
    int rc = faulty_probe(options, out);
    if (rc == 0 && faulty_has("long_probe_reason"))
        fill_long_reason(reason, reason_size,
                         "injected long no-device reason:");
    return rc;
}

static int faulty_open(const vg_option_value *options, uint32_t device,
                       const vg_job_limits *limits, vg_plugin_ctx **out,
                       char *reason, size_t reason_size)
{
    faulty_misbehave("open");
    if (device >= faulty_device_count()) {
        snprintf(reason, reason_size, "no faulty device %u", device);
        return VG_ERR_NO_DEVICE;
    }
    if (faulty_has("open_fail") && faulty_strikes(device)) {
        snprintf(reason, reason_size,
                 "injected open failure (VG_FAULTY=open_fail)");
        return VG_ERR_DRIVER;
    }
    faulty_reset_kernel_calls();
    /* Contexts are used one at a time: kernel faults strike the device
     * opened last. */
    opened_device = device;
    return cpu_open(options, 0, limits, out, reason, reason_size);
}

/* Shared by every kernel slot: the injected failure, if this is the call. */
static int kernel_fault(vg_plugin_ctx *ctx)
{
    if (faulty_kernel_call_fails() && faulty_strikes(opened_device))
        return cpu_fail(ctx, VG_ERR_KERNEL,
                        "injected failure of kernel call %llu "
                        "(VG_FAULTY=kernel_fail_at)",
                        (unsigned long long)faulty_kernel_calls());
    return 0;
}

/* warp_wrong_from_x=N: the warp is wrong only in columns x >= N, as a
 * kernel with a broken vector tail or tile edge would be.  Frames narrower
 * than N stay right; the self-test's 257x131 and 1920x8 frames and a
 * conformance run at a larger size catch it. */
static void corrupt_from_column(vg_plugin_frame *dst)
{
    long from = faulty_number("warp_wrong_from_x", -1);
    if (from < 0)
        return;
    vg_image *img = &dst->image;
    for (int32_t y = 0; y < img->height; y++)
        for (long x = from; x < img->width; x++)
            img->data[0][(size_t)y * (size_t)img->stride[0] + 4 * (size_t)x] ^=
                0x01;
}

/* selftest_mismatch: flip one byte of every result, as a miscompiled kernel
 * would; wrong_after_calls=N: the same, from kernel call N + 1 on (right
 * through the self-test, wrong while rendering); warp_wrong_from_x for the
 * warp. */
static void corrupt(vg_plugin_frame *dst, const char *kernel)
{
    if (strcmp(kernel, "warp_affine") == 0)
        corrupt_from_column(dst);
    long after = faulty_number("wrong_after_calls", 0);
    if (faulty_has("selftest_mismatch") ||
        (after > 0 && faulty_kernel_calls() > (uint64_t)after))
        dst->image.data[0][0] ^= 0x01;
}

/* faulty_<kernel> for every kernel row of VG_PLUGIN_SLOTS: a write to a
 * frame whose simulated download is pending refused (async_download), the
 * injected failure, else the CPU backend's kernel with the result corrupted
 * on request.  A kernel added to the table is wrapped here with no edit. */
#define FAULTY_KERNEL_(x, name, presence, since, ptype, shape, dst_format,     \
                       src_format, size_rule)                                  \
    static int faulty_##name VG_KERNEL_PARAMS_##shape(ptype)                   \
    {                                                                          \
        int rc = faulty_check_write(ctx, dst, #name);                          \
        if (rc == 0)                                                           \
            rc = kernel_fault(ctx);                                            \
        if (rc == 0)                                                           \
            rc = cpu_plugin_descriptor.name VG_KERNEL_ARGS_##shape;            \
        if (rc == 0)                                                           \
            corrupt(dst, #name);                                               \
        return rc;                                                             \
    }
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, FAULTY_KERNEL_, )
#undef FAULTY_KERNEL_

/* A write to a frame whose simulated download is pending fails
 * (async_download, faulty_async.c), as it would race a GPU's copy. */
static int faulty_frame_upload(vg_plugin_ctx *ctx, vg_plugin_frame *dst,
                               const vg_image *src)
{
    int rc = faulty_check_write(ctx, dst, "upload");
    return rc != 0 ? rc : cpu_plugin_descriptor.frame_upload(ctx, dst, src);
}

/* Closing reports the simulated downloads (faulty_async.c). */
static void faulty_close(vg_plugin_ctx *ctx)
{
    faulty_async_close();
    cpu_plugin_descriptor.close(ctx);
}

/* The CPU backend's options, with test-friendly defaults (one thread, the
 * scalar kernels), so faulty accepts the same keys. */
static const vg_option_desc faulty_options[CPU_OPTION_COUNT] = {
    [CPU_OPT_THREADS] = {.name = "threads",
                         .type = VG_OPTION_INT,
                         .default_value = "1",
                         .min = 0,
                         .max = 256,
                         .help = "worker threads"},
    [CPU_OPT_ISA] = {.name = "isa",
                     .type = VG_OPTION_ENUM,
                     .default_value = "scalar",
                     .choices = cpu_isa_names,
                     .help = "instruction set of the wrapped CPU kernels"},
};

/* The CPU backend's descriptor with the fault-injecting slots in place. */
static vg_plugin faulty_descriptor(void)
{
    vg_plugin d = cpu_plugin_descriptor;
    d.name = FAULTY_NAME;
    d.version = "test";
    d.description = "test-only GPU-kind backend with injectable faults "
                    "(VG_FAULTY)";
    d.kind = VG_BACKEND_GPU;
    d.options = faulty_options;
    d.option_count = CPU_OPTION_COUNT;
    d.probe = faulty_probe;
    d.check_device = faulty_check_device;
    d.open = faulty_open;
    d.close = faulty_close;
    d.frame_upload = faulty_frame_upload;
    d.probe_with_reason = faulty_probe_with_reason;
#define FAULTY_SET_KERNEL_(x, name, presence, since, ptype, shape, dst_format, \
                           src_format, size_rule)                              \
    if (d.name)                                                                \
        d.name = faulty_##name;
    VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, FAULTY_SET_KERNEL_, )
#undef FAULTY_SET_KERNEL_
    return d;
}

static vg_plugin faulty_plugin;

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version);

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version)
{
    if (loader_abi_version < 1 || faulty_has("entry_null"))
        return NULL;
    /* Descriptor faults are applied on each call, as a plugin built against
     * another header would present its descriptor. */
    faulty_plugin = faulty_descriptor();
    bool v1 = faulty_has("v1_descriptor");
    faulty_plugin.abi_version =
        (uint32_t)faulty_number("abi", v1 ? 1 : VG_PLUGIN_ABI_VERSION);
    if (faulty_has("short_struct"))
        faulty_plugin.struct_size = (uint32_t)offsetof(vg_plugin, blend);
    else if (v1)
        faulty_plugin.struct_size = (uint32_t)VG_PLUGIN_SIZE_V1;
    if (faulty_has("null_slot"))
        faulty_plugin.blur = NULL;
    /* The CPU backend's own download pair is replaced: async_download
     * simulates one (faulty_async.c), half_async sets only its wait (which
     * the loader must refuse), and otherwise faulty has none, as a plugin
     * of ABI version 2 or older. */
    bool async = faulty_has("async_download");
    faulty_plugin.frame_download_start = async ? faulty_download_start : NULL;
    faulty_plugin.frame_download_wait =
        async || faulty_has("half_async") ? faulty_download_wait : NULL;
    return &faulty_plugin;
}

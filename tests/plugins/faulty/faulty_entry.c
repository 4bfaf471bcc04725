/*
 * faulty_entry.c - the faulty plugin's descriptor and fault-injecting slots.
 *
 * Each slot checks VG_FAULTY, then delegates to the CPU backend (the
 * vg_cpu_backend library is linked in), so without faults it renders the
 * reference bytes.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cpu_internal.h"
#include "faulty.h"

#ifndef FAULTY_NAME
#define FAULTY_NAME "faulty"
#endif

static int faulty_probe(const vg_option_value *options, vg_probe_result *out)
{
    if (faulty_has("crash_in_probe"))
        raise(SIGSEGV);
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
        vg_device_info *d = &out->devices[0];
        snprintf(d->name, sizeof d->name, "Faulty Test GPU");
        snprintf(d->vendor, sizeof d->vendor, "vg tests");
        d->type = VG_DEVICE_GPU;
    }
    return rc;
}

static int faulty_check_device(const vg_option_value *options, uint32_t device,
                               const vg_job_limits *limits, char *reason,
                               size_t reason_size)
{
    if (faulty_has("caps_reject")) {
        snprintf(reason, reason_size,
                 "injected capability rejection (VG_FAULTY=caps_reject)");
        return VG_ERR_UNSUPPORTED;
    }
    return cpu_check_device(options, device, limits, reason, reason_size);
}

static int faulty_open(const vg_option_value *options, uint32_t device,
                       const vg_job_limits *limits, vg_backend_ctx **out,
                       char *reason, size_t reason_size)
{
    if (faulty_has("open_fail")) {
        snprintf(reason, reason_size,
                 "injected open failure (VG_FAULTY=open_fail)");
        return VG_ERR_DRIVER;
    }
    faulty_reset_kernel_calls();
    return cpu_open(options, device, limits, out, reason, reason_size);
}

/* Shared by every kernel slot: the injected failure, if this is the call. */
static int kernel_fault(vg_backend_ctx *ctx)
{
    if (faulty_kernel_call_fails())
        return cpu_fail(ctx, VG_ERR_KERNEL,
                        "injected failure of kernel call %llu "
                        "(VG_FAULTY=kernel_fail_at)",
                        (unsigned long long)faulty_kernel_calls());
    return 0;
}

/* selftest_mismatch: flip one byte of every result, as a miscompiled kernel
 * would. */
static void corrupt(vg_frame *dst)
{
    if (faulty_has("selftest_mismatch"))
        dst->image.data[0][0] ^= 0x01;
}

/* faulty_<kernel> for every kernel row of VG_PLUGIN_SLOTS: the injected
 * failure, else the CPU backend's kernel with the result corrupted on
 * request.  A kernel added to the table is wrapped here with no edit. */
#define FAULTY_KERNEL_(x, name, presence, since, ptype, shape, dst_format,     \
                       src_format, size_rule)                                  \
    static int faulty_##name VG_KERNEL_PARAMS_##shape(ptype)                   \
    {                                                                          \
        int rc = kernel_fault(ctx);                                            \
        if (rc == 0)                                                           \
            rc = cpu_plugin_descriptor.name VG_KERNEL_ARGS_##shape;            \
        if (rc == 0)                                                           \
            corrupt(dst);                                                      \
        return rc;                                                             \
    }
VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, FAULTY_KERNEL_, )
#undef FAULTY_KERNEL_

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
    faulty_plugin.abi_version =
        (uint32_t)faulty_number("abi", VG_PLUGIN_ABI_VERSION);
    if (faulty_has("short_struct"))
        faulty_plugin.struct_size = (uint32_t)offsetof(vg_plugin, blend);
    if (faulty_has("null_slot"))
        faulty_plugin.blur = NULL;
    return &faulty_plugin;
}

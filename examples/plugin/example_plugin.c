/*
 * example_plugin.c - a small, complete vg backend: the descriptor, the entry
 * point, the option table, probe, check_device and contexts.
 *
 * It runs on the host CPU with plain scalar loops (example_kernels.c), so
 * it is slow but short; every byte it writes equals the reference because
 * every pixel is computed by vg/pixel_math.h.  Built against an installed
 * vg only: see CMakeLists.txt and docs/writing-a-plugin.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example.h"

/* Options a user may set under backend_options.example in config.yaml.
 * The core checks types and ranges (with file:line:column errors) and fills
 * in the defaults before probe, check_device or open see them. */
static const vg_option_desc example_options[EXAMPLE_OPTION_COUNT] = {
    [EXAMPLE_OPT_MAX_WIDTH] = {.name = "max_width",
                               .type = VG_OPTION_INT,
                               .default_value = "16384",
                               .min = 1,
                               .max = VG_MAX_DIMENSION,
                               .help = "widest frame this backend accepts"},
    [EXAMPLE_OPT_MAX_HEIGHT] = {.name = "max_height",
                                .type = VG_OPTION_INT,
                                .default_value = "16384",
                                .min = 1,
                                .max = VG_MAX_DIMENSION,
                                .help = "tallest frame this backend accepts"},
    [EXAMPLE_OPT_DEVICE_NAME] = {.name = "device_name",
                                 .type = VG_OPTION_STRING,
                                 .default_value = "example scalar device",
                                 .help = "the device name shown by vgrun"},
};

int example_fail(vg_plugin_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->last_error, sizeof ctx->last_error, fmt, ap);
    va_end(ap);
    return code;
}

/* One device, always present: the host CPU. */
static int example_probe(const vg_option_value *options, vg_probe_result *out)
{
    memset(out, 0, sizeof *out);
    out->device_count = 1;
    vg_device_info *d = &out->devices[0];
    snprintf(d->name, sizeof d->name, "%s",
             options[EXAMPLE_OPT_DEVICE_NAME].string);
    snprintf(d->vendor, sizeof d->vendor, "vg examples");
    snprintf(d->driver, sizeof d->driver, "none (host memory)");
    snprintf(d->detail, sizeof d->detail, "scalar loops over vg/pixel_math.h");
    d->type = VG_DEVICE_CPU;
    d->compute_units = 1;
    snprintf(out->detail, sizeof out->detail, "example backend, one thread");
    return 0;
}

/* The job's largest frame must fit the configured maximum; otherwise say
 * which limit and how to raise it. */
static int example_check_device(const vg_option_value *options, uint32_t device,
                                const vg_job_limits *limits, char *reason,
                                size_t reason_size)
{
    int64_t max_w = options[EXAMPLE_OPT_MAX_WIDTH].integer;
    int64_t max_h = options[EXAMPLE_OPT_MAX_HEIGHT].integer;
    if (device != 0) {
        snprintf(reason, reason_size,
                 "no device %u: the example backend has one", device);
        return VG_ERR_NO_DEVICE;
    }
    if (limits->max_width > max_w || limits->max_height > max_h) {
        snprintf(reason, reason_size,
                 "frames up to %dx%d exceed max_width x max_height %lldx%lld: "
                 "raise backend_options.example.max_width / max_height",
                 (int)limits->max_width, (int)limits->max_height,
                 (long long)max_w, (long long)max_h);
        return VG_ERR_UNSUPPORTED;
    }
    return 0;
}

static int example_open(const vg_option_value *options, uint32_t device,
                        const vg_job_limits *limits, vg_plugin_ctx **out,
                        char *reason, size_t reason_size)
{
    *out = NULL;
    int rc = example_check_device(options, device, limits, reason, reason_size);
    if (rc != 0)
        return rc;
    vg_plugin_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(reason, reason_size, "out of memory for a context");
        return VG_ERR_NO_MEMORY;
    }
    *out = ctx;
    return 0;
}

static void example_close(vg_plugin_ctx *ctx)
{
    if (!ctx)
        return;
    example_frames_free_all(ctx);
    free(ctx);
}

static const char *example_last_error(const vg_plugin_ctx *ctx)
{
    return ctx->last_error;
}

/* Kernels run synchronously, so there is never anything to wait for. */
static int example_sync(vg_plugin_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static const vg_plugin example_plugin = {
    .abi_version = VG_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(vg_plugin),
    .name = "example",
    .version = "1.0",
    .description = "example backend: scalar kernels from vg/pixel_math.h",
    .kind = VG_BACKEND_CPU,
    .options = example_options,
    .option_count = EXAMPLE_OPTION_COUNT,
    /* .probe = example_probe, ... .sync = example_sync: every REQUIRED slot
     * of vg/plugin.h's table */
    VG_PLUGIN_SLOT_INITIALIZERS(example_)};

/* The one exported symbol: the descriptor follows the ABI of the headers
 * it was built with, so a loader must speak at least that version. */
VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version);

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version)
{
    return loader_abi_version >= VG_PLUGIN_ABI_VERSION ? &example_plugin : NULL;
}

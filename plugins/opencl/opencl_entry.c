/*
 * opencl_entry.c - the OpenCL plugin's descriptor and its one exported
 * symbol, vg_plugin_entry.
 *
 * Options (backend_options.opencl in the config; docs/backends/opencl.md):
 *   device_types  which OpenCL device types may be used; CPU devices are
 *                 left out by default because the native cpu backend is the
 *                 better CPU path (docs/backends/opencl.md)
 *   platform      a platform index or name substring ("" = any)
 *   device        a device index within its platform or a name substring
 */
#include "opencl_internal.h"

static const char *const device_type_choices[] = {"gpu", "accelerator", "cpu",
                                                  "all", NULL};

/* Order matters: VG_OCL_OPT_* index the values the core hands back, and the
 * device_types bits are the choices' indices (VG_OCL_TYPE_*). */
static const vg_option_desc options[VG_OCL_OPT_COUNT] = {
    [VG_OCL_OPT_DEVICE_TYPES] =
        {.name = "device_types",
         .type = VG_OPTION_FLAGS,
         .default_value = "gpu, accelerator",
         .choices = device_type_choices,
         .help = "OpenCL device types to use: gpu, accelerator, cpu, all "
                 "(CPU devices such as PoCL are off by default: the cpu "
                 "backend serves the CPU)"},
    [VG_OCL_OPT_PLATFORM] =
        {.name = "platform",
         .type = VG_OPTION_STRING,
         .default_value = "",
         .help = "OpenCL platform: index or name substring (\"\" = any)"},
    [VG_OCL_OPT_DEVICE] =
        {.name = "device",
         .type = VG_OPTION_STRING,
         .default_value = "",
         .help = "OpenCL device: index within its platform or name "
                 "substring (\"\" = any)"},
};

static const vg_plugin descriptor = {
    .abi_version = VG_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(vg_plugin),
    .name = "opencl",
    .version = VG_OPENCL_PLUGIN_VERSION,
    .description = "OpenCL 1.2 backend through the ICD loader (GPUs, "
                   "accelerators; CPU runtimes such as PoCL on request)",
    .kind = VG_BACKEND_GPU,
    .options = options,
    .option_count = VG_OCL_OPT_COUNT,
    VG_PLUGIN_SLOT_INITIALIZERS(vg_ocl_)
    /* the OPTIONAL rows it implements: ABI 2's probe with a whole reason */
    VG_PLUGIN_SLOT_INITIALIZER(vg_ocl_, probe_with_reason)
    /* and ABI 3's asynchronous download and cached-program discard */
    VG_PLUGIN_ASYNC_DOWNLOAD_INITIALIZERS(vg_ocl_)
        VG_PLUGIN_SLOT_INITIALIZER(vg_ocl_, discard_cached_code)};

/* The plugin's one exported symbol; -Wmissing-prototypes wants this
 * declaration. */
VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version);

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version)
{
    return loader_abi_version >= VG_PLUGIN_ABI_VERSION ? &descriptor : NULL;
}

/*
 * opencl_entry.c - the OpenCL plugin's descriptor and its one exported
 * symbol, vg_plugin_entry.
 *
 * Options (backend_options.opencl in the config; docs/backends/opencl.md):
 *   device_types  which OpenCL device types may be used; CPU devices are
 *                 left out by default because the native cpu backend is the
 *                 better CPU path (DESIGN.md, "Selection")
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
    .probe = vg_ocl_probe,
    .check_device = vg_ocl_check_device,
    .open = vg_ocl_open,
    .close = vg_ocl_close,
    .last_error = vg_ocl_last_error,
    .frame_alloc = vg_ocl_frame_alloc,
    .frame_free = vg_ocl_frame_free,
    .frame_upload = vg_ocl_frame_upload,
    .frame_download = vg_ocl_frame_download,
    .fill_pattern = vg_ocl_fill_pattern,
    .warp_affine = vg_ocl_warp_affine,
    .blend = vg_ocl_blend,
    .blur = vg_ocl_blur,
    .rgba_to_i420 = vg_ocl_rgba_to_i420,
    .i420_to_rgba = vg_ocl_i420_to_rgba,
    .sync = vg_ocl_sync,
    .probe_with_reason = vg_ocl_probe_with_reason,
    .frame_download_start = vg_ocl_frame_download_start,
    .frame_download_wait = vg_ocl_frame_download_wait,
};

/* The plugin's one exported symbol; -Wmissing-prototypes wants this
 * declaration. */
VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version);

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version)
{
    return loader_abi_version >= VG_PLUGIN_ABI_VERSION ? &descriptor : NULL;
}

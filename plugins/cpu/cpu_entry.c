/*
 * cpu_entry.c - the CPU backend's descriptor: the one exported symbol.
 */
#include "cpu_internal.h"

static const vg_option_desc cpu_options[CPU_OPTION_COUNT] = {
    [CPU_OPT_THREADS] = {.name = "threads",
                         .type = VG_OPTION_INT,
                         .default_value = "0",
                         .min = 0,
                         .max = 256,
                         .help = "worker threads, 0 = one per core"},
    [CPU_OPT_ISA] = {.name = "isa",
                     .type = VG_OPTION_ENUM,
                     .default_value = "auto",
                     .choices = cpu_isa_names,
                     .help = "highest instruction set to use (auto = the "
                             "best this CPU has); VG_CPU_ISA overrides"},
};

static const vg_plugin cpu_plugin = {
    .abi_version = VG_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(vg_plugin),
    .name = "cpu",
    .version = "1.0",
    .description = "native CPU backend (always available)",
    .kind = VG_BACKEND_CPU,
    .options = cpu_options,
    .option_count = CPU_OPTION_COUNT,
    .probe = cpu_probe,
    .check_device = cpu_check_device,
    .open = cpu_open,
    .close = cpu_close,
    .last_error = cpu_last_error,
    .frame_alloc = cpu_frame_alloc,
    .frame_free = cpu_frame_free,
    .frame_upload = cpu_frame_upload,
    .frame_download = cpu_frame_download,
    .fill_pattern = cpu_fill_pattern,
    .warp_affine = cpu_warp_affine,
    .blend = cpu_blend,
    .blur = cpu_blur,
    .rgba_to_i420 = cpu_rgba_to_i420,
    .i420_to_rgba = cpu_i420_to_rgba,
    .sync = cpu_sync,
    .frame_download_start = cpu_frame_download_start,
    .frame_download_wait = cpu_frame_download_wait,
};

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version);

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version)
{
    return loader_abi_version >= 1 ? &cpu_plugin : NULL;
}

/*
 * cuda_entry.c - the CUDA backend's descriptor: the one exported symbol.
 */
#include "cuda_internal.h"

static const vg_option_desc cuda_options[VG_CUDA_OPT_COUNT] = {
    [VG_CUDA_OPT_DEVICE] = {.name = "device",
                            .type = VG_OPTION_STRING,
                            .default_value = "",
                            .help = "device index or name substring; empty = "
                                    "every device, first usable wins"},
    [VG_CUDA_OPT_MIN_CC] = {.name = "min_compute_capability",
                            .type = VG_OPTION_STRING,
                            .default_value = "7.5",
                            .help = "lowest compute capability to use, "
                                    "MAJOR.MINOR (CUDA 13 supports 7.5+)"},
};

static const vg_plugin cuda_plugin = {
    .abi_version = VG_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(vg_plugin),
    .name = "cuda",
    .version = "1.0",
    .description = "NVIDIA CUDA backend (static CUDA runtime, needs the "
                   "NVIDIA driver)",
    .kind = VG_BACKEND_GPU,
    .options = cuda_options,
    .option_count = VG_CUDA_OPT_COUNT,
    .probe = vg_cuda_probe,
    .check_device = vg_cuda_check_device,
    .open = vg_cuda_open,
    .close = vg_cuda_close,
    .last_error = vg_cuda_last_error,
    .frame_alloc = vg_cuda_frame_alloc,
    .frame_free = vg_cuda_frame_free,
    .frame_upload = vg_cuda_frame_upload,
    .frame_download = vg_cuda_frame_download,
    .fill_pattern = vg_cuda_fill_pattern,
    .warp_affine = vg_cuda_warp_affine,
    .blend = vg_cuda_blend,
    .blur = vg_cuda_blur,
    .rgba_to_i420 = vg_cuda_rgba_to_i420,
    .i420_to_rgba = vg_cuda_i420_to_rgba,
    .sync = vg_cuda_sync,
    .frame_download_start = vg_cuda_frame_download_start,
    .frame_download_wait = vg_cuda_frame_download_wait,
};

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version);

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version)
{
    return loader_abi_version >= 1 ? &cuda_plugin : NULL;
}

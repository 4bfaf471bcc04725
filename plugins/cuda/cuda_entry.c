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
    VG_PLUGIN_SLOT_INITIALIZERS(vg_cuda_)
        VG_PLUGIN_ASYNC_DOWNLOAD_INITIALIZERS(vg_cuda_)};

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version);

VG_PLUGIN_EXPORT const vg_plugin *vg_plugin_entry(uint32_t loader_abi_version)
{
    return loader_abi_version >= 1 ? &cuda_plugin : NULL;
}

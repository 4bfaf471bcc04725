/*
 * cpu_descriptor.c - the CPU backend's descriptor and option table.
 *
 * It lives in the vg_cpu_backend library rather than in cpu_entry.c so that
 * the faulty test plugins can start from exactly this descriptor.
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

const vg_plugin cpu_plugin_descriptor = {
    .abi_version = VG_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(vg_plugin),
    .name = "cpu",
    .version = "1.0",
    .description = "native CPU backend (always available)",
    .kind = VG_BACKEND_CPU,
    .options = cpu_options,
    .option_count = CPU_OPTION_COUNT,
    VG_PLUGIN_SLOT_INITIALIZERS(cpu_)
        VG_PLUGIN_ASYNC_DOWNLOAD_INITIALIZERS(cpu_)};

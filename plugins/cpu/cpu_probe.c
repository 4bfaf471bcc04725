/*
 * cpu_probe.c - describe the host CPU and choose the ISA level.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu_internal.h"

const char *const cpu_isa_names[] = {"scalar", "sse41", "avx2", "avx512",
                                     "neon",   "auto",  NULL};

cpu_isa cpu_detect_isa(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl"))
        return CPU_ISA_AVX512;
    if (__builtin_cpu_supports("avx2"))
        return CPU_ISA_AVX2;
    if (__builtin_cpu_supports("sse4.1"))
        return CPU_ISA_SSE41;
    return CPU_ISA_SCALAR;
#elif defined(__aarch64__)
    return CPU_ISA_NEON; /* Advanced SIMD is mandatory on AArch64 */
#else
    return CPU_ISA_SCALAR;
#endif
}

/* NEON is not above AVX-512: it is another architecture's level.  A level
 * is available when it is scalar or lies on this CPU's own ladder. */
int cpu_isa_available(cpu_isa wanted)
{
    cpu_isa best = cpu_detect_isa();
    if (wanted == CPU_ISA_SCALAR)
        return 1;
    if (wanted > CPU_ISA_NEON)
        return 0;
    if (best == CPU_ISA_NEON || wanted == CPU_ISA_NEON)
        return wanted == best;
    return wanted <= best;
}

int32_t cpu_thread_count(int64_t option)
{
    if (option > 0)
        return (int32_t)option;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (int32_t)cores : 1;
}

int cpu_resolve_isa(int64_t option, cpu_isa *out, char *reason,
                    size_t reason_size)
{
    cpu_isa best = cpu_detect_isa();
    cpu_isa wanted = (cpu_isa)option;
    const char *origin = "backend_options.cpu.isa";
    const char *env = secure_getenv("VG_CPU_ISA");
    if (env && *env) {
        origin = "VG_CPU_ISA";
        wanted = CPU_ISA_AUTO + 1; /* invalid until matched */
        for (int i = 0; cpu_isa_names[i]; i++)
            if (strcmp(env, cpu_isa_names[i]) == 0)
                wanted = (cpu_isa)i;
        if (wanted > CPU_ISA_AUTO) {
            snprintf(reason, reason_size,
                     "VG_CPU_ISA=%s is not one of scalar, sse41, avx2, "
                     "avx512, neon, auto",
                     env);
            return VG_ERR_CONFIG;
        }
    }
    if (wanted == CPU_ISA_AUTO) {
        *out = best;
        return 0;
    }
    if (!cpu_isa_available(wanted)) {
        snprintf(reason, reason_size,
                 "%s asks for %s but this CPU supports at most %s", origin,
                 cpu_isa_names[wanted], cpu_isa_names[best]);
        return VG_ERR_UNSUPPORTED;
    }
    *out = wanted;
    return 0;
}

/* The marketing name from /proc/cpuinfo, when there is one. */
static void read_cpu_name(char *name, size_t size)
{
    snprintf(name, size, "host CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        const char *colon = strchr(line, ':');
        if (colon) {
            colon++;
            while (*colon == ' ' || *colon == '\t')
                colon++;
            snprintf(name, size, "%.*s", (int)strcspn(colon, "\n"), colon);
        }
        break;
    }
    fclose(f);
}

int cpu_probe(const vg_option_value *options, vg_probe_result *out)
{
    cpu_isa isa;
    int rc = cpu_resolve_isa(options[CPU_OPT_ISA].integer, &isa, out->reason,
                             sizeof out->reason);
    if (rc != 0)
        return rc;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t threads = options[CPU_OPT_THREADS].integer;
    vg_device_info *d = &out->devices[0];
    read_cpu_name(d->name, sizeof d->name);
    snprintf(d->vendor, sizeof d->vendor, "host");
    snprintf(d->driver, sizeof d->driver, "native");
    snprintf(d->detail, sizeof d->detail,
             "isa %s (best %s), %ld cores, %d threads", cpu_isa_names[isa],
             cpu_isa_names[cpu_detect_isa()], cores,
             (int)cpu_thread_count(threads));
    d->type = VG_DEVICE_CPU;
    d->compute_units = cores > 0 ? (uint32_t)cores : 1;
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    d->memory_bytes =
        pages > 0 && page_size > 0 ? (uint64_t)pages * (uint64_t)page_size : 0;
    snprintf(out->detail, sizeof out->detail, "isa %s", cpu_isa_names[isa]);
    out->device_count = 1;
    return 0;
}

int cpu_check_device(const vg_option_value *options, uint32_t device,
                     const vg_job_limits *limits, char *reason,
                     size_t reason_size)
{
    (void)device;
    (void)limits;
    cpu_isa isa;
    int rc = cpu_resolve_isa(options[CPU_OPT_ISA].integer, &isa, reason,
                             reason_size);
    if (rc == 0)
        snprintf(reason, reason_size, "isa %s", cpu_isa_names[isa]);
    return rc;
}

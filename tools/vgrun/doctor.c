/*
 * doctor.c - vgrun --doctor: the GPU troubleshooting checklist, automated.
 *
 * Users hit by "no kernel image is available for execution on the device"
 * are told to check, by hand: the fallback keys in config.yaml, the NVIDIA
 * driver and its version, that the CUDA runtime sees the GPU, that the
 * driver supports the runtime the binary was built with, that the GPU's
 * compute capability is one the binary has kernels for, and finally which
 * backend will run.  The doctor checks each item, says which one fails and
 * what to do.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vg/job.h"
#include "vg/loader.h"
#include "vgrun.h"

typedef enum verdict { V_OK, V_INFO, V_WARN, V_FAIL } verdict;

static void finding(verdict v, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void finding(verdict v, const char *fix, const char *fmt, ...)
{
    static const char *const tags[] = {"[ ok ]", "[info]", "[warn]", "[FAIL]"};
    printf("%s ", tags[v]);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (fix)
        printf("       fix: %s\n", fix);
}

static void check_policy(const vg_config *cfg)
{
    printf("Configuration (%s):\n",
           cfg->source ? cfg->source : "built-in defaults");
    if (cfg->auto_cpu_fallback)
        finding(V_OK, NULL,
                "auto_cpu_fallback is true: a failing GPU hands "
                "over to the next backend, the CPU included");
    else
        finding(V_WARN,
                "set video_generation.auto_cpu_fallback: true to render on "
                "the CPU when the GPU cannot",
                "auto_cpu_fallback is false: once a GPU fails, the run stops "
                "instead of using the CPU");
    if (cfg->force_gpu)
        finding(V_WARN,
                "set video_generation.force_gpu: false unless a CPU render "
                "is unacceptable",
                "force_gpu is true: without a working GPU nothing renders");
    else
        finding(V_OK, NULL, "force_gpu is false");
    if (!cfg->use_gpu)
        finding(V_WARN, "set video_generation.use_gpu: true to use a GPU",
                "use_gpu is false: GPU backends are not used at all");
    printf("  backend order:");
    for (size_t i = 0; i < cfg->backend_count; i++)
        printf("%s %s", i ? "," : "", cfg->backends[i]);
    printf("\n");
}

/* The kernel module's version line, e.g. "NVRM version: NVIDIA UNIX x86_64
 * Kernel Module  550.54.14 ...", or "" when no NVIDIA driver is loaded. */
static void read_driver_version(char *out, size_t size)
{
    out[0] = '\0';
    FILE *f = fopen("/proc/driver/nvidia/version", "r");
    if (!f)
        return;
    if (fgets(out, (int)size, f))
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

static bool on_path(const char *program)
{
    const char *path = secure_getenv("PATH");
    if (!path)
        return false;
    char *copy = strdup(path), *save = NULL;
    bool found = false;
    for (char *dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", dir, program);
        found = access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

static void check_nvidia_driver(void)
{
    printf("NVIDIA driver:\n");
    char version[512];
    read_driver_version(version, sizeof version);
    if (version[0])
        finding(V_OK, NULL, "kernel driver loaded: %s", version);
    else
        finding(V_FAIL,
                "install the NVIDIA driver (Debian: apt install "
                "nvidia-driver), reboot, and check that nvidia-smi lists "
                "the GPU",
                "no NVIDIA kernel driver loaded (/proc/driver/nvidia/version "
                "is missing)");
    /* The user-space half: what the CUDA runtime loads.  dlopen only maps
     * it; nothing is initialised. */
    void *libcuda = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (libcuda) {
        finding(V_OK, NULL, "libcuda.so.1 (driver library) found");
        dlclose(libcuda);
    } else {
        finding(version[0] ? V_FAIL : V_INFO,
                version[0] ? "reinstall the driver's user-space libraries "
                             "(Debian: libcuda1) matching the kernel module"
                           : NULL,
                "libcuda.so.1 (driver library) not loadable");
    }
    finding(V_INFO, NULL, "nvidia-smi %s",
            on_path("nvidia-smi") ? "is installed: run it to see "
                                    "the GPU and driver version"
                                  : "is not installed");
}

static const char *fix_for_stage(vg_stage stage)
{
    switch (stage) {
    case VG_STAGE_FIND:
        return "build or install the plugin (see README.md); vgrun "
               "--list-backends shows where it was looked for";
    case VG_STAGE_LOAD:
        return "reinstall the plugin: it does not load (see the reason)";
    case VG_STAGE_CHECK:
        return "this GPU cannot run this build's kernels: use a build with "
               "kernels for it (see docs/backends/cuda.md), or let the next "
               "backend render";
    case VG_STAGE_SELFTEST:
        return "the device computes wrong results: update the driver; the "
               "next backend renders meanwhile";
    default:
        return NULL;
    }
}

/* One backend's findings: plugin, probe facts, each device's verdict. */
static bool check_backend(const vg_config *cfg, const vg_search_path *sp,
                          const vg_job_limits *limits, const char *name,
                          const char *title)
{
    printf("%s:\n", title);
    char *path = NULL, reason[VG_REASON_MAX];
    if (vg_search_path_find(sp, name, &path, reason, sizeof reason) != 0) {
        finding(V_FAIL, fix_for_stage(VG_STAGE_FIND), "%s", reason);
        return false;
    }
    static vg_backend_report report; /* large: keep it off the stack */
    int rc = vg_inspect_plugin(cfg, limits, path, &report);
    finding(V_INFO, NULL, "plugin %s", path);
    free(path);
    if (rc == VG_ERR_CONFIG) {
        finding(V_FAIL, "correct the configuration", "%s",
                report.attempt.reason);
        return false;
    }
    if (report.probed && report.probe.detail[0])
        finding(V_INFO, NULL, "%s", report.probe.detail);
    for (uint32_t d = 0; report.probed && d < report.probe.device_count; d++)
        finding(V_INFO, NULL, "device %u: %s: %s", d,
                report.probe.devices[d].name, report.probe.devices[d].detail);
    bool usable = report.attempt.stage == VG_STAGE_SELECTED;
    if (usable)
        finding(V_OK, NULL, "usable: %s", report.attempt.reason);
    else
        finding(V_FAIL, fix_for_stage(report.attempt.stage), "%s: %s",
                vg_stage_name(report.attempt.stage), report.attempt.reason);
    return usable;
}

/* What a job would do with this config: the real selection, policy keys
 * included. */
static void check_selection(const vg_config *cfg, const vg_job_limits *limits)
{
    printf("A job with this configuration:\n");
    vg_selector *sel = NULL;
    vg_backend *backend = NULL;
    char err[VG_ATTEMPT_REASON_MAX];
    if (vg_selector_create(cfg, limits, &sel) != 0) {
        finding(V_FAIL, NULL, "out of memory");
        return;
    }
    if (vg_selector_next(sel, &backend, err, sizeof err) == 0) {
        finding(vg_backend_kind_of(backend) == VG_BACKEND_GPU ? V_OK : V_INFO,
                NULL, "would run on %s", vg_backend_name(backend));
    } else {
        finding(V_FAIL,
                "fix a failure above, or allow the CPU backend "
                "(backends: [..., cpu], force_gpu: false)",
                "would not run: %s", err);
    }
    vg_backend_close(&backend);
    vg_selector_destroy(&sel);
}

int vgrun_doctor(const vg_config *cfg)
{
    vg_search_path *sp = NULL;
    vg_job *job = NULL;
    if (vg_search_path_create(cfg, &sp) != 0 ||
        vg_job_create_default(&job) != 0) {
        vg_search_path_destroy(&sp);
        fputs("vgrun: out of memory\n", stderr);
        return VGRUN_EXIT_RUNTIME;
    }
    vg_job_limits limits = vg_job_get_limits(job);
    printf("vg doctor %s: checking why a GPU is or is not used\n\n",
           VG_VERSION_STRING);
    check_policy(cfg);
    check_nvidia_driver();
    bool gpu = check_backend(cfg, sp, &limits, "cuda", "CUDA backend");
    gpu |= check_backend(cfg, sp, &limits, "opencl", "OpenCL backend");
    check_backend(cfg, sp, &limits, "cpu", "CPU backend");
    check_selection(cfg, &limits);
    printf("\n%s\n", gpu ? "Result: a GPU backend is usable here."
                         : "Result: no GPU backend is usable here; jobs run "
                           "on the CPU backend if the configuration allows.");
    vg_job_destroy(&job);
    vg_search_path_destroy(&sp);
    return gpu ? VGRUN_EXIT_OK : VGRUN_EXIT_NO_GPU;
}

/*
 * opencl_program.c - build the OpenCL program, through a binary cache.
 *
 * Building from source runs the device compiler (seconds on PoCL, which
 * compiles through LLVM), and every selection builds once in the capability
 * check and once in open, so built binaries are kept in the user's cache
 * directory: $XDG_CACHE_HOME/vg/opencl, else ~/.cache/vg/opencl.
 *
 * An entry's name is a 128-bit hash of everything that can change the
 * binary: the platform, the device, its driver version, the program source
 * and the build options.  A new driver or a new plugin build therefore
 * misses the cache instead of loading a stale binary.  Each file carries a
 * header (magic, key, payload size, payload hash), so a truncated or
 * corrupt entry is detected before the driver sees it; such an entry, or
 * one the driver rejects, is deleted and rebuilt.  Entries are written to a
 * temporary file and renamed, so a reader never sees half an entry.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "opencl_internal.h"

/* OpenCL C 1.2: the oldest version with everything the kernels use, and
 * the newest every conformant runtime still accepts. */
#define VG_OCL_BUILD_OPTIONS "-cl-std=CL1.2"

/* Test-only hook (docs/backends/opencl.md): when this variable is "1", a
 * syntax error is appended to the source, to exercise the build-failure
 * path on a working runtime. */
#define VG_OCL_BREAK_SOURCE_ENV "VG_OPENCL_TEST_BREAK_SOURCE"
static const char vg_ocl_broken_tail[] =
    "\nkernel void vg_test_hook_broken(void) { this is not OpenCL C }\n";

/* Test-only hook (docs/backends/opencl.md): when this variable holds a
 * column N, the program is built with a warp that is wrong from column N
 * on, and cached under the key of the genuine program: a forged entry that
 * the driver accepts, for the tests of the self-test and of the cache. */
#define VG_OCL_FORGE_ENV "VG_OPENCL_TEST_FORGE_CACHE"

/* Bumped when the entry layout changes. */
static const char vg_ocl_cache_magic[8] = {'V', 'G', 'O', 'C',
                                           'L', 'B', 'C', '1'};

/* Log lines quoted in a build-failure reason. */
#define VG_OCL_LOG_LINES 4

typedef struct cache_header {
    char magic[8];
    uint64_t key[2];
    uint64_t payload_size;
    uint64_t payload_hash;
} cache_header;

/* FNV-1a, 64 bit: not cryptographic, only to tell entries apart and to
 * notice damage; two seeds give the 128-bit key. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t size)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < size; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#define VG_OCL_FNV_SEED_A 0xcbf29ce484222325ull
#define VG_OCL_FNV_SEED_B 0x84222325cbf29ce4ull

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The program source, with the break hook applied; caller frees. */
static char *program_source(void)
{
    const char *hook = secure_getenv(VG_OCL_BREAK_SOURCE_ENV);
    int broken = hook && strcmp(hook, "1") == 0;
    size_t base = strlen(vg_ocl_program_source);
    size_t tail = broken ? sizeof vg_ocl_broken_tail - 1 : 0;
    char *src = malloc(base + tail + 1);
    if (!src)
        return NULL;
    memcpy(src, vg_ocl_program_source, base);
    memcpy(src + base, vg_ocl_broken_tail, tail);
    src[base + tail] = '\0';
    return src;
}

/* The source actually compiled: with the forge hook, a #define in front
 * (the key still comes from the genuine source).  Caller frees. */
static char *compiled_source(const char *source)
{
    const char *forge = secure_getenv(VG_OCL_FORGE_ENV);
    long column = forge && *forge ? strtol(forge, NULL, 10) : -1;
    char *out = NULL;
    if (column < 0)
        return strdup(source);
    if (asprintf(&out, "#define VG_OCL_TEST_WRONG_FROM_X %ld\n%s", column,
                 source) < 0)
        return NULL;
    return out;
}

/* Hash every input of the binary: platform, device, driver, source and
 * options.  The strings are hashed with their terminators so that
 * ("ab", "c") and ("a", "bc") differ. */
static void cache_key(const vg_ocl_device *dev, const char *source,
                      uint64_t key[2])
{
    char version[VG_NAME_MAX] = "";
    size_t len = 0;
    if (clGetDeviceInfo(dev->id, CL_DEVICE_VERSION, sizeof version - 1, version,
                        &len) != CL_SUCCESS)
        version[0] = '\0';
    const char *parts[] = {dev->platform_name,
                           dev->info.name,
                           dev->info.vendor,
                           dev->info.driver,
                           version,
                           VG_OCL_BUILD_OPTIONS,
                           source};
    uint64_t seeds[2] = {VG_OCL_FNV_SEED_A, VG_OCL_FNV_SEED_B};
    for (int k = 0; k < 2; k++) {
        uint64_t h = seeds[k];
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
            h = fnv1a(h, parts[i], strlen(parts[i]) + 1);
        key[k] = h;
    }
}

/* The cache directory for OpenCL binaries, without creating it; 0 when
 * there is none (no XDG_CACHE_HOME and no HOME). */
static int cache_dir(char *buf, size_t size)
{
    const char *xdg = secure_getenv("XDG_CACHE_HOME");
    const char *home = secure_getenv("HOME");
    int n;
    /* The XDG base directory spec ignores relative paths. */
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, size, "%s/vg/opencl", xdg);
    else if (home && home[0])
        n = snprintf(buf, size, "%s/.cache/vg/opencl", home);
    else
        return 0;
    return n > 0 && (size_t)n < size;
}

/* mkdir -p for the cache directory (private: binaries are code we load). */
static int make_dirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The cache holds code this process will load: it is used only in a
 * directory of our own that nobody else can write (the plugin loader's rule
 * for plugin directories).  Created 0700 when missing.  0, or -1 with the
 * reason in `why`. */
static int cache_dir_usable(const char *dir, char *why, size_t why_size)
{
    struct stat st;
    if (make_dirs(dir) != 0 || lstat(dir, &st) != 0) {
        snprintf(why, why_size, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(why, why_size, "%s is not a directory", dir);
        return -1;
    }
    if (st.st_uid != geteuid()) {
        snprintf(why, why_size, "%s is owned by uid %u, not by you (uid %u)",
                 dir, (unsigned)st.st_uid, (unsigned)geteuid());
        return -1;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(why, why_size, "%s is writable by %s (mode %04o)", dir,
                 (st.st_mode & S_IWOTH) ? "others" : "its group",
                 (unsigned)(st.st_mode & 07777));
        return -1;
    }
    return 0;
}

/* Read a cache entry and check it; the payload (malloc'ed) on success,
 * NULL with `why` set when it is absent ("" then) or damaged. */
static unsigned char *cache_read(const char *path, const uint64_t key[2],
                                 size_t *size_out, char *why, size_t why_size)
{
    cache_header h;
    struct stat st;
    unsigned char *payload = NULL;
    why[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fstat(fileno(f), &st) != 0 || fread(&h, sizeof h, 1, f) != 1) {
        snprintf(why, why_size, "shorter than its header");
        goto done;
    }
    if (memcmp(h.magic, vg_ocl_cache_magic, sizeof h.magic) != 0 ||
        h.key[0] != key[0] || h.key[1] != key[1]) {
        snprintf(why, why_size, "bad header");
        goto done;
    }
    if (h.payload_size == 0 ||
        (uint64_t)st.st_size != sizeof h + h.payload_size) {
        snprintf(why, why_size, "size %lld, header says %llu",
                 (long long)st.st_size,
                 (unsigned long long)(sizeof h + h.payload_size));
        goto done;
    }
    payload = malloc(h.payload_size);
    if (!payload || fread(payload, 1, h.payload_size, f) != h.payload_size ||
        fnv1a(VG_OCL_FNV_SEED_A, payload, h.payload_size) != h.payload_hash) {
        snprintf(why, why_size, "payload does not match its hash");
        free(payload);
        payload = NULL;
        goto done;
    }
    *size_out = h.payload_size;
done:
    fclose(f);
    return payload;
}

/* Write an entry atomically: a temporary file in the same directory,
 * renamed over the final name.  Returns 0 or -1 (the cache is an
 * optimisation: a failure is noted, never fatal). */
static int cache_write(const char *dir, const char *path, const uint64_t key[2],
                       const unsigned char *payload, size_t size)
{
    char tmp[4352];
    cache_header h;
    memcpy(h.magic, vg_ocl_cache_magic, sizeof h.magic);
    h.key[0] = key[0];
    h.key[1] = key[1];
    h.payload_size = size;
    h.payload_hash = fnv1a(VG_OCL_FNV_SEED_A, payload, size);

    if (make_dirs(dir) != 0)
        return -1;
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return -1;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    int ok = fwrite(&h, sizeof h, 1, f) == 1 &&
             fwrite(payload, 1, size, f) == size && fflush(f) == 0 &&
             fsync(fileno(f)) == 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Copy the first lines of the build log into `out`, joined with " | ". */
static void build_log_lines(cl_program program, cl_device_id device, char *out,
                            size_t out_size)
{
    size_t len = 0;
    out[0] = '\0';
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, NULL,
                              &len) != CL_SUCCESS ||
        len == 0)
        return;
    char *log = malloc(len + 1);
    if (!log)
        return;
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, len, log,
                              NULL) == CL_SUCCESS) {
        log[len] = '\0';
        int lines = 0;
        char *save = NULL; /* strtok_r: probe and check may run on any thread */
        for (char *line = strtok_r(log, "\r\n", &save);
             line && lines < VG_OCL_LOG_LINES;
             line = strtok_r(NULL, "\r\n", &save)) {
            while (*line == ' ' || *line == '\t')
                line++;
            if (*line == '\0')
                continue;
            vg_ocl_append(out, out_size, "%s%s", lines ? " | " : "", line);
            lines++;
        }
    }
    free(log);
}

static int build_from_source(cl_context context, const vg_ocl_device *dev,
                             const char *source, cl_program *out, char *reason,
                             size_t reason_size)
{
    cl_int status;
    cl_program program =
        clCreateProgramWithSource(context, 1, &source, NULL, &status);
    if (status != CL_SUCCESS) {
        snprintf(reason, reason_size, "clCreateProgramWithSource: %s",
                 vg_ocl_status_name(status));
        return status == CL_OUT_OF_HOST_MEMORY ? VG_ERR_NO_MEMORY
                                               : VG_ERR_DRIVER;
    }
    status =
        clBuildProgram(program, 1, &dev->id, VG_OCL_BUILD_OPTIONS, NULL, NULL);
    if (status != CL_SUCCESS) {
        char log[768];
        build_log_lines(program, dev->id, log, sizeof log);
        snprintf(reason, reason_size,
                 "OpenCL program build failed on '%s' (%s): %s%s",
                 dev->info.name, vg_ocl_status_name(status),
                 log[0] ? "build log: " : "no build log", log);
        clReleaseProgram(program);
        return VG_ERR_KERNEL;
    }
    *out = program;
    return 0;
}

static int build_from_binary(cl_context context, const vg_ocl_device *dev,
                             const unsigned char *binary, size_t size,
                             cl_program *out)
{
    cl_int status, binary_status = CL_SUCCESS;
    cl_program program = clCreateProgramWithBinary(
        context, 1, &dev->id, &size, &binary, &binary_status, &status);
    if (status != CL_SUCCESS || binary_status != CL_SUCCESS)
        return -1;
    if (clBuildProgram(program, 1, &dev->id, VG_OCL_BUILD_OPTIONS, NULL,
                       NULL) != CL_SUCCESS) {
        clReleaseProgram(program);
        return -1;
    }
    *out = program;
    return 0;
}

/* The binary of a program built for one device; caller frees. */
static unsigned char *program_binary(cl_program program, size_t *size_out)
{
    size_t size = 0;
    if (clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size,
                         NULL) != CL_SUCCESS ||
        size == 0)
        return NULL;
    unsigned char *binary = malloc(size);
    if (!binary)
        return NULL;
    if (clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof binary, &binary,
                         NULL) != CL_SUCCESS) {
        free(binary);
        return NULL;
    }
    *size_out = size;
    return binary;
}

int vg_ocl_program_build(cl_context context, const vg_ocl_device *dev,
                         cl_program *out, char *entry, size_t entry_size,
                         char *note, size_t note_size, char *reason,
                         size_t reason_size)
{
    char dir[4096], path[4200], why[128];
    uint64_t key[2];
    size_t size = 0;
    double start = now_ms();
    int rc;

    *out = NULL;
    note[0] = '\0';
    if (entry)
        entry[0] = '\0';
    char *source = program_source();
    if (!source) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    cache_key(dev, source, key);
    int cached = cache_dir(dir, sizeof dir);
    char refused[4400] = "";
    if (cached && cache_dir_usable(dir, refused, sizeof refused) != 0)
        cached = 0;
    if (cached)
        snprintf(path, sizeof path, "%s/%016llx%016llx.bin", dir,
                 (unsigned long long)key[0], (unsigned long long)key[1]);

    unsigned char *binary =
        cached ? cache_read(path, key, &size, why, sizeof why) : NULL;
    if (binary) {
        rc = build_from_binary(context, dev, binary, size, out);
        free(binary);
        if (rc == 0) {
            snprintf(note, note_size,
                     "program loaded from the binary cache in %.0f ms (%s)",
                     now_ms() - start, path);
            if (entry)
                snprintf(entry, entry_size, "%s", path);
            free(source);
            return 0;
        }
        snprintf(why, sizeof why, "rejected by the driver");
    }
    if (cached && why[0]) {
        /* A damaged entry would fail the same way next time: drop it. */
        unlink(path);
        snprintf(note, note_size, "discarded a bad cache entry (%s); ", why);
    }

    char *compiled = compiled_source(source);
    free(source);
    if (!compiled) {
        snprintf(reason, reason_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    rc = build_from_source(context, dev, compiled, out, reason, reason_size);
    free(compiled);
    if (rc != 0)
        return rc;
    vg_ocl_append(note, note_size, "program built from source in %.0f ms",
                  now_ms() - start);
    binary = cached ? program_binary(*out, &size) : NULL;
    if (binary && cache_write(dir, path, key, binary, size) == 0)
        vg_ocl_append(note, note_size, ", cached in %s", path);
    else
        vg_ocl_append(note, note_size, ", not cached (%s)",
                      cached       ? "cannot write the cache"
                      : refused[0] ? refused
                                   : "no XDG_CACHE_HOME or HOME");
    free(binary);
    return 0;
}

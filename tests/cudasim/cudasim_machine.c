/*
 * cudasim_machine.c - the simulated machine: the device table from
 * VG_CUDASIM, the current device, the last error, sticky faults.
 *
 * Syntax (README.md): records separated by ';', each a list of key=value
 * separated by ','.
 *   driver=13.0             the driver's CUDA version; driver=none: no driver
 *   device=NAME,cc=9.0,memory=141GiB[,free=40GiB][,sms=132]
 *          [,fault=illegal_address@N|device_lost@N]
 *          [,free_after_check=SIZE][,lazy_missing=KERNEL]
 * Without VG_CUDASIM the machine has no driver, like a CI machine.
 */
#define _POSIX_C_SOURCE 200809L
#include "cudasim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cudasim_machine machine;
static bool parsed;

static void bad_table(const char *what, const char *text)
{
    fprintf(stderr, "cudasim: VG_CUDASIM: %s: '%s'\n", what, text);
    abort();
}

/* "9.0" -> 90, "13.0" -> 130 (CUDA's minor versions are one digit). */
static int parse_cc(const char *text)
{
    int major = 0, minor = 0;
    char end = 0;
    if (sscanf(text, "%d.%d%c", &major, &minor, &end) != 2 || major < 1 ||
        minor < 0 || minor > 9)
        bad_table("compute capability is not MAJOR.MINOR", text);
    return 10 * major + minor;
}

/* "141GiB", "512MiB" or a number of bytes. */
static uint64_t parse_bytes(const char *text)
{
    char *end = NULL;
    unsigned long long n = strtoull(text, &end, 10);
    if (end == text)
        bad_table("not a size", text);
    if (strcmp(end, "GiB") == 0)
        return (uint64_t)n << 30;
    if (strcmp(end, "MiB") == 0)
        return (uint64_t)n << 20;
    if (*end)
        bad_table("size unit is not GiB or MiB", text);
    return n;
}

static void parse_fault(cudasim_device *dev, const char *text)
{
    static const struct {
        const char *name;
        cudasim_fault_kind kind;
    } kinds[] = {{"illegal_address", CUDASIM_FAULT_ILLEGAL_ADDRESS},
                 {"device_lost", CUDASIM_FAULT_DEVICE_LOST}};
    const char *at = strchr(text, '@');
    if (!at || atoi(at + 1) < 1)
        bad_table("fault is not KIND@N", text);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strlen(kinds[i].name) == (size_t)(at - text) &&
            strncmp(text, kinds[i].name, (size_t)(at - text)) == 0) {
            dev->fault = kinds[i].kind;
            dev->fault_at = (uint32_t)atoi(at + 1);
            return;
        }
    bad_table("unknown fault", text);
}

static void parse_device_field(cudasim_device *dev, const char *key,
                               const char *value)
{
    if (strcmp(key, "device") == 0)
        snprintf(dev->name, sizeof dev->name, "%s", value);
    else if (strcmp(key, "cc") == 0)
        dev->cc = parse_cc(value);
    else if (strcmp(key, "memory") == 0)
        dev->total_bytes = dev->free_bytes = parse_bytes(value);
    else if (strcmp(key, "free") == 0)
        dev->free_bytes = parse_bytes(value);
    else if (strcmp(key, "sms") == 0)
        dev->sms = atoi(value);
    else if (strcmp(key, "fault") == 0)
        parse_fault(dev, value);
    else if (strcmp(key, "free_after_check") == 0) {
        dev->taken_after_check = true;
        dev->free_after_check = parse_bytes(value);
    } else if (strcmp(key, "lazy_missing") == 0)
        snprintf(dev->lazy_missing, sizeof dev->lazy_missing, "%s", value);
    else
        bad_table("unknown device key", key);
}

static void parse_record(char *record)
{
    char *save = NULL;
    cudasim_device *dev = NULL;
    for (char *field = strtok_r(record, ",", &save); field;
         field = strtok_r(NULL, ",", &save)) {
        while (*field == ' ')
            field++;
        char *eq = strchr(field, '=');
        if (!eq)
            bad_table("field is not key=value", field);
        *eq = '\0';
        const char *value = eq + 1;
        if (!dev && strcmp(field, "driver") == 0) {
            /* "13.0" -> 13000, CUDA's encoding */
            int v = strcmp(value, "none") == 0 ? 0 : parse_cc(value);
            machine.driver_version = v / 10 * 1000 + v % 10 * 10;
            continue;
        }
        if (!dev) {
            if (strcmp(field, "device") != 0)
                bad_table("a record starts with driver= or device=", field);
            if (machine.count == CUDASIM_MAX_DEVICES)
                bad_table("too many devices", value);
            dev = &machine.devices[machine.count++];
            dev->sms = 80;
        }
        parse_device_field(dev, field, value);
    }
    if (dev && (dev->cc == 0 || dev->total_bytes == 0))
        bad_table("a device needs cc= and memory=", dev->name);
    if (dev && dev->free_bytes > dev->total_bytes)
        bad_table("free memory exceeds memory", dev->name);
}

cudasim_machine *cudasim_machine_get(void)
{
    if (parsed)
        return &machine;
    parsed = true;
    const char *spec = getenv("VG_CUDASIM");
    if (!spec)
        return &machine; /* no driver */
    machine.driver_version = CUDART_VERSION;
    char *copy = strdup(spec);
    if (!copy)
        abort();
    char *save = NULL;
    for (char *record = strtok_r(copy, ";", &save); record;
         record = strtok_r(NULL, ";", &save))
        parse_record(record);
    free(copy);
    return &machine;
}

cudaError_t cudasim_status(cudaError_t err)
{
    if (err != cudaSuccess)
        cudasim_machine_get()->last = err;
    return err;
}

cudaError_t cudasim_ready(void)
{
    cudasim_machine *m = cudasim_machine_get();
    /* No driver, or one older than the runtime: the runtime refuses both
     * the same way. */
    if (m->driver_version < CUDART_VERSION)
        return cudasim_status(cudaErrorInsufficientDriver);
    if (m->count == 0)
        return cudasim_status(cudaErrorNoDevice);
    return cudaSuccess;
}

cudasim_device *cudasim_current(cudaError_t *err)
{
    *err = cudasim_ready();
    if (*err != cudaSuccess)
        return NULL;
    cudasim_machine *m = cudasim_machine_get();
    cudasim_device *dev = &m->devices[m->current];
    *err = cudasim_status(dev->sticky);
    return dev;
}

cudaError_t cudasim_synchronise(cudasim_device *dev)
{
    if (dev->pending != cudaSuccess) {
        dev->sticky = dev->pending;
        dev->pending = cudaSuccess;
    }
    return cudasim_status(dev->sticky);
}

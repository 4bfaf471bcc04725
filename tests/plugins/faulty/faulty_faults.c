/*
 * faulty_faults.c - read VG_FAULTY and count kernel calls.
 */
#include <stdlib.h>
#include <string.h>

#include "faulty.h"

/* The variable holding the faults: VG_FAULTY, or VG_FAULTY2 for the
 * faulty2 variant, so two test backends can fail independently. */
#ifndef FAULTY_ENV
#define FAULTY_ENV "VG_FAULTY"
#endif

static bool token_matches(const char *list, const char *name, size_t name_len,
                          const char **value)
{
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        size_t key_len = eq ? (size_t)(eq - p) : len;
        if (key_len == name_len && strncmp(p, name, name_len) == 0) {
            *value = eq ? eq + 1 : NULL;
            return true;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

bool faulty_has(const char *fault)
{
    const char *list = getenv(FAULTY_ENV);
    const char *value;
    return list && token_matches(list, fault, strlen(fault), &value);
}

long faulty_number(const char *name, long fallback)
{
    const char *list = getenv(FAULTY_ENV);
    const char *value = NULL;
    if (!list || !token_matches(list, name, strlen(name), &value) || !value)
        return fallback;
    return strtol(value, NULL, 10);
}

static uint64_t kernel_calls;

bool faulty_kernel_call_fails(void)
{
    kernel_calls++;
    long fail_at = faulty_number("kernel_fail_at", 0);
    return fail_at > 0 && kernel_calls == (uint64_t)fail_at;
}

uint64_t faulty_kernel_calls(void)
{
    return kernel_calls;
}

void faulty_reset_kernel_calls(void)
{
    kernel_calls = 0;
}

uint32_t faulty_device_count(void)
{
    long n = faulty_number("devices", 1);
    return n < 1 ? 1 : n > 4 ? 4 : (uint32_t)n;
}

bool faulty_strikes(uint32_t device)
{
    long only = faulty_number("faulty_device", -1);
    return only < 0 || (uint32_t)only == device;
}

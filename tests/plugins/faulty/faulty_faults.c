/*
 * faulty_faults.c - read VG_FAULTY and count kernel calls.
 */
#include <stdlib.h>
#include <string.h>

#include "faulty.h"

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
    const char *list = getenv("VG_FAULTY");
    const char *value;
    return list && token_matches(list, fault, strlen(fault), &value);
}

long faulty_number(const char *name, long fallback)
{
    const char *list = getenv("VG_FAULTY");
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

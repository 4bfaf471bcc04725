/*
 * faulty_faults.c - read VG_FAULTY and count kernel calls.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The misbehaviours a plugin can show instead of returning an error: one
 * row each, "<name>_in_<place>" for probe/check/open and "<name>_at=N" for
 * the Nth kernel call. */
static void crash(void)
{
    raise(SIGSEGV);
}

static void hang(void)
{
    for (;;)
        pause();
}

static void quit(void)
{
    exit((int)faulty_number("exit_status", 0));
}

static void print(void)
{
    /* Stray output as a debugging printf leaves it; the call then goes on
     * normally. */
    printf("faulty: debug output on stdout\n");
}

static const struct misbehaviour {
    const char *name;
    void (*act)(void);
} misbehaviours[] = {
    {"crash", crash},
    {"hang", hang},
    {"exit", quit},
    {"print", print},
};

void faulty_misbehave(const char *place)
{
    for (size_t i = 0; i < sizeof misbehaviours / sizeof misbehaviours[0];
         i++) {
        char fault[64];
        snprintf(fault, sizeof fault, "%s_in_%s", misbehaviours[i].name, place);
        if (faulty_has(fault))
            misbehaviours[i].act();
    }
}

static void misbehave_at(uint64_t call)
{
    for (size_t i = 0; i < sizeof misbehaviours / sizeof misbehaviours[0];
         i++) {
        char fault[64];
        snprintf(fault, sizeof fault, "%s_at", misbehaviours[i].name);
        if (faulty_number(fault, 0) == (long)call)
            misbehaviours[i].act();
    }
}

bool faulty_kernel_call_fails(void)
{
    kernel_calls++;
    misbehave_at(kernel_calls);
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

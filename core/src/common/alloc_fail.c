/*
 * alloc_fail.c - allocation-failure injection for tests (vg/debug.h).
 *
 * libvg is linked with --wrap for each allocator it calls (core/
 * CMakeLists.txt), so its own calls land here and reach the C library
 * through __real_*.  Calls made inside other libraries (libyaml, libpng) are
 * not affected: they handle their own failures.  Unarmed, the cost is one
 * atomic load per allocation.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg/debug.h"

/* Allocations counted since arming; the one numbered fail_at fails. */
static atomic_ullong counted;
static atomic_ullong fail_at; /* 0: disarmed */

void vg_debug_fail_allocation(uint64_t n)
{
    atomic_store(&counted, 0);
    atomic_store(&fail_at, n);
}

uint64_t vg_debug_allocation_count(void)
{
    return atomic_load(&counted);
}

static int should_fail(void)
{
    unsigned long long at =
        atomic_load_explicit(&fail_at, memory_order_relaxed);
    if (at == 0)
        return 0;
    return atomic_fetch_add(&counted, 1) + 1 == at;
}

/* The wrapped allocators: declared here only, as the linker names them. */
void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t alignment, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_aligned_alloc(size_t alignment, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_asprintf(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void *__wrap_malloc(size_t size)
{
    return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return should_fail() ? NULL : __real_realloc(p, size);
}

void *__wrap_aligned_alloc(size_t alignment, size_t size)
{
    return should_fail() ? NULL : __real_aligned_alloc(alignment, size);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}

int __wrap_asprintf(char **out, const char *fmt, ...)
{
    if (should_fail()) {
        *out = NULL;
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(out, fmt, ap);
    va_end(ap);
    return n;
}

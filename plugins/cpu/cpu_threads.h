/*
 * cpu_threads.h - the CPU backend's worker pool (internal).
 *
 * A fixed set of threads created when a context opens and joined when it
 * closes, so no frame creates a thread or allocates.  A job is split into
 * bands (row ranges) that the calling thread and the workers claim one at a
 * time, so a worker slowed by another process does not hold the others up.
 *
 * Thread-safety: one cpu_pool_run at a time per pool (the core calls a
 * context from one thread at a time).
 */
#ifndef VG_CPU_THREADS_H
#define VG_CPU_THREADS_H

#include <stdint.h>

typedef struct cpu_pool cpu_pool;

/* Run band `band` of a job on worker `worker` (0 .. threads - 1; the
 * caller of cpu_pool_run is worker 0), e.g. to pick its own scratch. */
typedef void (*cpu_band_fn)(void *arg, int32_t band, int32_t worker);

/* A pool of `threads` (>= 1) workers: threads - 1 new threads plus the
 * caller.  Returns 0, VG_ERR_NO_MEMORY, or VG_ERR_DRIVER when a thread
 * cannot be created. */
int cpu_pool_create(int32_t threads, cpu_pool **out);

/* Stop and join the workers, free the pool, clear the pointer.  NULL is a
 * no-op. */
void cpu_pool_destroy(cpu_pool **pool);

int32_t cpu_pool_threads(const cpu_pool *pool);

/* Call fn(arg, band, worker) once for every band in 0 .. bands - 1, spread
 * over the workers; returns when all have finished. */
void cpu_pool_run(cpu_pool *pool, int32_t bands, cpu_band_fn fn, void *arg);

#endif /* VG_CPU_THREADS_H */

/*
 * cpu_threads.c - the worker pool: persistent threads that claim bands.
 *
 * One mutex and two condition variables: workers sleep on `wake` until the
 * job generation changes, claim bands with an atomic counter, and the last
 * one to finish signals `done`.  The caller claims bands too, so a pool of
 * one thread is the caller alone and never touches the lock.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "cpu_threads.h"
#include "vg/error.h"

typedef struct cpu_worker {
    cpu_pool *pool;
    int32_t index;
    pthread_t thread;
} cpu_worker;

struct cpu_pool {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a new job (or stop) for the workers */
    pthread_cond_t done; /* the last worker finished the job */
    uint64_t generation; /* bumped once per job */
    int stop;
    int32_t threads;
    int32_t busy; /* workers that have not finished the current job */
    /* the current job; written under the lock before `generation` moves */
    cpu_band_fn fn;
    void *arg;
    int32_t bands;
    atomic_int next; /* the next band nobody has claimed */
    int32_t started; /* worker threads actually created */
    cpu_worker *workers;
};

static void claim_bands(cpu_pool *pool, int32_t worker)
{
    for (;;) {
        int band =
            atomic_fetch_add_explicit(&pool->next, 1, memory_order_relaxed);
        if (band >= pool->bands)
            return;
        pool->fn(pool->arg, band, worker);
    }
}

static void *worker_main(void *opaque)
{
    cpu_worker *self = opaque;
    cpu_pool *pool = self->pool;
    uint64_t seen = 0;

    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->stop && pool->generation == seen)
            pthread_cond_wait(&pool->wake, &pool->lock);
        if (pool->stop)
            break;
        seen = pool->generation;
        pthread_mutex_unlock(&pool->lock);
        claim_bands(pool, self->index);
        pthread_mutex_lock(&pool->lock);
        if (--pool->busy == 0)
            pthread_cond_signal(&pool->done);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

int cpu_pool_create(int32_t threads, cpu_pool **out)
{
    *out = NULL;
    cpu_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return VG_ERR_NO_MEMORY;
    pool->threads = threads < 1 ? 1 : threads;
    atomic_init(&pool->next, 0);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->done, NULL);
    if (pool->threads > 1) {
        pool->workers = calloc((size_t)pool->threads, sizeof *pool->workers);
        if (!pool->workers) {
            cpu_pool_destroy(&pool);
            return VG_ERR_NO_MEMORY;
        }
        for (int32_t i = 1; i < pool->threads; i++) {
            cpu_worker *w = &pool->workers[i];
            w->pool = pool;
            w->index = i;
            if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
                cpu_pool_destroy(&pool);
                return VG_ERR_DRIVER;
            }
            pool->started = i;
        }
    }
    *out = pool;
    return 0;
}

void cpu_pool_destroy(cpu_pool **pool_ptr)
{
    cpu_pool *pool = *pool_ptr;
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stop = 1;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int32_t i = 1; i <= pool->started; i++)
        pthread_join(pool->workers[i].thread, NULL);
    pthread_cond_destroy(&pool->done);
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->lock);
    free(pool->workers);
    free(pool);
    *pool_ptr = NULL;
}

int32_t cpu_pool_threads(const cpu_pool *pool)
{
    return pool->threads;
}

void cpu_pool_run(cpu_pool *pool, int32_t bands, cpu_band_fn fn, void *arg)
{
    if (pool->threads == 1 || bands <= 1) {
        for (int32_t b = 0; b < bands; b++)
            fn(arg, b, 0);
        return;
    }
    pthread_mutex_lock(&pool->lock);
    pool->fn = fn;
    pool->arg = arg;
    pool->bands = bands;
    atomic_store_explicit(&pool->next, 0, memory_order_relaxed);
    pool->busy = pool->threads - 1;
    pool->generation++;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    claim_bands(pool, 0);

    pthread_mutex_lock(&pool->lock);
    while (pool->busy > 0)
        pthread_cond_wait(&pool->done, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}

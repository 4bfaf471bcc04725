/*
 * cpu_frames.c - frames in flight on the CPU backend.
 *
 * With a pool of at most CPU_FRAMES_IN_FLIGHT threads, a frame runs faster
 * whole on one thread than with each kernel split across all of them: no
 * fork and join per kernel, and the frame's data stays in one core's
 * cache.  So the kernel slots record their ops; frame_download_start seals
 * the ops recorded since the last start into a task, which a frame thread
 * runs in order before copying the result into the caller's image; and
 * frame_download_wait waits for that task.  The core keeps two frames in
 * flight, each with its own frames, so two frame threads render two frames
 * at once.
 *
 * Whatever the order of calls, the bytes are those of running every op at
 * once: a task that would write a frame a task in flight reads or writes
 * (or read one it writes) waits for that task before it is queued, so
 * tasks queued together never share a frame they write; and a call that
 * needs a frame now (a blocking download, an upload into it, freeing it,
 * sync) first waits for the tasks that use it and runs what was recorded,
 * in bands over the pool.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"

/* Task slots: the core needs CPU_FRAMES_IN_FLIGHT; a caller starting more
 * downloads without waiting gets the rest done at once. */
#define CPU_TASK_SLOTS (2 * CPU_FRAMES_IN_FLIGHT)

typedef struct cpu_ops {
    cpu_op *items;
    size_t count, capacity;
} cpu_ops;

typedef enum task_state {
    TASK_FREE,
    TASK_QUEUED,
    TASK_RUNNING,
    TASK_DONE,
} task_state;

struct cpu_task {
    cpu_ops ops;
    vg_plugin_frame *download; /* the frame copied out at the end */
    vg_image dst;
    task_state state;
    uint64_t order; /* queued tasks run oldest first */
    int rc;
};

typedef struct frame_thread {
    cpu_frames *owner;
    pthread_t thread;
    cpu_scratch scratch; /* this thread's blur scratch */
} frame_thread;

struct cpu_frames {
    const cpu_dsp *dsp;
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a task queued or done, or stop */
    int stop;
    uint64_t queued;
    cpu_task tasks[CPU_TASK_SLOTS];
    cpu_ops recording; /* ops since the last download start */
    int32_t started;
    frame_thread threads[CPU_FRAMES_IN_FLIGHT];
};

static int ops_append(cpu_ops *ops, const cpu_op *op)
{
    if (ops->count == ops->capacity) {
        size_t cap = ops->capacity ? 2 * ops->capacity : 16;
        cpu_op *grown = realloc(ops->items, cap * sizeof *grown);
        if (!grown)
            return VG_ERR_NO_MEMORY;
        ops->items = grown;
        ops->capacity = cap;
    }
    ops->items[ops->count++] = *op;
    return 0;
}

static bool op_reads(const cpu_op *op, const vg_plugin_frame *f)
{
    return op->src == f || op->src2 == f;
}

static bool ops_touch(const cpu_ops *ops, const vg_plugin_frame *f)
{
    for (size_t i = 0; i < ops->count; i++)
        if (ops->items[i].dst == f || op_reads(&ops->items[i], f))
            return true;
    return false;
}

static bool task_touches(const cpu_task *t, const vg_plugin_frame *f)
{
    return t->download == f || ops_touch(&t->ops, f);
}

static bool task_writes(const cpu_task *t, const vg_plugin_frame *f)
{
    for (size_t i = 0; i < t->ops.count; i++)
        if (t->ops.items[i].dst == f)
            return true;
    return false;
}

/* Whether running a and b at the same time could change a byte: one
 * writes a frame the other reads or writes. */
static bool tasks_conflict(const cpu_task *a, const cpu_task *b)
{
    for (size_t i = 0; i < a->ops.count; i++)
        if (task_touches(b, a->ops.items[i].dst))
            return true;
    for (size_t i = 0; i < b->ops.count; i++)
        if (task_touches(a, b->ops.items[i].dst))
            return true;
    return false;
}

static void run_task(cpu_frames *fr, cpu_task *t, cpu_scratch *scratch)
{
    int rc = 0;
    for (size_t i = 0; i < t->ops.count && rc == 0; i++)
        rc = cpu_op_run_whole(fr->dsp, &t->ops.items[i], scratch);
    if (rc == 0)
        cpu_copy_image(&t->dst, &t->download->image);
    t->rc = rc;
}

static cpu_task *oldest_queued(cpu_frames *fr)
{
    cpu_task *oldest = NULL;
    for (int i = 0; i < CPU_TASK_SLOTS; i++) {
        cpu_task *t = &fr->tasks[i];
        if (t->state == TASK_QUEUED && (!oldest || t->order < oldest->order))
            oldest = t;
    }
    return oldest;
}

static void *frame_thread_main(void *arg)
{
    frame_thread *self = arg;
    cpu_frames *fr = self->owner;
    pthread_mutex_lock(&fr->lock);
    for (;;) {
        cpu_task *t;
        while (!fr->stop && !(t = oldest_queued(fr)))
            pthread_cond_wait(&fr->changed, &fr->lock);
        if (fr->stop)
            break;
        t->state = TASK_RUNNING;
        pthread_mutex_unlock(&fr->lock);
        run_task(fr, t, &self->scratch);
        pthread_mutex_lock(&fr->lock);
        t->state = TASK_DONE;
        pthread_cond_broadcast(&fr->changed);
    }
    pthread_mutex_unlock(&fr->lock);
    return NULL;
}

int cpu_frames_create(const cpu_dsp *dsp, int32_t threads, cpu_frames **out)
{
    *out = NULL;
    cpu_frames *fr = calloc(1, sizeof *fr);
    if (!fr)
        return VG_ERR_NO_MEMORY;
    fr->dsp = dsp;
    pthread_mutex_init(&fr->lock, NULL);
    pthread_cond_init(&fr->changed, NULL);
    if (threads > CPU_FRAMES_IN_FLIGHT)
        threads = CPU_FRAMES_IN_FLIGHT;
    for (int32_t i = 0; i < threads; i++) {
        fr->threads[i].owner = fr;
        if (pthread_create(&fr->threads[i].thread, NULL, frame_thread_main,
                           &fr->threads[i]) != 0) {
            cpu_frames_destroy(&fr);
            return VG_ERR_DRIVER;
        }
        fr->started = i + 1;
    }
    *out = fr;
    return 0;
}

/* Wait (lock held) until task t is done. */
static void wait_done(cpu_frames *fr, const cpu_task *t)
{
    while (t->state == TASK_QUEUED || t->state == TASK_RUNNING)
        pthread_cond_wait(&fr->changed, &fr->lock);
}

void cpu_frames_destroy(cpu_frames **frames)
{
    cpu_frames *fr = *frames;
    if (!fr)
        return;
    pthread_mutex_lock(&fr->lock);
    for (int i = 0; i < CPU_TASK_SLOTS; i++)
        wait_done(fr, &fr->tasks[i]);
    fr->stop = 1;
    pthread_cond_broadcast(&fr->changed);
    pthread_mutex_unlock(&fr->lock);
    for (int32_t i = 0; i < fr->started; i++) {
        pthread_join(fr->threads[i].thread, NULL);
        free(fr->threads[i].scratch.data);
    }
    for (int i = 0; i < CPU_TASK_SLOTS; i++) {
        if (fr->tasks[i].download)
            fr->tasks[i].download->download_task = NULL;
        free(fr->tasks[i].ops.items);
    }
    free(fr->recording.items);
    pthread_cond_destroy(&fr->changed);
    pthread_mutex_destroy(&fr->lock);
    free(fr);
    *frames = NULL;
}

int cpu_queue_op(vg_plugin_ctx *ctx, const cpu_op *op)
{
    if (!ctx->frames)
        return cpu_op_run_banded(ctx, op);
    if (ops_append(&ctx->frames->recording, op) != 0)
        return cpu_fail(ctx, VG_ERR_NO_MEMORY,
                        "out of memory recording a "
                        "kernel call");
    return 0;
}

int cpu_settle(vg_plugin_ctx *ctx, const vg_plugin_frame *frame)
{
    cpu_frames *fr = ctx->frames;
    if (!fr)
        return 0;
    bool run_recorded =
        frame ? ops_touch(&fr->recording, frame) : fr->recording.count > 0;
    /* Recorded ops may read what any task writes: then wait for all. */
    pthread_mutex_lock(&fr->lock);
    for (int i = 0; i < CPU_TASK_SLOTS; i++)
        if (run_recorded || !frame || task_touches(&fr->tasks[i], frame))
            wait_done(fr, &fr->tasks[i]);
    pthread_mutex_unlock(&fr->lock);
    if (!run_recorded)
        return 0;
    int rc = 0;
    for (size_t i = 0; i < fr->recording.count && rc == 0; i++)
        rc = cpu_op_run_banded(ctx, &fr->recording.items[i]);
    fr->recording.count = 0;
    return rc;
}

/* A free task slot, or NULL (lock held). */
static cpu_task *free_task(cpu_frames *fr)
{
    for (int i = 0; i < CPU_TASK_SLOTS; i++)
        if (fr->tasks[i].state == TASK_FREE)
            return &fr->tasks[i];
    return NULL;
}

int cpu_frame_download_start(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                             const vg_image *dst)
{
    cpu_frames *fr = ctx->frames;
    cpu_task *t = NULL;
    if (fr) {
        pthread_mutex_lock(&fr->lock);
        t = free_task(fr);
        pthread_mutex_unlock(&fr->lock);
    }
    if (!t) /* no frames in flight here, or no slot: copy now */
        return cpu_frame_download(ctx, src, dst);
    /* The frame's ops move into the task; the task's old (empty) array
     * becomes the recording, so no allocation happens per frame. */
    cpu_ops swap = t->ops;
    t->ops = fr->recording;
    fr->recording = swap;
    fr->recording.count = 0;
    /* The core hands frames this plugin allocated: the task is our own
     * bookkeeping on it. */
    t->download = (vg_plugin_frame *)src;
    t->dst = *dst;
    t->rc = 0;
    pthread_mutex_lock(&fr->lock);
    for (int i = 0; i < CPU_TASK_SLOTS; i++) {
        cpu_task *other = &fr->tasks[i];
        if (other != t &&
            (other->state == TASK_QUEUED || other->state == TASK_RUNNING) &&
            (tasks_conflict(t, other) || task_writes(other, src)))
            wait_done(fr, other);
    }
    t->state = TASK_QUEUED;
    t->order = fr->queued++;
    pthread_cond_broadcast(&fr->changed);
    pthread_mutex_unlock(&fr->lock);
    t->download->download_task = t;
    return 0;
}

int cpu_frame_download_wait(vg_plugin_ctx *ctx, const vg_plugin_frame *src)
{
    cpu_task *t = src->download_task;
    if (!t) /* copied at start */
        return 0;
    cpu_frames *fr = ctx->frames;
    pthread_mutex_lock(&fr->lock);
    wait_done(fr, t);
    int rc = t->rc;
    t->state = TASK_FREE;
    t->ops.count = 0;
    t->download = NULL;
    pthread_mutex_unlock(&fr->lock);
    ((vg_plugin_frame *)src)->download_task = NULL;
    if (rc != 0)
        return cpu_fail(ctx, rc,
                        "frame thread: out of memory for blur "
                        "scratch");
    return 0;
}

/*
 * faulty_async.c - a simulated asynchronous download (VG_FAULTY=
 * async_download), so the ordering of frames in flight is checked without
 * a GPU.
 *
 * A GPU may finish a started copy at any moment up to its wait; this one
 * finishes at the last moment, the wait, so a write to the frame in
 * between would change the bytes delivered.  Such a write is caught before
 * it happens: a kernel or upload whose destination has a pending download
 * fails with "download hazard".  Kernel calls made while a download is
 * pending are counted (the overlap a GPU would get) and reported on
 * stderr when the context closes.
 */
#include <stdio.h>
#include <string.h>

#include "cpu_internal.h"
#include "faulty.h"

/* More downloads in flight than the core ever keeps. */
#define FAULTY_MAX_PENDING 8

typedef struct pending_download {
    const vg_plugin_frame *src; /* NULL: free */
    vg_image dst;
    bool fail; /* download_fail_at chose this one */
} pending_download;

static pending_download pending[FAULTY_MAX_PENDING];
static uint64_t downloads_started, overlapped_kernel_calls;

static pending_download *find(const vg_plugin_frame *src)
{
    for (int i = 0; i < FAULTY_MAX_PENDING; i++)
        if (pending[i].src == src)
            return &pending[i];
    return NULL;
}

static bool any_pending(void)
{
    for (int i = 0; i < FAULTY_MAX_PENDING; i++)
        if (pending[i].src)
            return true;
    return false;
}

int faulty_download_start(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                          const vg_image *dst)
{
    if (find(src))
        return cpu_fail(ctx, VG_ERR_KERNEL,
                        "download started twice on one frame without a wait");
    pending_download *slot = find(NULL);
    if (!slot)
        return cpu_fail(ctx, VG_ERR_KERNEL, "more than %d downloads in flight",
                        FAULTY_MAX_PENDING);
    downloads_started++;
    long fail_at = faulty_number("download_fail_at", 0);
    *slot = (pending_download){.src = src,
                               .dst = *dst,
                               .fail = fail_at > 0 &&
                                       downloads_started == (uint64_t)fail_at};
    return 0;
}

int faulty_download_wait(vg_plugin_ctx *ctx, const vg_plugin_frame *src)
{
    pending_download *slot = find(src);
    if (!slot)
        return cpu_fail(ctx, VG_ERR_KERNEL,
                        "wait on a frame with no download in flight");
    pending_download done = *slot;
    *slot = (pending_download){.src = NULL};
    if (done.fail)
        return cpu_fail(
            ctx, VG_ERR_KERNEL,
            "injected failure of download %llu "
            "(VG_FAULTY=download_fail_at)",
            (unsigned long long)faulty_number("download_fail_at", 0));
    return cpu_frame_download(ctx, src, &done.dst);
}

int faulty_check_write(vg_plugin_ctx *ctx, const vg_plugin_frame *dst,
                       const char *what)
{
    if (find(dst))
        return cpu_fail(ctx, VG_ERR_KERNEL,
                        "download hazard: %s writes a frame whose download is "
                        "still in flight",
                        what);
    if (any_pending())
        overlapped_kernel_calls++;
    return 0;
}

void faulty_async_close(void)
{
    if (!faulty_has("async_download"))
        return;
    fprintf(stderr,
            "faulty: %llu downloads, %llu kernel calls overlapped a download "
            "in flight\n",
            (unsigned long long)downloads_started,
            (unsigned long long)overlapped_kernel_calls);
    memset(pending, 0, sizeof pending);
    downloads_started = overlapped_kernel_calls = 0;
}

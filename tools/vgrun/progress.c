/*
 * progress.c - the progress line on a terminal.
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "vgrun.h"

double vgrun_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void vgrun_progress_start(vgrun_progress *p, bool enabled, uint32_t total)
{
    *p = (vgrun_progress){.enabled = enabled, .start = vgrun_now(),
                          .total = total};
}

void vgrun_progress_update(vgrun_progress *p, uint32_t done,
                           const char *backend)
{
    double now = vgrun_now();
    /* Redrawing more than ~10 times a second only costs time. */
    if (!p->enabled || (now - p->last_draw < 0.1 && done < p->total))
        return;
    p->last_draw = now;
    double elapsed = now - p->start;
    double fps = elapsed > 0 ? done / elapsed : 0;
    double eta = fps > 0 ? (p->total - done) / fps : 0;
    fprintf(stderr, "\rframe %u/%u  %.1f fps  ETA %.1f s  backend %s\033[K",
            done, p->total, fps, eta, backend);
    fflush(stderr);
}

void vgrun_progress_end(vgrun_progress *p)
{
    if (p->enabled)
        fputs("\r\033[K", stderr);
}

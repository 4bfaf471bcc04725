/*
 * progress.c - the progress line, as users of ffmpeg expect it: frame,
 * fps, speed as a multiple of real time, elapsed time and ETA.
 *
 * On a terminal the line is rewritten in place four times a second (more
 * often only costs time).  Off a terminal it is printed only with -v, as a
 * plain line every five seconds, so a log stays readable.
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

void vgrun_progress_start(vgrun_progress *p, bool enabled, bool terminal,
                          uint32_t total, double video_fps)
{
    double now = vgrun_now();
    *p = (vgrun_progress){.enabled = enabled,
                          .terminal = terminal,
                          .start = now,
                          .last_draw = now,
                          .total = total,
                          .fps = video_fps};
}

/* HH:MM:SS.cc, as ffmpeg writes times. */
static void format_time(double seconds, char *buf, size_t size)
{
    if (seconds < 0)
        seconds = 0;
    long cs = (long)(seconds * 100 + 0.5);
    snprintf(buf, size, "%02ld:%02ld:%02ld.%02ld", cs / 360000, cs / 6000 % 60,
             cs / 100 % 60, cs % 100);
}

void vgrun_progress_update(vgrun_progress *p, uint32_t done,
                           const char *backend)
{
    if (!p->enabled)
        return;
    double now = vgrun_now();
    double interval = p->terminal ? 0.25 : 5.0;
    if (now - p->last_draw < interval && (done < p->total || !p->terminal))
        return;
    p->last_draw = now;
    double elapsed = now - p->start;
    double fps = elapsed > 0 ? done / elapsed : 0;
    /* Speed: seconds of video made per second of wall time. */
    double speed = p->fps > 0 ? fps / p->fps : 0;
    char time_text[32], eta_text[32];
    format_time(elapsed, time_text, sizeof time_text);
    if (fps > 0)
        format_time((p->total - done) / fps, eta_text, sizeof eta_text);
    else
        snprintf(eta_text, sizeof eta_text, "--:--:--.--");
    fprintf(stderr,
            "%sframe=%5u/%u fps=%5.1f speed=%5.2fx time=%s eta=%s "
            "backend=%s%s",
            p->terminal ? "\r" : "vgrun: ", done, p->total, fps, speed,
            time_text, eta_text, backend, p->terminal ? "\033[K" : "\n");
    fflush(stderr);
}

void vgrun_progress_end(vgrun_progress *p)
{
    if (p->enabled && p->terminal)
        fputs("\r\033[K", stderr);
}

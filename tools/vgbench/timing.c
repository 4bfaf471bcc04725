/*
 * timing.c - the measuring harness: warm up, calibrate, then take the
 * samples of every implementation of one kernel in interleaved rounds.
 *
 * Each sample runs the operation enough times to last o->min_sample
 * seconds, so timer resolution and one-off stalls wash out.  On a machine
 * shared with other work the load drifts over seconds: timing one
 * implementation after the other turns that drift into a false ratio, so
 * the samples alternate (A B A B ...) and ratios are taken between the
 * samples of one round, whose median resists the noise that remains.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>

#include "vgbench.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value at fraction q (0..1) of sorted values v[0..n-1], interpolated. */
static double quantile(const double *v, int n, double q)
{
    double at = q * (n - 1);
    int i = (int)at;
    if (i + 1 >= n)
        return v[n - 1];
    return v[i] + (v[i + 1] - v[i]) * (at - i);
}

/* Warm up (first-touch page faults, caches, lazy initialisation), then
 * choose how many calls make one sample. */
static void calibrate(vgb_timer *t, const vgb_options *o)
{
    if (t->begin)
        t->begin(t->arg);
    for (int i = 0; i < 2; i++)
        t->fn(t->arg, t->calls++);
    double t0 = now_s();
    t->fn(t->arg, t->calls++);
    double once = now_s() - t0;
    t->per_sample = once > 0 ? (int)(o->min_sample / once) + 1 : 1000;
    if (t->per_sample > 10000)
        t->per_sample = 10000;
}

static double sample(vgb_timer *t)
{
    if (t->begin)
        t->begin(t->arg);
    double t0 = now_s();
    for (int i = 0; i < t->per_sample; i++)
        t->fn(t->arg, t->calls++);
    return (now_s() - t0) / t->per_sample * 1e3;
}

void vgb_time_paired(vgb_result *lines, size_t n, const vgb_options *o)
{
    int rounds = o->samples < 1                 ? 1
                 : o->samples > VGB_MAX_SAMPLES ? VGB_MAX_SAMPLES
                                                : o->samples;
    for (size_t i = 0; i < n; i++)
        calibrate(&lines[i].timer, o);
    for (int k = 0; k < rounds; k++)
        for (size_t j = 0; j < n; j++) {
            /* rotate the order, so no line always runs first or follows
             * the same neighbour */
            vgb_result *r = &lines[(j + (size_t)k) % n];
            r->samples[k] = sample(&r->timer);
        }
    for (size_t i = 0; i < n; i++) {
        double sorted[VGB_MAX_SAMPLES];
        for (int k = 0; k < rounds; k++)
            sorted[k] = lines[i].samples[k];
        qsort(sorted, (size_t)rounds, sizeof sorted[0], compare_double);
        lines[i].sample_count = rounds;
        lines[i].median_ms = quantile(sorted, rounds, 0.5);
    }
}

bool vgb_paired_ratio(const vgb_result *line, const vgb_result *other,
                      double *median, double *p25, double *p75)
{
    int n = line->sample_count < other->sample_count ? line->sample_count
                                                     : other->sample_count;
    if (n < 1)
        return false;
    double ratios[VGB_MAX_SAMPLES];
    for (int k = 0; k < n; k++)
        ratios[k] = other->samples[k] / line->samples[k];
    qsort(ratios, (size_t)n, sizeof ratios[0], compare_double);
    *median = quantile(ratios, n, 0.5);
    *p25 = quantile(ratios, n, 0.25);
    *p75 = quantile(ratios, n, 0.75);
    return true;
}

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

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of every thread of the process, so a line whose kernel runs on
 * a worker pool counts its workers too. */
static double cpu_s(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
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

/* ms per call: wall time, and CPU time into *cpu_ms. */
static double sample(vgb_timer *t, double *cpu_ms)
{
    if (t->begin)
        t->begin(t->arg);
    double c0 = cpu_s(), t0 = now_s();
    for (int i = 0; i < t->per_sample; i++)
        t->fn(t->arg, t->calls++);
    double wall = now_s() - t0;
    *cpu_ms = (cpu_s() - c0) / t->per_sample * 1e3;
    return wall / t->per_sample * 1e3;
}

static double median_of(const double *v, int n)
{
    double sorted[VGB_MAX_SAMPLES];
    for (int k = 0; k < n; k++)
        sorted[k] = v[k];
    qsort(sorted, (size_t)n, sizeof sorted[0], compare_double);
    return quantile(sorted, n, 0.5);
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
            r->samples[k] = sample(&r->timer, &r->cpu_samples[k]);
        }
    for (size_t i = 0; i < n; i++) {
        lines[i].sample_count = rounds;
        lines[i].median_ms = median_of(lines[i].samples, rounds);
        lines[i].median_cpu_ms = median_of(lines[i].cpu_samples, rounds);
    }
}

static bool paired(const double *line, const double *other, int n,
                   double *median, double *p25, double *p75)
{
    if (n < 1)
        return false;
    double ratios[VGB_MAX_SAMPLES];
    for (int k = 0; k < n; k++) {
        /* a CPU clock too coarse to see a sample gives no ratio */
        if (line[k] <= 0 || other[k] <= 0)
            return false;
        ratios[k] = other[k] / line[k];
    }
    qsort(ratios, (size_t)n, sizeof ratios[0], compare_double);
    *median = quantile(ratios, n, 0.5);
    *p25 = quantile(ratios, n, 0.25);
    *p75 = quantile(ratios, n, 0.75);
    return true;
}

static int common_samples(const vgb_result *line, const vgb_result *other)
{
    return line->sample_count < other->sample_count ? line->sample_count
                                                    : other->sample_count;
}

bool vgb_paired_ratio(const vgb_result *line, const vgb_result *other,
                      double *median, double *p25, double *p75)
{
    return paired(line->samples, other->samples, common_samples(line, other),
                  median, p25, p75);
}

bool vgb_paired_cpu_ratio(const vgb_result *line, const vgb_result *other,
                          double *median, double *p25, double *p75)
{
    return paired(line->cpu_samples, other->cpu_samples,
                  common_samples(line, other), median, p25, p75);
}

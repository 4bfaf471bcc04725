/*
 * timing.c - the measuring harness: warm up, calibrate, take samples,
 * report the median.
 *
 * Each sample runs the operation enough times to last o->min_sample
 * seconds, so timer resolution and one-off stalls wash out; the median of
 * the samples resists the noise of a machine shared with other work.
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

double vgb_time(vgb_run_fn fn, void *arg, const vgb_options *o)
{
    int call = 0;
    /* warm-up: first-touch page faults, caches, lazy initialisation */
    for (int i = 0; i < 2; i++)
        fn(arg, call++);
    double t0 = now_s();
    fn(arg, call++);
    double once = now_s() - t0;
    int per_sample = once > 0 ? (int)(o->min_sample / once) + 1 : 1000;
    if (per_sample > 10000)
        per_sample = 10000;

    double samples[64];
    int n = o->samples < 1 ? 1 : o->samples > 64 ? 64 : o->samples;
    for (int s = 0; s < n; s++) {
        t0 = now_s();
        for (int i = 0; i < per_sample; i++)
            fn(arg, call++);
        samples[s] = (now_s() - t0) / per_sample;
    }
    qsort(samples, (size_t)n, sizeof samples[0], compare_double);
    double median =
        n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    return median * 1e3;
}

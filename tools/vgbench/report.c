/*
 * report.c - print the measurements: a table per kernel, or JSON.
 *
 * Derived columns: MPix/s (destination pixels), GB/s (bytes read and
 * written by the operation), the share of the memcpy line's bandwidth for
 * the same bytes, and for vg's lines the speed relative to the fastest
 * peer at the same thread count (above 1: vg is faster): the median of the
 * ratios of samples taken in the same round, with the 25th and 75th
 * percentiles of those ratios as its spread.  The same ratio from the
 * samples' CPU times follows: on a loaded machine wall time counts the
 * waits for a core, which CPU time leaves out, so for one thread it is
 * the steadier of the two (with several threads it compares total work,
 * not speed).
 */
#include <stdio.h>
#include <string.h>

#include "vgbench.h"

static double gbs(const vgb_result *r)
{
    return (double)r->c->bytes_moved / (r->median_ms * 1e6);
}

static double mpix(const vgb_result *r)
{
    return (double)r->c->width * r->c->height / (r->median_ms * 1e3);
}

static int is_vg(const vgb_result *r)
{
    return strncmp(r->impl, "vg ", 3) == 0;
}

/* The fastest equivalent peer (by median wall or, with `cpu`, CPU time)
 * for r's kernel and thread count, or NULL. */
static const vgb_result *best_peer(const vgb_result *all, size_t n,
                                   const vgb_result *r, int cpu)
{
    const vgb_result *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const vgb_result *p = &all[i];
        if (is_vg(p) || p->c != r->c || p->threads != r->threads ||
            strstr(p->note, "not equivalent"))
            continue;
        if (!best || (cpu ? p->median_cpu_ms < best->median_cpu_ms
                          : p->median_ms < best->median_ms))
            best = p;
    }
    return best;
}

typedef struct versus {
    const vgb_result *peer; /* NULL: no ratio */
    double median, p25, p75;
} versus;

static versus versus_best_peer(const vgb_result *all, size_t n,
                               const vgb_result *r)
{
    versus v = {.peer = is_vg(r) ? best_peer(all, n, r, 0) : NULL};
    if (v.peer && !vgb_paired_ratio(r, v.peer, &v.median, &v.p25, &v.p75))
        v.peer = NULL;
    return v;
}

static versus versus_best_peer_cpu(const vgb_result *all, size_t n,
                                   const vgb_result *r)
{
    versus v = {.peer = is_vg(r) ? best_peer(all, n, r, 1) : NULL};
    if (v.peer && !vgb_paired_cpu_ratio(r, v.peer, &v.median, &v.p25, &v.p75))
        v.peer = NULL;
    return v;
}

/* "1.23x [1.10-1.40]", or "" without a ratio. */
static void format_versus(char *out, size_t size, const versus *v)
{
    out[0] = '\0';
    if (v->peer)
        snprintf(out, size, "%.2fx [%.2f-%.2f]", v->median, v->p25, v->p75);
}

static double memcpy_gbs(const vgb_result *all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (all[i].c->kernel == VGB_MEMCPY)
            return gbs(&all[i]);
    return 0;
}

static void print_json(const vgb_result *all, size_t n)
{
    double ceiling = memcpy_gbs(all, n);
    printf("[\n");
    for (size_t i = 0; i < n; i++) {
        const vgb_result *r = &all[i];
        versus v = versus_best_peer(all, n, r);
        versus vc = versus_best_peer_cpu(all, n, r);
        printf("  {\"kernel\": \"%s\", \"impl\": \"%s\", \"threads\": %d, "
               "\"width\": %d, \"height\": %d, \"median_ms\": %.4f, "
               "\"median_cpu_ms\": %.4f, "
               "\"samples\": %d, \"mpix_s\": %.1f, \"gb_s\": %.2f, "
               "\"memcpy_share\": %.3f, \"best_peer\": \"%s\", "
               "\"vs_best_peer\": %.3f, \"vs_best_peer_p25\": %.3f, "
               "\"vs_best_peer_p75\": %.3f, \"best_peer_cpu\": \"%s\", "
               "\"vs_best_peer_cpu\": %.3f, \"vs_best_peer_cpu_p25\": %.3f, "
               "\"vs_best_peer_cpu_p75\": %.3f, \"max_diff\": %d, "
               "\"note\": \"%s\", \"samples_ms\": [",
               r->c->name, r->impl, r->threads, r->c->width, r->c->height,
               r->median_ms, r->median_cpu_ms, r->sample_count, mpix(r), gbs(r),
               ceiling > 0 ? gbs(r) / ceiling : 0, v.peer ? v.peer->impl : "",
               v.peer ? v.median : 0, v.peer ? v.p25 : 0, v.peer ? v.p75 : 0,
               vc.peer ? vc.peer->impl : "", vc.peer ? vc.median : 0,
               vc.peer ? vc.p25 : 0, vc.peer ? vc.p75 : 0, r->max_diff,
               r->note);
        for (int k = 0; k < r->sample_count; k++)
            printf("%s%.4f", k ? ", " : "", r->samples[k]);
        printf("], \"cpu_samples_ms\": [");
        for (int k = 0; k < r->sample_count; k++)
            printf("%s%.4f", k ? ", " : "", r->cpu_samples[k]);
        printf("]}%s\n", i + 1 < n ? "," : "");
    }
    printf("]\n");
}

static void print_table(const vgb_result *all, size_t n)
{
    double ceiling = memcpy_gbs(all, n);
    const vgb_case *last = NULL;
    printf("%-13s %-24s %3s %9s %8s %8s %7s %7s %-19s %-19s %6s  %s\n",
           "kernel", "implementation", "thr", "median ms", "CPU ms", "MPix/s",
           "GB/s", "memcpy%", "vs best peer", "vs best peer, CPU", "max|d|",
           "note");
    for (size_t k = 0; k < VGB_KERNEL_COUNT; k++) {
        for (size_t i = 0; i < n; i++) {
            const vgb_result *r = &all[i];
            if (r->c->kernel != (vgb_kernel)k)
                continue;
            if (last && last != r->c)
                printf("\n");
            last = r->c;
            char vs[48], vs_cpu[48], diff[16] = "-";
            versus v = versus_best_peer(all, n, r);
            versus vc = versus_best_peer_cpu(all, n, r);
            format_versus(vs, sizeof vs, &v);
            format_versus(vs_cpu, sizeof vs_cpu, &vc);
            if (r->max_diff >= 0)
                snprintf(diff, sizeof diff, "%d", r->max_diff);
            printf("%-13s %-24s %3d %9.3f %8.3f %8.1f %7.2f %6.0f%% %-19s "
                   "%-19s %6s  %s\n",
                   r->c->name, r->impl, r->threads, r->median_ms,
                   r->median_cpu_ms, mpix(r), gbs(r),
                   ceiling > 0 ? 100 * gbs(r) / ceiling : 0, vs, vs_cpu, diff,
                   r->note);
        }
    }
}

void vgb_report(const vgb_options *o, const vgb_result *all, size_t n)
{
    if (o->json)
        print_json(all, n);
    else
        print_table(all, n);
}

/*
 * report.c - print the measurements: a table per kernel, or JSON.
 *
 * Derived columns: MPix/s (destination pixels), GB/s (bytes read and
 * written by the operation), the share of the memcpy line's bandwidth for
 * the same bytes, and for vg's lines the speed relative to the fastest
 * peer at the same thread count (above 1: vg is faster).
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

/* The fastest equivalent peer's time for r's kernel and thread count. */
static double best_peer_ms(const vgb_result *all, size_t n, const vgb_result *r)
{
    double best = 0;
    for (size_t i = 0; i < n; i++) {
        const vgb_result *p = &all[i];
        if (is_vg(p) || p->c != r->c || p->threads != r->threads ||
            strstr(p->note, "not equivalent"))
            continue;
        if (best == 0 || p->median_ms < best)
            best = p->median_ms;
    }
    return best;
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
        double peer = is_vg(r) ? best_peer_ms(all, n, r) : 0;
        printf(
            "  {\"kernel\": \"%s\", \"impl\": \"%s\", \"threads\": %d, "
            "\"width\": %d, \"height\": %d, \"median_ms\": %.4f, "
            "\"mpix_s\": %.1f, \"gb_s\": %.2f, \"memcpy_share\": %.3f, "
            "\"vs_best_peer\": %.3f, \"max_diff\": %d, \"note\": \"%s\"}%s\n",
            r->c->name, r->impl, r->threads, r->c->width, r->c->height,
            r->median_ms, mpix(r), gbs(r), ceiling > 0 ? gbs(r) / ceiling : 0,
            peer > 0 ? peer / r->median_ms : 0, r->max_diff, r->note,
            i + 1 < n ? "," : "");
    }
    printf("]\n");
}

static void print_table(const vgb_result *all, size_t n)
{
    double ceiling = memcpy_gbs(all, n);
    const vgb_case *last = NULL;
    printf("%-13s %-24s %3s %9s %8s %7s %7s %8s %6s  %s\n", "kernel",
           "implementation", "thr", "median ms", "MPix/s", "GB/s", "memcpy%",
           "vs peers", "max|d|", "note");
    for (size_t k = 0; k < VGB_KERNEL_COUNT; k++) {
        for (size_t i = 0; i < n; i++) {
            const vgb_result *r = &all[i];
            if (r->c->kernel != (vgb_kernel)k)
                continue;
            if (last && last != r->c)
                printf("\n");
            last = r->c;
            char vs[16] = "", diff[16] = "-";
            double peer = is_vg(r) ? best_peer_ms(all, n, r) : 0;
            if (peer > 0)
                snprintf(vs, sizeof vs, "%.2fx", peer / r->median_ms);
            if (r->max_diff >= 0)
                snprintf(diff, sizeof diff, "%d", r->max_diff);
            printf("%-13s %-24s %3d %9.3f %8.1f %7.2f %6.0f%% %8s %6s  %s\n",
                   r->c->name, r->impl, r->threads, r->median_ms, mpix(r),
                   gbs(r), ceiling > 0 ? 100 * gbs(r) / ceiling : 0, vs, diff,
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

/*
 * main.c - vgbench: time vg's kernels per backend, ISA level and thread
 * count beside libyuv, swscale and OpenCV doing the same operations, in one
 * process, with a memcpy line as the memory-bandwidth ceiling.
 *
 *   vgbench [--json] [--cold] [--kernels LIST] [--backends LIST]
 *           [--isa LIST] [--samples N] [--min-time SECONDS] [--no-peers]
 *           [--isolation inprocess,process]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgbench.h"

typedef struct results {
    vgb_result *items;
    size_t count, capacity;
} results;

static void collect(void *ctx, const vgb_result *r)
{
    results *rs = ctx;
    if (rs->count == rs->capacity) {
        size_t cap = rs->capacity ? 2 * rs->capacity : 64;
        vgb_result *grown = realloc(rs->items, cap * sizeof *grown);
        if (!grown) {
            fprintf(stderr, "vgbench: out of memory\n");
            exit(1);
        }
        rs->items = grown;
        rs->capacity = cap;
    }
    rs->items[rs->count++] = *r;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: vgbench [OPTION]...\n"
               "Time vg's kernels (1920x1080; warp 3840x2160 and 1280x720 to "
               "1920x1080)\nper backend, ISA level and thread count, beside "
               "libyuv, swscale and OpenCV.\n\n"
               "  --json             print JSON instead of a table\n"
               "  --cold             rotate through 4 input sets (beyond the "
               "caches)\n"
               "  --kernels LIST     only these:");
    /* the cases' names, wrapped under the option */
    vgb_print_case_names(f, 34);
    fprintf(f, "  --backends LIST    vg backends to time (default cpu)\n"
               "  --isa LIST         cpu levels (default scalar,sse41,avx2,"
               "avx512)\n"
               "  --samples N        timed rounds: one sample of every line "
               "of a kernel per\n"
               "                     round; medians reported (default 9)\n"
               "  --min-time S       seconds per sample at least (default "
               "0.05)\n"
               "  --isolation LIST   inprocess, process or both: backends "
               "in vgrun or in a\n"
               "                     worker process, interleaved per case "
               "(default inprocess)\n"
               "  --no-peers         vg only\n"
               "  -h, --help         this text\n");
}

static const char *arg_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "vgbench: %s needs a value\n", argv[*i]);
        exit(2);
    }
    return argv[++*i];
}

typedef struct memcpy_bench {
    const vgb_case *c;
    uint8_t *dst;
    size_t bytes;
} memcpy_bench;

static void memcpy_fn(void *arg, int iteration)
{
    memcpy_bench *mb = arg;
    memcpy(mb->dst, mb->c->src[iteration % mb->c->sets].data[0], mb->bytes);
}

static void memcpy_release(void *arg)
{
    memcpy_bench *mb = arg;
    free(mb->dst);
    free(mb);
}

static int prepare_memcpy(const vgb_case *c, vgb_result *out)
{
    memcpy_bench *mb = calloc(1, sizeof *mb);
    if (!mb)
        return -1;
    *mb = (memcpy_bench){.c = c, .bytes = (size_t)c->width * c->height * 4};
    mb->dst = malloc(mb->bytes);
    if (!mb->dst) {
        free(mb);
        return -1;
    }
    *out = (vgb_result){
        .c = c,
        .threads = 1,
        .max_diff = -1,
        .timer = {.fn = memcpy_fn, .arg = mb, .release = memcpy_release}};
    snprintf(out->impl, sizeof out->impl, "memcpy");
    snprintf(out->note, sizeof out->note, "bandwidth ceiling");
    return 0;
}

/* The vg backends to time, opened once and kept open: each backend, ISA
 * level and thread count in every isolation mode asked for, the modes side
 * by side. */
typedef struct runners {
    vgb_vg *items[64];
    size_t count;
} runners;

/* Open `name` in each mode of o->isolation; false when one fails. */
static bool open_modes(const vgb_options *o, runners *rn, const char *name,
                       const char *isa, int threads)
{
    bool ok = true;
    char *modes = strdup(o->isolation), *save = NULL;
    for (char *m = modes ? strtok_r(modes, ",", &save) : NULL; m && ok;
         m = strtok_r(NULL, ",", &save)) {
        if (rn->count >= 64)
            break;
        ok = vgb_vg_open(name, isa, threads, strcmp(m, "process") == 0,
                         &rn->items[rn->count]) == 0;
        if (ok)
            rn->count++;
    }
    free(modes);
    return ok;
}

static void open_runners(const vgb_options *o, runners *rn)
{
    int thread_counts[2] = {1, o->threads_all};
    int nthreads = o->threads_all > 1 ? 2 : 1;
    char *backends = strdup(o->backends), *save = NULL;
    for (char *b = backends ? strtok_r(backends, ",", &save) : NULL; b;
         b = strtok_r(NULL, ",", &save)) {
        if (strcmp(b, "cpu") != 0) {
            open_modes(o, rn, b, NULL, o->threads_all);
            continue;
        }
        char *isas = strdup(o->isas), *save2 = NULL;
        for (char *isa = isas ? strtok_r(isas, ",", &save2) : NULL; isa;
             isa = strtok_r(NULL, ",", &save2))
            for (int t = 0; t < nthreads; t++)
                if (!open_modes(o, rn, b, isa, thread_counts[t]))
                    break;
        free(isas);
    }
    free(backends);
}

/* Every line of case c: vg's, then each peer's at each thread count. */
static size_t prepare_lines(vgb_case *c, const runners *rn, bool peers,
                            const vgb_options *o, vgb_result *lines,
                            size_t room)
{
    size_t n = 0;
    if (c->kernel == VGB_MEMCPY)
        return prepare_memcpy(c, &lines[0]) == 0 ? 1 : 0;
    for (size_t i = 0; i < rn->count && n < room; i++)
        if (vgb_vg_prepare(rn->items[i], c, &lines[n]) == 0)
            n++;
    const vgb_peer *list;
    size_t np = peers ? vgb_peers(&list) : 0;
    for (size_t p = 0; p < np; p++) {
        if (!list[p].available)
            continue;
        int thread_counts[2] = {1, o->threads_all};
        int runs = list[p].threaded && o->threads_all > 1 ? 2 : 1;
        for (int t = 0; t < runs && n < room; t++)
            if (list[p].run(c, thread_counts[t], &lines[n]) == 0)
                n++;
    }
    return n;
}

static void list_absent_peers(FILE *f)
{
    const vgb_peer *peers;
    size_t n = vgb_peers(&peers);
    for (size_t p = 0; p < n; p++)
        if (!peers[p].available)
            fprintf(f,
                    "vgbench: %s absent from this build (install %s and "
                    "rebuild to compare)\n",
                    peers[p].name, peers[p].package);
}

int main(int argc, char **argv)
{
    vgb_options o = {.samples = 9,
                     .min_sample = 0.05,
                     .backends = "cpu",
                     .isas = "scalar,sse41,avx2,avx512",
                     .isolation = "inprocess"};
    bool peers = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            o.json = true;
        else if (strcmp(a, "--cold") == 0)
            o.cold = true;
        else if (strcmp(a, "--no-peers") == 0)
            peers = false;
        else if (strcmp(a, "--kernels") == 0)
            o.only = arg_value(argc, argv, &i);
        else if (strcmp(a, "--backends") == 0)
            o.backends = arg_value(argc, argv, &i);
        else if (strcmp(a, "--isolation") == 0)
            o.isolation = arg_value(argc, argv, &i);
        else if (strcmp(a, "--isa") == 0)
            o.isas = arg_value(argc, argv, &i);
        else if (strcmp(a, "--samples") == 0)
            o.samples = atoi(arg_value(argc, argv, &i));
        else if (strcmp(a, "--min-time") == 0)
            o.min_sample = atof(arg_value(argc, argv, &i));
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "vgbench: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads_all = cores > 0 ? (int)cores : 1;

    vgb_case *cases = NULL;
    size_t count = 0;
    if (vgb_cases_create(&cases, &count, o.cold ? 4 : 1) != 0) {
        fprintf(stderr, "vgbench: cannot allocate the inputs\n");
        vgb_cases_destroy(&cases, count);
        return 1;
    }
    if (!o.json)
        fprintf(stderr,
                "vgbench: %ld cores, %s data, %d samples per line taken in "
                "turn with the other lines of the kernel; ratios are "
                "medians of paired samples [25th-75th percentile]\n",
                cores, o.cold ? "cold (4 rotating sets)" : "hot (one set)",
                o.samples);
    list_absent_peers(stderr);

    results rs = {0};
    runners rn = {.count = 0};
    open_runners(&o, &rn);
    /* memcpy first and always: every GB/s figure is compared with it */
    for (size_t k = 0; k < count; k++) {
        size_t i = (k + count - 1) % count; /* VGB_MEMCPY is the last case */
        if (cases[i].kernel != VGB_MEMCPY &&
            !vgb_case_selected(&cases[i], o.only))
            continue;
        vgb_result lines[64];
        size_t n = prepare_lines(&cases[i], &rn, peers, &o, lines, 64);
        vgb_time_paired(lines, n, &o);
        for (size_t l = 0; l < n; l++) {
            lines[l].timer.release(lines[l].timer.arg);
            lines[l].timer = (vgb_timer){0};
            collect(&rs, &lines[l]);
        }
    }
    for (size_t i = 0; i < rn.count; i++)
        vgb_vg_report_round_trip(rn.items[i], &o);
    for (size_t i = 0; i < rn.count; i++)
        vgb_vg_close(&rn.items[i]);

    vgb_report(&o, rs.items, rs.count);
    free(rs.items);
    vgb_cases_destroy(&cases, count);
    return 0;
}

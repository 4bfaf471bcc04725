/*
 * list_backends.c - vgrun --list-backends: every plugin found, its devices,
 * and whether it works here (the full pipeline, self-test included).
 */
#include <stdlib.h>
#include <string.h>

#include "vg/job.h"
#include "vg/loader.h"
#include "vgrun.h"

/* One row: a backend name, the file that provides it (if any) and what
 * inspecting it found. */
typedef struct listing {
    char name[VG_NAME_MAX];
    const char *path;    /* NULL when no file was found */
    const char *shadows; /* a later file with the same name, if any */
    int order;           /* index in the configured order, -1 if absent */
    vg_backend_report report;
} listing;

static const char *kind_name(uint32_t kind)
{
    switch (kind) {
    case VG_BACKEND_GPU:
        return "gpu";
    case VG_BACKEND_CPU:
        return "cpu";
    case VG_BACKEND_OTHER:
        return "other";
    }
    return "?";
}

static const char *device_type_name(uint32_t type)
{
    switch (type) {
    case VG_DEVICE_GPU:
        return "gpu";
    case VG_DEVICE_CPU:
        return "cpu";
    case VG_DEVICE_ACCELERATOR:
        return "accelerator";
    }
    return "other";
}

static const char *status_of(const listing *l)
{
    if (!l->path)
        return "not found";
    return l->report.attempt.stage == VG_STAGE_SELECTED ? "usable" : "skipped";
}

static int order_of(const vg_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->backend_count; i++)
        if (strcmp(cfg->backends[i], name) == 0)
            return (int)i;
    return -1;
}

static listing *find_listing(listing *rows, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    return NULL;
}

/* Rows for every configured backend (in order), then every other plugin
 * file on the search path. */
static listing *collect(const vg_config *cfg, char **paths, size_t path_count,
                        size_t *count_out)
{
    listing *rows = calloc(cfg->backend_count + path_count, sizeof *rows);
    if (!rows)
        return NULL;
    size_t count = 0;
    for (size_t i = 0; i < cfg->backend_count; i++) {
        snprintf(rows[count].name, sizeof rows[count].name, "%s",
                 cfg->backends[i]);
        rows[count++].order = (int)i;
    }
    for (size_t i = 0; i < path_count; i++) {
        char name[VG_NAME_MAX];
        vg_plugin_name_from_path(paths[i], name, sizeof name);
        listing *row = find_listing(rows, count, name);
        if (!row) {
            row = &rows[count++];
            snprintf(row->name, sizeof row->name, "%s", name);
            row->order = order_of(cfg, name);
        }
        if (!row->path)
            row->path = paths[i];
        else if (!row->shadows)
            row->shadows = paths[i];
    }
    *count_out = count;
    return rows;
}

static void print_devices_human(const vg_probe_result *probe)
{
    for (uint32_t d = 0; d < probe->device_count; d++) {
        const vg_device_info *dev = &probe->devices[d];
        printf("      device %u: %s [%s", d, dev->name,
               device_type_name(dev->type));
        if (dev->memory_bytes)
            printf(", %.1f GiB", (double)dev->memory_bytes / (1 << 30));
        if (dev->compute_units)
            printf(", %u compute units", dev->compute_units);
        printf("]%s%s\n", dev->detail[0] ? " " : "", dev->detail);
    }
}

static void print_human(const vg_config *cfg, const vg_search_path *sp,
                        const listing *rows, size_t count)
{
    printf("Plugin search path:\n");
    for (size_t i = 0; i < vg_search_path_count(sp); i++) {
        const vg_search_dir *dir = vg_search_path_dir(sp, i);
        printf("  %s (%s)\n", dir->path, dir->origin);
    }
    printf("Configured order:");
    for (size_t i = 0; i < cfg->backend_count; i++)
        printf("%s %s", i ? "," : "", cfg->backends[i]);
    printf("\nBackends:\n");
    for (size_t i = 0; i < count; i++) {
        const listing *l = &rows[i];
        const vg_backend_report *r = &l->report;
        printf("  %-8s %-7s %s%s\n", l->name,
               r->loaded ? kind_name(r->kind) : "-", l->path ? l->path : "",
               l->order < 0 ? "  (not in the configured order)" : "");
        if (r->loaded && r->description[0])
            printf("      %s, version %s\n", r->description, r->version);
        if (l->shadows)
            printf("      shadows %s\n", l->shadows);
        if (r->probed && r->probe.detail[0])
            printf("      %s\n", r->probe.detail);
        if (r->probed)
            print_devices_human(&r->probe);
        if (!l->path)
            printf("      status: not found: %s\n", r->attempt.reason);
        else if (r->attempt.stage == VG_STAGE_SELECTED)
            printf("      status: usable (%s)\n", r->attempt.reason);
        else
            printf("      status: skipped at %s: %s\n",
                   vg_stage_name(r->attempt.stage), r->attempt.reason);
    }
}

static void json_field(const char *key, const char *value, bool comma)
{
    printf("%s\"%s\": ", comma ? ", " : "", key);
    vgrun_json_string(stdout, value);
}

static void print_json_devices(const vg_probe_result *probe)
{
    printf(", \"devices\": [");
    for (uint32_t d = 0; d < probe->device_count; d++) {
        const vg_device_info *dev = &probe->devices[d];
        printf("%s{", d ? ", " : "");
        json_field("name", dev->name, false);
        json_field("vendor", dev->vendor, true);
        json_field("type", device_type_name(dev->type), true);
        json_field("driver", dev->driver, true);
        json_field("detail", dev->detail, true);
        printf(", \"memory_bytes\": %llu, \"compute_units\": %u}",
               (unsigned long long)dev->memory_bytes, dev->compute_units);
    }
    printf("]");
}

static void print_json(const vg_search_path *sp, const listing *rows,
                       size_t count)
{
    printf("{\"vg_version\": \"%s\", \"abi_version\": %u, \"search_path\": [",
           VG_VERSION_STRING, VG_PLUGIN_ABI_VERSION);
    for (size_t i = 0; i < vg_search_path_count(sp); i++) {
        const vg_search_dir *dir = vg_search_path_dir(sp, i);
        printf("%s{", i ? ", " : "");
        json_field("path", dir->path, false);
        json_field("origin", dir->origin, true);
        printf("}");
    }
    printf("], \"backends\": [");
    for (size_t i = 0; i < count; i++) {
        const listing *l = &rows[i];
        const vg_backend_report *r = &l->report;
        printf("%s\n  {", i ? "," : "");
        json_field("name", l->name, false);
        json_field("file", l->path ? l->path : "", true);
        printf(", \"order\": %d", l->order);
        json_field("kind", r->loaded ? kind_name(r->kind) : "", true);
        json_field("version", r->version, true);
        json_field("description", r->description, true);
        json_field("status", status_of(l), true);
        json_field("stage", vg_stage_name(r->attempt.stage), true);
        json_field("reason", r->attempt.reason, true);
        json_field("detail", r->probed ? r->probe.detail : "", true);
        if (l->shadows)
            json_field("shadows", l->shadows, true);
        print_json_devices(&r->probe);
        printf("}");
    }
    printf("\n]}\n");
}

int vgrun_list_backends(const vgrun_options *opts, const vg_config *cfg)
{
    vg_search_path *sp = NULL;
    char **paths = NULL;
    size_t path_count = 0, count = 0;
    vg_job *job = NULL;
    listing *rows = NULL;
    int rc = VGRUN_EXIT_RUNTIME;
    if (vg_search_path_create(cfg, &sp) != 0 ||
        vg_search_path_list(sp, &paths, &path_count) != 0 ||
        vg_job_create_default(&job) != 0 ||
        !(rows = collect(cfg, paths, path_count, &count))) {
        fputs("vgrun: out of memory\n", stderr);
        goto done;
    }
    vg_job_limits limits = vg_job_get_limits(job);
    for (size_t i = 0; i < count; i++) {
        listing *l = &rows[i];
        if (!l->path) {
            char *unused = NULL;
            snprintf(l->report.attempt.backend,
                     sizeof l->report.attempt.backend, "%s", l->name);
            l->report.attempt.stage = VG_STAGE_FIND;
            vg_search_path_find(sp, l->name, &unused, l->report.attempt.reason,
                                sizeof l->report.attempt.reason);
            free(unused);
            continue;
        }
        if (vg_inspect_plugin(cfg, &limits, l->path, &l->report) ==
            VG_ERR_CONFIG) {
            fprintf(stderr, "vgrun: %s\n", l->report.attempt.reason);
            rc = VGRUN_EXIT_USAGE;
            goto done;
        }
    }
    if (opts->json)
        print_json(sp, rows, count);
    else
        print_human(cfg, sp, rows, count);
    rc = VGRUN_EXIT_OK;
done:
    free(rows);
    vg_job_destroy(&job);
    vg_string_list_free(&paths, path_count);
    vg_search_path_destroy(&sp);
    return rc;
}

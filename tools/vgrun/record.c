/*
 * record.c - which backend rendered which frames, and every failover, as
 * the render goes (for the summary line and --json-report).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgrun.h"

bool vgrun_record_frame(vgrun_record *rec, const char *backend, uint32_t index)
{
    vgrun_segment *last =
        rec->segment_count ? &rec->segments[rec->segment_count - 1] : NULL;
    if (last && last->end == index && strcmp(last->backend, backend) == 0) {
        last->end++;
        return true;
    }
    vgrun_segment *grown =
        realloc(rec->segments, (rec->segment_count + 1) * sizeof *grown);
    if (!grown)
        return false;
    rec->segments = grown;
    vgrun_segment *s = &grown[rec->segment_count++];
    snprintf(s->backend, sizeof s->backend, "%s", backend);
    s->first = index;
    s->end = index + 1;
    return true;
}

bool vgrun_record_failover(vgrun_record *rec, uint32_t frame,
                           const char *backend, int code, const char *reason)
{
    vgrun_failover *grown =
        realloc(rec->failovers, (rec->failover_count + 1) * sizeof *grown);
    if (!grown)
        return false;
    rec->failovers = grown;
    vgrun_failover *f = &grown[rec->failover_count++];
    *f = (vgrun_failover){.frame = frame, .code = code};
    snprintf(f->from, sizeof f->from, "%s", backend);
    snprintf(f->reason, sizeof f->reason, "%s", reason);
    return true;
}

bool vgrun_record_verified(vgrun_record *rec, uint32_t index)
{
    uint32_t *grown =
        realloc(rec->verified, (rec->verified_count + 1) * sizeof *grown);
    if (!grown)
        return false;
    rec->verified = grown;
    rec->verified[rec->verified_count++] = index;
    return true;
}

void vgrun_record_takeover(vgrun_record *rec, const char *backend)
{
    if (rec->failover_count)
        snprintf(rec->failovers[rec->failover_count - 1].to,
                 sizeof rec->failovers[0].to, "%s", backend);
}

uint32_t vgrun_record_frames(const vgrun_record *rec)
{
    uint32_t n = 0;
    for (size_t i = 0; i < rec->segment_count; i++)
        n += rec->segments[i].end - rec->segments[i].first;
    return n;
}

void vgrun_record_free(vgrun_record *rec)
{
    free(rec->segments);
    free(rec->failovers);
    free(rec->verified);
    rec->segments = NULL;
    rec->failovers = NULL;
    rec->segment_count = rec->failover_count = 0;
}

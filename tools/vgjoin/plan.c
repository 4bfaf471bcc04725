/*
 * plan.c - are these pieces exactly one job?  One fingerprint, one stream
 * header, and every frame in exactly one piece.
 *
 * Every problem is printed, not just the first, so one look at a farm's
 * output says which tasks to run again.
 */
#include <stdlib.h>
#include <string.h>

#include "vgjoin.h"

/* The fingerprint most pieces carry (the first piece's on a tie): with one
 * stray piece among many, the stray one is named, not the rest. */
static uint64_t majority_fingerprint(const vgjoin_input *in, size_t count)
{
    uint64_t best = in[0].piece.fingerprint;
    size_t best_votes = 0;
    for (size_t i = 0; i < count; i++) {
        size_t votes = 0;
        for (size_t j = 0; j < count; j++)
            votes += in[j].piece.fingerprint == in[i].piece.fingerprint;
        if (votes > best_votes) {
            best = in[i].piece.fingerprint;
            best_votes = votes;
        }
    }
    return best;
}

static int check_one_job(vgjoin_input *in, size_t count)
{
    uint64_t job = majority_fingerprint(in, count);
    const vgjoin_input *model = NULL;
    char want[VG_FINGERPRINT_HEX_SIZE], got[VG_FINGERPRINT_HEX_SIZE];
    vg_fingerprint_format(job, want);
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        if (in[i].piece.fingerprint != job) {
            vg_fingerprint_format(in[i].piece.fingerprint, got);
            fprintf(stderr,
                    "vgjoin: %s: foreign piece: it belongs to job %s, the "
                    "other pieces to job %s\n",
                    in[i].path, got, want);
            in[i].foreign = true;
            rc = VGJOIN_EXIT_REFUSED;
            continue;
        }
        if (!model) {
            model = &in[i];
            continue;
        }
        /* Same fingerprint, so these agree unless a file was edited. */
        if (in[i].piece.total != model->piece.total ||
            strcmp(in[i].header, model->header) != 0) {
            fprintf(stderr,
                    "vgjoin: %s: its header or frame count differs from that "
                    "of %s, though both claim job %s\n",
                    in[i].path, model->path, want);
            in[i].foreign = true;
            rc = VGJOIN_EXIT_REFUSED;
        }
    }
    return rc;
}

static int by_first_frame(const void *a, const void *b)
{
    const vgjoin_input *x = a, *y = b;
    if (x->piece.first != y->piece.first)
        return x->piece.first < y->piece.first ? -1 : 1;
    return x->piece.end < y->piece.end ? -1 : x->piece.end > y->piece.end;
}

static void missing(uint32_t first, uint32_t end, uint32_t total)
{
    fprintf(stderr,
            "vgjoin: frames %u to %u (of %u) are in no piece: a piece is "
            "missing (a task that did not finish?)\n",
            first, end - 1, total);
}

/* Sorted by first frame: each piece must start where the last ended. */
static int check_coverage(const vgjoin_input *in, size_t count)
{
    uint32_t total = in[0].piece.total, next = 0;
    const vgjoin_input *prev = NULL;
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        const vg_piece *p = &in[i].piece;
        if (p->first > next) {
            missing(next, p->first, total);
            rc = VGJOIN_EXIT_REFUSED;
        } else if (p->first < next) {
            uint32_t last = p->end < next ? p->end : next;
            fprintf(stderr,
                    "vgjoin: %s: frames %u to %u are also in %s: a piece "
                    "given twice, or pieces of two different splits\n",
                    in[i].path, p->first, last - 1, prev->path);
            rc = VGJOIN_EXIT_REFUSED;
        }
        if (p->end > next) {
            next = p->end;
            prev = &in[i];
        }
    }
    if (next < total) {
        missing(next, total, total);
        rc = VGJOIN_EXIT_REFUSED;
    }
    return rc;
}

/* The job's own pieces first, in their given order; returns their count. */
static size_t own_pieces_first(vgjoin_input *in, size_t count)
{
    size_t own = 0;
    for (size_t i = 0; i < count; i++) {
        if (in[i].foreign)
            continue;
        vgjoin_input keep = in[i];
        memmove(&in[own + 1], &in[own], (i - own) * sizeof *in);
        in[own++] = keep;
    }
    return own;
}

int vgjoin_plan(vgjoin_input *inputs, size_t count)
{
    int rc = check_one_job(inputs, count);
    size_t own = own_pieces_first(inputs, count);
    qsort(inputs, own, sizeof *inputs, by_first_frame);
    int coverage = check_coverage(inputs, own);
    return rc != 0 ? rc : coverage;
}

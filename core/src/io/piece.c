/*
 * piece.c - the piece record of a render-farm task: task ranges and the
 * Y4M X-tags that carry the job's fingerprint and the piece's range.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg/error.h"
#include "vg/piece.h"

void vg_fingerprint_format(uint64_t fingerprint,
                           char buf[VG_FINGERPRINT_HEX_SIZE])
{
    snprintf(buf, VG_FINGERPRINT_HEX_SIZE, "%016" PRIx64, fingerprint);
}

int vg_piece_task_range(uint32_t total, uint32_t index, uint32_t count,
                        uint32_t *first, uint32_t *end)
{
    if (count == 0 || index >= count || count > total)
        return VG_ERR_INVALID_ARGUMENT;
    uint32_t per = total / count;
    *first = index * per;
    *end = index + 1 == count ? total : *first + per;
    return 0;
}

size_t vg_piece_format_tags(const vg_piece *piece, char *buf, size_t size)
{
    char hex[VG_FINGERPRINT_HEX_SIZE];
    vg_fingerprint_format(piece->fingerprint, hex);
    int n = snprintf(buf, size, " %s%s %s%" PRIu32 ":%" PRIu32 "/%" PRIu32,
                     VG_PIECE_TAG_JOB, hex, VG_PIECE_TAG_FRAMES, piece->first,
                     piece->end, piece->total);
    return n < 0 ? 0 : (size_t)n;
}

/* A decimal uint32 at *p, advancing p; no sign, no spaces. */
static bool parse_u32(const char **p, const char *stop, uint32_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    while (s < stop && *s >= '0' && *s <= '9' && v <= UINT32_MAX)
        v = v * 10 + (uint64_t)(*s++ - '0');
    if (s == *p || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    *p = s;
    return true;
}

static bool parse_fingerprint(const char *s, const char *stop, uint64_t *out)
{
    if (stop - s != VG_FINGERPRINT_HEX_SIZE - 1)
        return false;
    uint64_t v = 0;
    for (; s < stop; s++) {
        int digit = *s >= '0' && *s <= '9'   ? *s - '0'
                    : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
                                             : -1;
        if (digit < 0)
            return false;
        v = v << 4 | (uint64_t)digit;
    }
    *out = v;
    return true;
}

/* "A:B/N" with A < B <= N. */
static bool parse_frames(const char *s, const char *stop, vg_piece *piece)
{
    return parse_u32(&s, stop, &piece->first) && s < stop && *s++ == ':' &&
           parse_u32(&s, stop, &piece->end) && s < stop && *s++ == '/' &&
           parse_u32(&s, stop, &piece->total) && s == stop &&
           piece->first < piece->end && piece->end <= piece->total;
}

static bool starts_with(const char *s, const char *stop, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(stop - s) >= n && memcmp(s, prefix, n) == 0;
}

int vg_piece_parse_y4m_header(const char *line, size_t len, vg_piece *out,
                              char *err, size_t err_size)
{
    const char *end = line + len;
    int jobs = 0, ranges = 0;
    bool job_ok = true, frames_ok = true;
    vg_piece piece = {0};
    for (const char *tok = line; tok < end;) {
        const char *stop = memchr(tok, ' ', (size_t)(end - tok));
        if (!stop)
            stop = end;
        if (starts_with(tok, stop, VG_PIECE_TAG_JOB)) {
            jobs++;
            job_ok = parse_fingerprint(tok + strlen(VG_PIECE_TAG_JOB), stop,
                                       &piece.fingerprint);
        } else if (starts_with(tok, stop, VG_PIECE_TAG_FRAMES)) {
            ranges++;
            frames_ok =
                parse_frames(tok + strlen(VG_PIECE_TAG_FRAMES), stop, &piece);
        }
        tok = stop + 1;
    }
    if (jobs == 0 && ranges == 0)
        return VG_ERR_NOT_FOUND;
    const char *problem = NULL;
    if (jobs != 1 || ranges != 1)
        problem = "expected one XVGJOB= and one XVGFRAMES= tag";
    else if (!job_ok)
        problem = "XVGJOB= is not 16 hex digits";
    else if (!frames_ok)
        problem = "XVGFRAMES= is not FIRST:END/TOTAL with FIRST < END <= "
                  "TOTAL";
    if (problem) {
        snprintf(err, err_size, "%s", problem);
        return VG_ERR_CONFIG;
    }
    *out = piece;
    return 0;
}

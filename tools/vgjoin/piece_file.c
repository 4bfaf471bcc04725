/*
 * piece_file.c - open a Y4M piece: its header, its piece record, and a
 * size that must match its range exactly.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vgjoin.h"

/* vg writes headers of about 130 bytes; anything past this is not ours. */
#define MAX_HEADER 1024

static int refuse(const char *path, const char *reason)
{
    fprintf(stderr, "vgjoin: %s: %s\n", path, reason);
    return VGJOIN_EXIT_REFUSED;
}

/* The header line, without the tokens of the piece record. */
static char *strip_piece_tags(const char *line, size_t len)
{
    char *out = malloc(len + 2);
    if (!out)
        return NULL;
    size_t n = 0;
    for (const char *tok = line, *end = line + len; tok < end;) {
        const char *stop = memchr(tok, ' ', (size_t)(end - tok));
        if (!stop)
            stop = end;
        size_t tlen = (size_t)(stop - tok);
        bool tag =
            (tlen >= strlen(VG_PIECE_TAG_JOB) &&
             memcmp(tok, VG_PIECE_TAG_JOB, strlen(VG_PIECE_TAG_JOB)) == 0) ||
            (tlen >= strlen(VG_PIECE_TAG_FRAMES) &&
             memcmp(tok, VG_PIECE_TAG_FRAMES, strlen(VG_PIECE_TAG_FRAMES)) ==
                 0);
        if (!tag) {
            if (n > 0)
                out[n++] = ' ';
            memcpy(out + n, tok, tlen);
            n += tlen;
        }
        tok = stop + 1;
    }
    out[n++] = '\n';
    out[n] = '\0';
    return out;
}

/* Bytes per frame from the W and H tokens (8-bit 4:2:0, as vgrun writes). */
static bool frame_size(const char *header, size_t *out)
{
    long w = 0, h = 0;
    for (const char *t = strchr(header, ' '); t; t = strchr(t + 1, ' ')) {
        if (t[1] == 'W')
            w = strtol(t + 2, NULL, 10);
        else if (t[1] == 'H')
            h = strtol(t + 2, NULL, 10);
    }
    if (w <= 0 || h <= 0 || w > 65536 || h > 65536)
        return false;
    size_t cw = (size_t)(w + 1) / 2, ch = (size_t)(h + 1) / 2;
    *out = 6 + (size_t)w * (size_t)h + 2 * cw * ch;
    return true;
}

static int read_header(vgjoin_input *in, char *line, size_t *len)
{
    if (!fgets(line, MAX_HEADER, in->file)) {
        if (ferror(in->file)) {
            fprintf(stderr, "vgjoin: %s: cannot read: %s\n", in->path,
                    strerror(errno));
            return VGJOIN_EXIT_IO;
        }
        return refuse(in->path, "empty: not a Y4M piece");
    }
    *len = strlen(line);
    if (strncmp(line, "YUV4MPEG2 ", 10) != 0)
        return refuse(in->path, "not a Y4M stream (vgjoin joins the Y4M "
                                "pieces of vgrun --task or --frames)");
    if (*len == 0 || line[*len - 1] != '\n')
        return refuse(in->path, "Y4M header line too long or unterminated");
    line[--*len] = '\0';
    return 0;
}

static int check_size(vgjoin_input *in, size_t header_len)
{
    struct stat st;
    if (fstat(fileno(in->file), &st) != 0) {
        fprintf(stderr, "vgjoin: %s: cannot stat: %s\n", in->path,
                strerror(errno));
        return VGJOIN_EXIT_IO;
    }
    uint64_t frames = (uint64_t)in->piece.end - in->piece.first;
    uint64_t want = header_len + 1 + frames * in->frame_size;
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size != want) {
        char reason[256];
        snprintf(reason, sizeof reason,
                 "%lld bytes, but frames %u to %u make %llu: a truncated or "
                 "damaged piece",
                 (long long)st.st_size, in->piece.first, in->piece.end - 1,
                 (unsigned long long)want);
        return refuse(in->path, reason);
    }
    return 0;
}

int vgjoin_open_piece(const char *path, vgjoin_input *in)
{
    *in = (vgjoin_input){.path = path};
    in->file = fopen(path, "rb");
    if (!in->file) {
        fprintf(stderr, "vgjoin: %s: cannot open: %s\n", path, strerror(errno));
        return VGJOIN_EXIT_IO;
    }
    char line[MAX_HEADER], err[256];
    size_t len = 0;
    int rc = read_header(in, line, &len);
    if (rc != 0)
        return rc;
    rc = vg_piece_parse_y4m_header(line, len, &in->piece, err, sizeof err);
    if (rc == VG_ERR_NOT_FOUND)
        return refuse(path, "not a piece: its header has no XVGJOB/XVGFRAMES "
                            "record (render pieces with vgrun --task or "
                            "--frames)");
    if (rc != 0) {
        char reason[300];
        snprintf(reason, sizeof reason, "bad piece record: %s", err);
        return refuse(path, reason);
    }
    in->header = strip_piece_tags(line, len);
    if (!in->header) {
        fprintf(stderr, "vgjoin: out of memory\n");
        return VGJOIN_EXIT_IO;
    }
    if (!frame_size(in->header, &in->frame_size))
        return refuse(path, "Y4M header without a valid W and H");
    return check_size(in, len);
}

void vgjoin_close_piece(vgjoin_input *in)
{
    if (in->file)
        fclose(in->file);
    free(in->header);
    *in = (vgjoin_input){0};
}

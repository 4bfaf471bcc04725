/*
 * write_y4m.c - the joined Y4M stream: the whole video's header (the
 * pieces' header without their piece record), then every piece's frames in
 * order, each frame checked to start with its "FRAME\n" marker.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vg/output_file.h"
#include "vgjoin.h"

static int copy_frames(vgjoin_input *in, FILE *out, const char *out_name,
                       uint8_t *buf)
{
    for (uint32_t f = in->piece.first; f < in->piece.end; f++) {
        if (fread(buf, 1, in->frame_size, in->file) != in->frame_size) {
            fprintf(stderr, "vgjoin: %s: frame %u: %s\n", in->path, f,
                    ferror(in->file) ? strerror(errno)
                                     : "unexpected end of file");
            return VGJOIN_EXIT_IO;
        }
        if (memcmp(buf, "FRAME\n", 6) != 0) {
            fprintf(stderr, "vgjoin: %s: frame %u: no FRAME marker\n", in->path,
                    f);
            return VGJOIN_EXIT_IO;
        }
        if (fwrite(buf, 1, in->frame_size, out) != in->frame_size) {
            fprintf(stderr, "vgjoin: %s: cannot write: %s\n", out_name,
                    strerror(errno));
            return VGJOIN_EXIT_IO;
        }
    }
    return 0;
}

int vgjoin_write_y4m(const char *out_path, vgjoin_input *inputs, size_t count)
{
    uint8_t *buf = malloc(inputs[0].frame_size);
    if (!buf) {
        fprintf(stderr, "vgjoin: out of memory\n");
        return VGJOIN_EXIT_IO;
    }
    vg_output_file out;
    char err[1024];
    if (vg_output_file_open(out_path, &out, err, sizeof err) != 0) {
        fprintf(stderr, "vgjoin: %s\n", err);
        free(buf);
        return VGJOIN_EXIT_IO;
    }
    int rc = 0;
    size_t hlen = strlen(inputs[0].header);
    if (fwrite(inputs[0].header, 1, hlen, out.file) != hlen) {
        fprintf(stderr, "vgjoin: %s: cannot write: %s\n", out.name,
                strerror(errno));
        rc = VGJOIN_EXIT_IO;
    }
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = copy_frames(&inputs[i], out.file, out.name, buf);
    free(buf);
    if (rc != 0) {
        vg_output_file_discard(&out);
        return rc;
    }
    if (vg_output_file_commit(&out, err, sizeof err) != 0) {
        fprintf(stderr, "vgjoin: %s\n", err);
        return VGJOIN_EXIT_IO;
    }
    return 0;
}

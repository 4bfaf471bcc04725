/*
 * main.c - vgjoin: join the pieces of a job rendered on many machines.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vg/version.h"
#include "vgjoin.h"

static void print_help(FILE *out)
{
    fputs("Usage: vgjoin [-v] [-y|-n] OUT PIECE...\n"
          "Join the pieces of one job, rendered with vgrun --task or "
          "--frames on any\n"
          "number of machines, into OUT (- for stdout): the bytes one "
          "machine rendering\n"
          "the whole job writes.  The pieces may be given in any order.  "
          "Nothing is\n"
          "written unless they are pieces of the same job (the fingerprint "
          "vgrun --info\n"
          "prints) covering every frame exactly once; each missing, "
          "duplicated or\n"
          "foreign piece is named.\n"
          "\n"
          "  -y              overwrite OUT if it exists\n"
          "  -n              never overwrite OUT (the default)\n"
          "  -v, --verbose   say what was joined\n"
          "  -h, --help      show this help\n"
          "  -V, --version   show the version\n"
          "\n"
          "Exit status: 0 joined; 1 a piece or OUT could not be read or "
          "written;\n"
          "2 bad arguments or OUT exists (without -y); 3 refused: the "
          "pieces are not\n"
          "exactly one whole job.\n",
          out);
}

/* OUT must not be one of the pieces: the join would replace it.  An
 * existing OUT is replaced only with -y, as vgrun and ffmpeg do (no
 * question asked: vgjoin runs in farm jobs, not at a terminal). */
static int check_output(const char *out, char **pieces, size_t count,
                        bool overwrite)
{
    struct stat o, p;
    if (strcmp(out, "-") == 0 || stat(out, &o) != 0 || !S_ISREG(o.st_mode))
        return 0;
    for (size_t i = 0; i < count; i++) {
        if (stat(pieces[i], &p) == 0 && p.st_dev == o.st_dev &&
            p.st_ino == o.st_ino) {
            fprintf(stderr,
                    "vgjoin: %s is also given as a piece: the output goes "
                    "first\n",
                    out);
            return VGJOIN_EXIT_USAGE;
        }
    }
    if (!overwrite) {
        fprintf(stderr, "vgjoin: %s already exists; use -y to overwrite it\n",
                out);
        return VGJOIN_EXIT_USAGE;
    }
    return 0;
}

static int join(const char *out, char **paths, size_t count, bool verbose)
{
    vgjoin_input *inputs = calloc(count, sizeof *inputs);
    if (!inputs) {
        fprintf(stderr, "vgjoin: out of memory\n");
        return VGJOIN_EXIT_IO;
    }
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        int r = vgjoin_open_piece(paths[i], &inputs[i]);
        /* Look at every piece before giving up, so all bad ones are
         * named; an I/O failure outranks a refusal. */
        if (r != 0 && rc != VGJOIN_EXIT_IO)
            rc = r;
    }
    if (rc == 0)
        rc = vgjoin_plan(inputs, count);
    if (rc == 0)
        rc = vgjoin_write_y4m(out, inputs, count);
    if (rc == 0 && verbose) {
        char hex[VG_FINGERPRINT_HEX_SIZE];
        vg_fingerprint_format(inputs[0].piece.fingerprint, hex);
        fprintf(stderr,
                "vgjoin: %zu piece%s, frames 0 to %u of job %s, "
                "written to %s\n",
                count, count == 1 ? "" : "s", inputs[0].piece.total - 1, hex,
                strcmp(out, "-") == 0 ? "stdout" : out);
    }
    for (size_t i = 0; i < count; i++)
        vgjoin_close_piece(&inputs[i]);
    free(inputs);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    bool verbose = false, overwrite = false;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+vynhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'v':
            verbose = true;
            break;
        case 'y':
            overwrite = true;
            break;
        case 'n':
            overwrite = false;
            break;
        case 'h':
            print_help(stdout);
            return VGJOIN_EXIT_OK;
        case 'V':
            printf("vgjoin %s\n", VG_VERSION_STRING);
            return VGJOIN_EXIT_OK;
        default:
            fprintf(stderr,
                    "vgjoin: unknown option '%s'\nTry 'vgjoin "
                    "--help'.\n",
                    argv[optind - 1]);
            return VGJOIN_EXIT_USAGE;
        }
    }
    if (argc - optind < 2) {
        fprintf(stderr, "vgjoin: give the output and at least one piece\n"
                        "Try 'vgjoin --help'.\n");
        return VGJOIN_EXIT_USAGE;
    }
    const char *out = argv[optind];
    char **pieces = argv + optind + 1;
    size_t count = (size_t)(argc - optind - 1);
    int rc = check_output(out, pieces, count, overwrite);
    return rc != 0 ? rc : join(out, pieces, count, verbose);
}

/*
 * cli.c - vgrun's command line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vgrun.h"

void vgrun_print_help(FILE *out)
{
    fputs("Usage: vgrun [OPTION]... [JOB.yaml]\n"
          "Render a video job to a video file on the best backend that works "
          "on this\n"
          "machine: JOB.yaml (docs/jobs.md), else the config's job: section, "
          "else the\n"
          "built-in default job (300 frames of 1920x1080 at 30 fps).\n"
          "\n"
          "  -o, --output PATH     write the video to PATH (default out.y4m); "
          ".y4m and -\n"
          "                        (stdout) are Y4M, .mp4 .mkv .mov .webm "
          ".nut encoded\n"
          "  -y                    overwrite existing output files\n"
          "  -n                    never overwrite: stop if an output exists\n"
          "      --codec NAME      auto (default), h264, hevc, av1, vp9, ffv1, "
          "h264_nvenc,\n"
          "                        hevc_nvenc\n"
          "      --crf N           quality of the encoded video (lower is "
          "better)\n"
          "  -c, --config PATH     read configuration from PATH (default: "
          "$VG_CONFIG,\n"
          "                        else ~/.config/vg/config.yaml, else "
          "the system\n"
          "                        config, else built-in defaults)\n"
          "  -b, --backend LIST    try these backends in this order "
          "(e.g. cuda,cpu);\n"
          "                        overrides $VG_BACKENDS and the config\n"
          "      --frames A:B      render frames A to B-1 only: a piece for "
          "vgjoin\n"
          "      --snapshot N:PNG  render frame N only and write it as a PNG "
          "picture\n"
          "      --json-report FILE  write a JSON record of the run: backends "
          "tried,\n"
          "                        frames per backend, failovers\n"
          "      --task [I/N]      render the I-th (from 0) of N near-equal "
          "frame "
          "ranges;\n"
          "                        alone or as /N, I comes from "
          "SLURM_ARRAY_TASK_ID or\n"
          "                        JOB_COMPLETION_INDEX, N from "
          "SLURM_ARRAY_TASK_COUNT\n"
          "      --info            print the job's frame count, size, rate and "
          "fingerprint\n"
          "                        without rendering (--json for JSON)\n"
          "      --list-backends   show every backend found, its devices and "
          "status\n"
          "      --verify N        check every Nth frame of a non-cpu backend "
          "against the\n"
          "                        cpu backend before writing it (0: off; "
          "default 100)\n"
          "      --reprobe         run every self-test again instead of "
          "trusting a pass\n"
          "                        cached for the same plugin file, device and "
          "driver\n"
          "      --json            with --list-backends or --info: print JSON\n"
          "      --doctor          check the GPU setup step by step and say "
          "what to fix\n"
          "  -q, --quiet           print nothing but errors\n"
          "  -v, --verbose         report the backends and a summary even when "
          "stderr\n"
          "                        is not a terminal\n"
          "  -h, --help            show this help\n"
          "  -V, --version         show the version\n"
          "\n"
          "Environment: VG_CONFIG, VG_BACKENDS, VG_PLUGIN_PATH (extra plugin "
          "directories),\n"
          "VG_CPU_ISA (force a lower CPU instruction set).\n"
          "\n"
          "Exit status: 0 success; 1 rendering or output failed; 2 bad "
          "arguments or\n"
          "configuration; 3 no usable backend (each reason printed); 4 "
          "(--doctor)\n"
          "no GPU backend usable; 130 interrupted.\n",
          out);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    fputs("vgrun: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'vgrun --help'.\n", stderr);
    return VGRUN_EXIT_USAGE;
}

static bool parse_u32(const char *text, const char **end, uint32_t *out)
{
    errno = 0;
    char *stop = NULL;
    unsigned long v = strtoul(text, &stop, 10);
    if (stop == text || errno != 0 || v > UINT32_MAX || *text == '-')
        return false;
    *out = (uint32_t)v;
    *end = stop;
    return true;
}

static int parse_range(const char *text, vgrun_options *opts)
{
    const char *end = NULL;
    if (!parse_u32(text, &end, &opts->first_frame) || *end != ':' ||
        !parse_u32(end + 1, &end, &opts->end_frame) || *end != '\0' ||
        opts->end_frame <= opts->first_frame)
        return usage_error("--frames expects A:B with A < B, got '%s'", text);
    opts->has_range = true;
    return 0;
}

/* N:PATH: frame N written as a PNG picture to PATH. */
static int parse_snapshot(const char *text, vgrun_options *opts)
{
    const char *end = NULL;
    if (!parse_u32(text, &end, &opts->snapshot_frame) || *end != ':' ||
        end[1] == '\0')
        return usage_error("--snapshot expects N:FILE.png, got '%s'", text);
    opts->snapshot_path = end + 1;
    return 0;
}

enum {
    OPT_LIST_BACKENDS = 256,
    OPT_JSON,
    OPT_FRAMES,
    OPT_DOCTOR,
    OPT_SNAPSHOT,
    OPT_JSON_REPORT,
    OPT_REPROBE,
    OPT_VERIFY,
    OPT_CODEC,
    OPT_CRF,
    /* render farms */
    OPT_TASK,
    OPT_INFO,
};

/* --task, --info: options for splitting a job across machines. */
static int parse_farm_option(int c, int argc, char **argv, vgrun_options *opts)
{
    if (c == OPT_INFO) {
        opts->mode = VGRUN_INFO;
        return 0;
    }
    /* An optional value may follow as the next word ("--task 3/8"), not
     * only glued ("--task=3/8"); only a word shaped like I/N or /N is
     * taken, so "--task job.yaml" still reads the job. */
    const char *value = optarg;
    if (!value && optind < argc && vgrun_is_task_value(argv[optind]))
        value = argv[optind++];
    char err[256];
    if (vgrun_parse_task(value, &opts->task, err, sizeof err) != 0)
        return usage_error("%s", err);
    opts->has_task = true;
    return 0;
}

int vgrun_parse_args(int argc, char **argv, vgrun_options *opts)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"config", required_argument, NULL, 'c'},
        {"backend", required_argument, NULL, 'b'},
        {"frames", required_argument, NULL, OPT_FRAMES},
        {"list-backends", no_argument, NULL, OPT_LIST_BACKENDS},
        {"json", no_argument, NULL, OPT_JSON},
        {"doctor", no_argument, NULL, OPT_DOCTOR},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"snapshot", required_argument, NULL, OPT_SNAPSHOT},
        {"json-report", required_argument, NULL, OPT_JSON_REPORT},
        {"reprobe", no_argument, NULL, OPT_REPROBE},
        {"verify", required_argument, NULL, OPT_VERIFY},
        {"codec", required_argument, NULL, OPT_CODEC},
        {"crf", required_argument, NULL, OPT_CRF},
        {"task", optional_argument, NULL, OPT_TASK},
        {"info", no_argument, NULL, OPT_INFO},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    *opts =
        (vgrun_options){.mode = VGRUN_RENDER, .output = "out.y4m", .crf = -1};
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:c:b:qvhVyn", longopts, NULL)) !=
           -1) {
        switch (c) {
        case 'o':
            opts->output = optarg;
            break;
        case 'c':
            opts->config_path = optarg;
            break;
        case 'b':
            opts->backends = optarg;
            break;
        case OPT_FRAMES:
            if (parse_range(optarg, opts) != 0)
                return VGRUN_EXIT_USAGE;
            break;
        case OPT_LIST_BACKENDS:
            opts->mode = VGRUN_LIST_BACKENDS;
            break;
        case OPT_DOCTOR:
            opts->mode = VGRUN_DOCTOR;
            break;
        case OPT_JSON:
            opts->json = true;
            break;
        case 'q':
            opts->quiet = true;
            break;
        case 'v':
            opts->verbose = true;
            break;
        case OPT_SNAPSHOT:
            if (parse_snapshot(optarg, opts) != 0)
                return VGRUN_EXIT_USAGE;
            break;
        case OPT_JSON_REPORT:
            opts->json_report = optarg;
            break;
        case OPT_REPROBE:
            opts->reprobe = true;
            break;
        case OPT_VERIFY: {
            const char *end = NULL;
            if (!parse_u32(optarg, &end, &opts->verify) || *end != '\0' ||
                opts->verify > 1000000)
                return usage_error("--verify expects a frame interval from 0 "
                                   "(off) to 1000000, got '%s'",
                                   optarg);
            opts->has_verify = true;
            break;
        }
        /* Output: encoding and overwriting. */
        case 'y':
            opts->overwrite = VGRUN_OVERWRITE_YES;
            break;
        case 'n':
            opts->overwrite = VGRUN_OVERWRITE_NEVER;
            break;
        case OPT_CODEC:
            opts->codec = optarg;
            break;
        case OPT_CRF: {
            const char *end = NULL;
            uint32_t crf;
            if (!parse_u32(optarg, &end, &crf) || *end != '\0' || crf > 63)
                return usage_error("--crf expects a number from 0 to 63, "
                                   "got '%s'",
                                   optarg);
            opts->crf = (int)crf;
            break;
        }
        case OPT_TASK:
        case OPT_INFO:
            if (parse_farm_option(c, argc, argv, opts) != 0)
                return VGRUN_EXIT_USAGE;
            break;
        case 'h':
            opts->mode = VGRUN_HELP;
            return 0;
        case 'V':
            opts->mode = VGRUN_VERSION;
            return 0;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        opts->job_path = argv[optind++];
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (opts->snapshot_path && opts->has_range)
        return usage_error("%s", "--snapshot renders one frame: leave out "
                                 "--frames");
    if (opts->json && opts->mode != VGRUN_LIST_BACKENDS &&
        opts->mode != VGRUN_INFO)
        return usage_error("%s", "--json goes with --list-backends or --info");
    if (opts->has_task && (opts->has_range || opts->snapshot_path))
        return usage_error("%s", "--task chooses the frames: leave out "
                                 "--frames and --snapshot");
    return 0;
}

/*
 * info.c - --info: what a job produces, without rendering it.
 *
 * A farm script needs the frame count to size its tasks, and a join needs
 * the fingerprint to tell whose pieces it holds; neither should cost a
 * render.  The job is loaded as for a render (inputs opened and checked),
 * so a broken job fails here with the same message.
 */
#include <stdio.h>

#include "vg/piece.h"
#include "vgrun.h"

static void print_text(const char *job_name, const vg_job_info *info,
                       const char *hex)
{
    printf("job: %s\n", job_name);
    printf("frames: %u\n", info->frame_count);
    printf("size: %dx%d\n", info->width, info->height);
    printf("rate: %u/%u fps\n", info->fps_num, info->fps_den);
    printf("duration: %.3f s\n",
           (double)info->frame_count * info->fps_den / info->fps_num);
    printf("fingerprint: %s\n", hex);
}

static void print_json(const char *job_path, const vg_job_info *info,
                       const char *hex)
{
    fputs("{\"job_file\": ", stdout);
    if (job_path)
        vgrun_json_string(stdout, job_path);
    else
        fputs("null", stdout);
    printf(", \"frame_count\": %u, \"width\": %d, \"height\": %d, "
           "\"fps_num\": %u, \"fps_den\": %u, \"fingerprint\": \"%s\"}\n",
           info->frame_count, info->width, info->height, info->fps_num,
           info->fps_den, hex);
}

int vgrun_info(const vgrun_options *opts, const vg_config *cfg)
{
    char err[2048];
    vg_job *job = NULL;
    int rc = vgrun_load_job(opts, cfg, &job, err, sizeof err);
    if (rc != VGRUN_EXIT_OK) {
        fprintf(stderr, "vgrun: %s\n", err);
        return rc;
    }
    uint64_t fingerprint = 0;
    if (vg_job_fingerprint(job, &fingerprint, err, sizeof err) != 0) {
        fprintf(stderr, "vgrun: %s\n", err);
        vg_job_destroy(&job);
        return VGRUN_EXIT_RUNTIME;
    }
    char hex[VG_FINGERPRINT_HEX_SIZE];
    vg_fingerprint_format(fingerprint, hex);
    vg_job_info info = vg_job_get_info(job);
    const char *name = opts->job_path ? opts->job_path
                                      : "(the config's job: section, else "
                                        "the built-in default job)";
    if (opts->json)
        print_json(opts->job_path, &info, hex);
    else
        print_text(name, &info, hex);
    vg_job_destroy(&job);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "vgrun: cannot write to standard output\n");
        return VGRUN_EXIT_RUNTIME;
    }
    return VGRUN_EXIT_OK;
}

/*
 * job_parse_audio.c - the job's audio: key (docs/jobs.md).
 *
 * The file is only named here; it is decoded by the encoder, which cuts it
 * to the video's length.  The fades are checked against the job's length
 * so a fade that cannot fit is a load error, not a surprise.
 */
#include <stdio.h>

#include "job/job_parse.h"

/* A file up to a day in; fades up to the job's length. */
#define AUDIO_MAX_START 86400.0

int vg_job_parse_audio(vg_job_parser *p, const vg_yaml_node *node,
                       const char *path, vg_job *job)
{
    static const char *const keys[] = {"file", "start", "fade_in", "fade_out",
                                       NULL};
    vg_job_audio_track *a = &job->audio;
    const vg_yaml_node *file = node;
    char sub[VG_KEY_PATH_MAX];
    snprintf(sub, sizeof sub, "%s", path);
    if (node->kind == VG_YAML_MAPPING) {
        int rc = vg_yaml_check_keys(&p->doc, node, path, keys);
        if (rc != 0)
            return rc;
        file = vg_yaml_get(node, "file");
        if (!file)
            return vg_yaml_fail(&p->doc, node, path, "give the audio a file");
        vg_key_path_join(sub, sizeof sub, path, "file");
    }
    int rc = vg_jp_file(p, file, sub, &a->path);
    if (rc != 0)
        return rc;
    a->line = file->line;
    a->column = file->column;
    if (node->kind != VG_YAML_MAPPING)
        return 0;
    double length =
        (double)job->info.frame_count * job->info.fps_den / job->info.fps_num;
    struct {
        const char *key;
        double max;
        double *out;
    } numbers[] = {{"start", AUDIO_MAX_START, &a->start},
                   {"fade_in", length, &a->fade_in},
                   {"fade_out", length, &a->fade_out}};
    for (size_t i = 0; i < 3; i++) {
        const vg_yaml_node *v = vg_yaml_get(node, numbers[i].key);
        vg_key_path_join(sub, sizeof sub, path, numbers[i].key);
        if (v && (rc = vg_jp_number(p, v, sub, 0.0, numbers[i].max,
                                    numbers[i].out)) != 0)
            return rc;
    }
    return 0;
}

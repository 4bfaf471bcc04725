/*
 * job_parse.c - a job's top level: output format, length, the clips, the
 * camera and blur over the whole video (docs/jobs.md).
 *
 * Order matters: the frame rate is read before anything given in seconds,
 * the clips before the timeline is laid out, and the layout before camera
 * keys (whose "50%" depends on a clip's length) are placed.
 */
#include <stdlib.h>

#include "job/job_parse.h"

static const char *const job_keys[] = {"width",  "height", "fps",   "duration",
                                       "frames", "matrix", "range", "clips",
                                       "camera", "blur",   "audio", NULL};

static int parse_format(vg_job_parser *p, const vg_yaml_node *root,
                        const char *path, vg_job_info *info)
{
    static const char *const matrices[] = {"bt601", "bt709", NULL};
    static const char *const ranges[] = {"limited", "full", NULL};
    *info = (vg_job_info){.width = 1920,
                          .height = 1080,
                          .fps_num = 30,
                          .fps_den = 1,
                          .matrix = VG_MATRIX_BT709,
                          .range = VG_RANGE_LIMITED};
    char sub[VG_KEY_PATH_MAX];
    const vg_yaml_node *v = NULL;
    long n = 0;
    int choice = 0, rc = 0;
#define JOB_KEY(name, parse)                                                   \
    if (rc == 0 && (v = vg_yaml_get(root, name))) {                            \
        vg_key_path_join(sub, sizeof sub, path, name);                         \
        rc = (parse);                                                          \
    }
    JOB_KEY("width", vg_jp_integer(p, v, sub, 1, VG_MAX_DIMENSION, &n))
    if (rc == 0 && v)
        info->width = (int32_t)n;
    JOB_KEY("height", vg_jp_integer(p, v, sub, 1, VG_MAX_DIMENSION, &n))
    if (rc == 0 && v)
        info->height = (int32_t)n;
    JOB_KEY("fps", vg_jp_fps(p, v, sub, &info->fps_num, &info->fps_den))
    JOB_KEY("matrix", vg_jp_choice(p, v, sub, matrices, &choice))
    if (rc == 0 && v)
        info->matrix = choice == 0 ? VG_MATRIX_BT601 : VG_MATRIX_BT709;
    JOB_KEY("range", vg_jp_choice(p, v, sub, ranges, &choice))
    if (rc == 0 && v)
        info->range = choice == 0 ? VG_RANGE_LIMITED : VG_RANGE_FULL;
#undef JOB_KEY
    p->fps_num = info->fps_num;
    p->fps_den = info->fps_den;
    if (rc == 0)
        rc = vg_jp_length(p, root, path, &info->frame_count);
    return rc;
}

static int parse_clips(vg_job_parser *p, const vg_yaml_node *clips,
                       const char *path, vg_job *job)
{
    for (size_t i = 0; i < job->clip_count; i++) {
        char item[VG_KEY_PATH_MAX];
        vg_jp_item_path(item, sizeof item, path, i);
        const vg_yaml_node *node = clips->children[i];
        vg_clip *clip = &job->clips[i];
        int rc = vg_job_parse_clip(p, node, item, i, clip);
        if (rc != 0)
            return rc;
        bool last = i + 1 == job->clip_count;
        /* Only the last clip may leave its length to the job's. */
        if (clip->frames == 0 && (!last || job->info.frame_count == 0))
            return vg_yaml_fail(&p->doc, node, item,
                                last ? "give the clip (or the job) a duration "
                                       "or a number of frames"
                                     : "give the clip a duration or a number "
                                       "of frames");
    }
    return 0;
}

/* Place the clips, then the camera keys that depend on clip lengths. */
static int lay_out(vg_job_parser *p, const vg_yaml_node *root,
                   const vg_yaml_node *clips, const char *path, vg_job *job)
{
    char problem[VG_TEXT_MAX], sub[VG_KEY_PATH_MAX];
    size_t bad = 0;
    if (vg_job_layout(job, &bad, problem, sizeof problem) != 0) {
        if (bad >= job->clip_count) {
            const vg_yaml_node *length = vg_yaml_get(root, "frames");
            if (!length)
                length = vg_yaml_get(root, "duration");
            vg_key_path_join(
                sub, sizeof sub, path,
                length == vg_yaml_get(root, "frames") ? "frames" : "duration");
            return vg_yaml_fail(&p->doc, length, sub, "%s", problem);
        }
        char list[VG_KEY_PATH_MAX];
        vg_key_path_join(list, sizeof list, path, "clips");
        vg_jp_item_path(sub, sizeof sub, list, bad);
        return vg_yaml_fail(&p->doc, clips->children[bad], sub, "%s", problem);
    }
    for (size_t i = 0; i < job->clip_count; i++) {
        const vg_yaml_node *camera = vg_yaml_get(clips->children[i], "camera");
        char item[VG_KEY_PATH_MAX], list[VG_KEY_PATH_MAX];
        vg_key_path_join(list, sizeof list, path, "clips");
        vg_jp_item_path(item, sizeof item, list, i);
        vg_key_path_join(sub, sizeof sub, item, "camera");
        int rc = vg_job_resolve_camera(p, camera, sub, &job->clips[i].camera,
                                       job->clips[i].frames);
        if (rc != 0)
            return rc;
    }
    vg_key_path_join(sub, sizeof sub, path, "camera");
    return vg_job_resolve_camera(p, vg_yaml_get(root, "camera"), sub,
                                 &job->camera, job->info.frame_count);
}

int vg_job_parse(vg_job_parser *p, const vg_yaml_node *root, const char *path,
                 vg_job **out)
{
    *out = NULL;
    vg_job_info info;
    int rc = vg_yaml_check_keys(&p->doc, root, path, job_keys);
    if (rc == 0)
        rc = parse_format(p, root, path, &info);
    if (rc != 0)
        return rc;
    char sub[VG_KEY_PATH_MAX];
    vg_key_path_join(sub, sizeof sub, path, "clips");
    const vg_yaml_node *clips = vg_yaml_get(root, "clips");
    if (!clips)
        return vg_yaml_fail(&p->doc, root, path, "a job needs clips");
    if (clips->kind != VG_YAML_SEQUENCE || clips->child_count == 0)
        return vg_yaml_expected(&p->doc, clips, sub, "a list of clips");
    vg_job *job = vg_job_alloc(clips->child_count);
    if (!job)
        return vg_yaml_no_memory(&p->doc);
    job->info = info;
    rc = parse_clips(p, clips, sub, job);
    const vg_yaml_node *v = vg_yaml_get(root, "camera");
    vg_key_path_join(sub, sizeof sub, path, "camera");
    if (rc == 0 && v)
        rc = vg_job_parse_camera(p, v, sub, &job->camera);
    v = vg_yaml_get(root, "blur");
    vg_key_path_join(sub, sizeof sub, path, "blur");
    if (rc == 0 && v)
        rc = vg_jp_number(p, v, sub, 0.0, VG_BLUR_MAX_SIGMA, &job->blur_sigma);
    if (rc == 0)
        rc = lay_out(p, root, clips, path, job);
    v = vg_yaml_get(root, "audio");
    vg_key_path_join(sub, sizeof sub, path, "audio");
    if (rc == 0 && v)
        rc = vg_job_parse_audio(p, v, sub, job);
    if (rc != 0) {
        vg_job_destroy(&job);
        return rc;
    }
    *out = job;
    return 0;
}

/*
 * job_parse_clip.c - one clip of the timeline and the transition into it
 * (docs/jobs.md, "Clips" and "Transitions").
 */
#include <stdio.h>
#include <string.h>

#include "job/job_parse.h"

/* A transition written as a name alone lasts this long. */
#define DEFAULT_TRANSITION_SECONDS 1.0

static int parse_source(vg_job_parser *p, const vg_yaml_node *node,
                        const char *path, vg_clip *clip)
{
    static const char *const kinds[] = {"pattern", "image", "video", NULL};
    static const char *const patterns[] = {"testsrc", "bars", "checker",
                                           "solid", NULL};
    static const vg_pattern_kind pattern_kinds[] = {
        VG_PATTERN_TESTSRC, VG_PATTERN_BARS, VG_PATTERN_CHECKER,
        VG_PATTERN_SOLID};
    const char *found = NULL;
    const vg_yaml_node *source = NULL;
    char sub[VG_KEY_PATH_MAX];
    for (int k = 0; kinds[k]; k++) {
        const vg_yaml_node *value = vg_yaml_get(node, kinds[k]);
        if (!value)
            continue;
        vg_key_path_join(sub, sizeof sub, path, kinds[k]);
        if (found)
            return vg_yaml_fail(&p->doc, value, sub,
                                "a clip has one source: %s is given too",
                                found);
        found = kinds[k];
        source = value;
        clip->kind = (vg_source_kind)(VG_SOURCE_PATTERN + k);
    }
    if (!found)
        return vg_yaml_fail(&p->doc, node, path,
                            "a clip needs a source: pattern, image or video");
    vg_key_path_join(sub, sizeof sub, path, found);
    if (clip->kind != VG_SOURCE_PATTERN) {
        clip->line = source->line;
        clip->column = source->column;
        return vg_jp_file(p, source, sub, &clip->path);
    }
    int index;
    int rc = vg_jp_choice(p, source, sub, patterns, &index);
    if (rc != 0)
        return rc;
    clip->pattern = pattern_kinds[index];
    /* White squares on black for checker; black for solid. */
    clip->rgba =
        clip->pattern == VG_PATTERN_CHECKER ? 0xffffffffu : 0x000000ffu;
    return 0;
}

/* Keys that only make sense with one kind of source. */
static int check_source_keys(vg_job_parser *p, const vg_yaml_node *node,
                             const char *path, const vg_clip *clip)
{
    const vg_yaml_node *color = vg_yaml_get(node, "color");
    const vg_yaml_node *loop = vg_yaml_get(node, "loop");
    char sub[VG_KEY_PATH_MAX];
    if (color && clip->kind != VG_SOURCE_PATTERN) {
        vg_key_path_join(sub, sizeof sub, path, "color");
        return vg_yaml_fail(&p->doc, color, sub,
                            "color goes with a pattern source");
    }
    if (loop && clip->kind != VG_SOURCE_VIDEO) {
        vg_key_path_join(sub, sizeof sub, path, "loop");
        return vg_yaml_fail(&p->doc, loop, sub,
                            "loop goes with a video source");
    }
    return 0;
}

static int parse_transition(vg_job_parser *p, const vg_yaml_node *node,
                            const char *path, vg_transition *t)
{
    static const char *const keys[] = {"type",   "duration", "frames",
                                       "easing", "from",     NULL};
    static const char *const types[] = {"cut", "crossfade", "wipe", NULL};
    static const char *const sides[] = {"left", "right", NULL};
    *t = (vg_transition){.kind = VG_TRANSITION_CROSSFADE,
                         .easing = VG_EASE_LINEAR};
    int index, rc = 0;
    char sub[VG_KEY_PATH_MAX];
    const vg_yaml_node *type = node;
    if (node->kind == VG_YAML_MAPPING) {
        rc = vg_yaml_check_keys(&p->doc, node, path, keys);
        type = vg_yaml_get(node, "type");
        vg_key_path_join(sub, sizeof sub, path, "type");
    } else {
        snprintf(sub, sizeof sub, "%s", path);
    }
    if (rc == 0 && type &&
        (rc = vg_jp_choice(p, type, sub, types, &index)) == 0)
        t->kind = (vg_transition_kind)index;
    if (rc == 0 && node->kind == VG_YAML_MAPPING)
        rc = vg_jp_length(p, node, path, &t->frames);
    const vg_yaml_node *easing = vg_yaml_get(node, "easing");
    vg_key_path_join(sub, sizeof sub, path, "easing");
    if (rc == 0 && easing)
        rc = vg_jp_easing(p, easing, sub, &t->easing);
    const vg_yaml_node *from = vg_yaml_get(node, "from");
    vg_key_path_join(sub, sizeof sub, path, "from");
    if (rc == 0 && from && t->kind != VG_TRANSITION_WIPE)
        rc = vg_yaml_fail(&p->doc, from, sub, "from goes with a wipe");
    if (rc == 0 && from &&
        (rc = vg_jp_choice(p, from, sub, sides, &index)) == 0)
        t->from_right = index == 1;
    if (rc != 0)
        return rc;
    if (t->kind == VG_TRANSITION_CUT) {
        t->frames = 0;
    } else if (t->frames == 0) {
        double n = DEFAULT_TRANSITION_SECONDS * p->fps_num / p->fps_den;
        t->frames = n < 1.0 ? 1 : (uint32_t)(n + 0.5);
    }
    return 0;
}

int vg_job_parse_clip(vg_job_parser *p, const vg_yaml_node *node,
                      const char *path, size_t index, vg_clip *clip)
{
    static const char *const keys[] = {
        "pattern",    "image",      "video",  "color", "loop",
        "duration",   "frames",     "camera", "blur",  "fit",
        "background", "transition", NULL};
    static const char *const fits[] = {"cover", "contain", NULL};
    int rc = vg_yaml_check_keys(&p->doc, node, path, keys);
    if (rc == 0)
        rc = parse_source(p, node, path, clip);
    if (rc == 0)
        rc = check_source_keys(p, node, path, clip);
    if (rc == 0)
        rc = vg_jp_length(p, node, path, &clip->frames);
    if (rc != 0)
        return rc;
    clip->fit = VG_FIT_COVER;
    clip->background = 0x000000ffu;
    char sub[VG_KEY_PATH_MAX];
    const vg_yaml_node *v = NULL;
    int choice = 0;
#define CLIP_KEY(name, parse)                                                  \
    if (rc == 0 && (v = vg_yaml_get(node, name))) {                            \
        vg_key_path_join(sub, sizeof sub, path, name);                         \
        rc = (parse);                                                          \
    }
    CLIP_KEY("color", vg_jp_color(p, v, sub, &clip->rgba))
    CLIP_KEY("loop", vg_jp_bool(p, v, sub, &clip->loop))
    CLIP_KEY("camera", vg_job_parse_camera(p, v, sub, &clip->camera))
    CLIP_KEY("blur",
             vg_jp_number(p, v, sub, 0.0, VG_BLUR_MAX_SIGMA, &clip->blur_sigma))
    CLIP_KEY("fit", vg_jp_choice(p, v, sub, fits, &choice))
    if (rc == 0 && v)
        clip->fit = choice == 0 ? VG_FIT_COVER : VG_FIT_CONTAIN;
    CLIP_KEY("background", vg_jp_color(p, v, sub, &clip->background))
    CLIP_KEY("transition",
             index == 0 ? vg_yaml_fail(&p->doc, v, sub,
                                       "the first clip has no clip before it "
                                       "to come from")
                        : parse_transition(p, v, sub, &clip->transition))
#undef CLIP_KEY
    return rc;
}

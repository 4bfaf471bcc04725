/*
 * job_parse_clip.c - one clip of the timeline and the transition into it
 * (docs/jobs.md, "Clips" and "Transitions").  The keys of a kind of source
 * and of a transition are read by its own file, found in the registries
 * (source.h, transition.h); this file reads what every clip has.
 */
#include <stdio.h>
#include <string.h>

#include "job/job_parse.h"
#include "job/source.h"
#include "job/transition.h"

/* A transition written as a name alone lasts this long. */
#define DEFAULT_TRANSITION_SECONDS 1.0
/* A transition given as a mapping without `type`. */
#define DEFAULT_TRANSITION "crossfade"

/* Room for every key a clip or a transition may have: the registries' keys
 * and the common ones. */
#define KEYS_MAX 64

static const char *const clip_common_keys[] = {
    "duration", "frames",     "camera",     "blur",
    "fit",      "background", "transition", NULL};

static const char *const transition_common_keys[] = {"type", "duration",
                                                     "frames", "easing", NULL};

/* Append the NULL-terminated `names` to `keys` (`*count` used, KEYS_MAX
 * room, one kept for the terminating NULL). */
static bool append_keys(const char **keys, size_t *count,
                        const char *const *names)
{
    for (; *names; names++) {
        if (*count + 1 >= KEYS_MAX)
            return false;
        keys[(*count)++] = *names;
    }
    keys[*count] = NULL;
    return true;
}

/* Every key a clip may have, in the order messages list them: the kinds of
 * source, the keys of each kind, then the keys of every clip. */
static int clip_keys(vg_job_parser *p, const char **keys)
{
    size_t count = 0;
    bool fits = true;
    for (size_t k = 0; k < vg_source_kind_count() && fits; k++) {
        const char *key[] = {vg_source_kind_at(k)->key, NULL};
        fits = append_keys(keys, &count, key);
    }
    for (size_t k = 0; k < vg_source_kind_count() && fits; k++)
        fits = append_keys(keys, &count, vg_source_kind_at(k)->own_keys);
    if (fits && append_keys(keys, &count, clip_common_keys))
        return 0;
    return vg_yaml_fail(&p->doc, NULL, NULL,
                        "more clip keys than the parser has room for (%d)",
                        KEYS_MAX);
}

static int transition_keys(vg_job_parser *p, const char **keys)
{
    size_t count = 0;
    bool fits = append_keys(keys, &count, transition_common_keys);
    for (size_t k = 0; k < vg_transition_count() && fits; k++)
        fits = append_keys(keys, &count, vg_transition_at(k)->own_keys);
    if (fits)
        return 0;
    return vg_yaml_fail(&p->doc, NULL, NULL,
                        "more transition keys than the parser has room for "
                        "(%d)",
                        KEYS_MAX);
}

/* A key of another kind (or transition) than the one given: an error that
 * names what it goes with. */
static int foreign_key(vg_job_parser *p, const vg_yaml_node *node,
                       const char *path, const char *const *own_keys,
                       const char *owner, const char *what)
{
    for (; *own_keys; own_keys++) {
        const vg_yaml_node *value = vg_yaml_get(node, *own_keys);
        if (!value)
            continue;
        char sub[VG_KEY_PATH_MAX];
        vg_key_path_join(sub, sizeof sub, path, *own_keys);
        return vg_yaml_fail(&p->doc, value, sub, "%s goes with a %s%s",
                            *own_keys, owner, what);
    }
    return 0;
}

/* Exactly one source key; its kind reads it and its own keys. */
static int parse_source(vg_job_parser *p, const vg_yaml_node *node,
                        const char *path, vg_clip *clip)
{
    const vg_yaml_node *value = NULL;
    for (size_t k = 0; k < vg_source_kind_count(); k++) {
        const vg_source_ops *kind = vg_source_kind_at(k);
        const vg_yaml_node *v = vg_yaml_get(node, kind->key);
        if (!v)
            continue;
        if (clip->source) {
            char sub[VG_KEY_PATH_MAX];
            vg_key_path_join(sub, sizeof sub, path, kind->key);
            return vg_yaml_fail(&p->doc, v, sub,
                                "a clip has one source: %s is given too",
                                clip->source->key);
        }
        clip->source = kind;
        value = v;
    }
    if (!clip->source) {
        char names[256];
        vg_source_kind_names(names, sizeof names);
        return vg_yaml_fail(&p->doc, node, path, "a clip needs a source: %s",
                            names);
    }
    for (size_t k = 0; k < vg_source_kind_count(); k++) {
        const vg_source_ops *kind = vg_source_kind_at(k);
        int rc = kind == clip->source
                     ? 0
                     : foreign_key(p, node, path, kind->own_keys, kind->key,
                                   " source");
        if (rc != 0)
            return rc;
    }
    return clip->source->parse(p, node, value, path, clip);
}

/* The row named by `type` (a name alone, or the mapping's type:). */
static int transition_type(vg_job_parser *p, const vg_yaml_node *type,
                           const char *path, uint32_t *kind)
{
    const char *names[KEYS_MAX];
    size_t count = vg_transition_count();
    if (count + 1 > KEYS_MAX)
        return vg_yaml_fail(&p->doc, NULL, NULL,
                            "more transitions than the parser has room for "
                            "(%d)",
                            KEYS_MAX);
    for (size_t k = 0; k < count; k++)
        names[k] = vg_transition_at(k)->name;
    names[count] = NULL;
    int index = 0;
    int rc = vg_jp_choice(p, type, path, names, &index);
    if (rc == 0)
        *kind = (uint32_t)index;
    return rc;
}

static uint32_t transition_named(const char *name)
{
    for (size_t k = 0; k < vg_transition_count(); k++)
        if (strcmp(vg_transition_at(k)->name, name) == 0)
            return (uint32_t)k;
    return 0;
}

static int parse_transition(vg_job_parser *p, const vg_yaml_node *node,
                            const char *path, vg_transition *t)
{
    *t = (vg_transition){.kind = transition_named(DEFAULT_TRANSITION),
                         .easing = VG_EASE_LINEAR};
    const char *keys[KEYS_MAX];
    const vg_yaml_node *mapping = node->kind == VG_YAML_MAPPING ? node : NULL;
    int rc = 0;
    char sub[VG_KEY_PATH_MAX];
    const vg_yaml_node *type = node;
    if (mapping) {
        rc = transition_keys(p, keys);
        if (rc == 0)
            rc = vg_yaml_check_keys(&p->doc, node, path, keys);
        type = vg_yaml_get(node, "type");
        vg_key_path_join(sub, sizeof sub, path, "type");
    } else {
        snprintf(sub, sizeof sub, "%s", path);
    }
    if (rc == 0 && type)
        rc = transition_type(p, type, sub, &t->kind);
    if (rc == 0 && mapping)
        rc = vg_jp_length(p, node, path, &t->frames);
    const vg_yaml_node *easing = vg_yaml_get(node, "easing");
    vg_key_path_join(sub, sizeof sub, path, "easing");
    if (rc == 0 && easing)
        rc = vg_jp_easing(p, easing, sub, &t->easing);
    const vg_transition_ops *ops = vg_transition_at(t->kind);
    for (size_t k = 0; k < vg_transition_count() && rc == 0; k++) {
        const vg_transition_ops *other = vg_transition_at(k);
        if (other != ops)
            rc =
                foreign_key(p, mapping, path, other->own_keys, other->name, "");
    }
    if (rc != 0)
        return rc;
    if (t->frames == 0) {
        double n = DEFAULT_TRANSITION_SECONDS * p->fps_num / p->fps_den;
        t->frames = n < 1.0 ? 1 : (uint32_t)(n + 0.5);
    }
    return ops->parse(p, mapping, path, t);
}

int vg_job_parse_clip(vg_job_parser *p, const vg_yaml_node *node,
                      const char *path, size_t index, vg_clip *clip)
{
    static const char *const fits[] = {"cover", "contain", NULL};
    const char *keys[KEYS_MAX];
    int rc = clip_keys(p, keys);
    if (rc == 0)
        rc = vg_yaml_check_keys(&p->doc, node, path, keys);
    if (rc == 0)
        rc = parse_source(p, node, path, clip);
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

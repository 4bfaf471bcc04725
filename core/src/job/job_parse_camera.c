/*
 * job_parse_camera.c - a camera: `from`/`to` poses with one easing, or a
 * list of `keys` (docs/jobs.md, "Camera").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job_parse.h"

static const vg_camera_pose default_pose = {
    .zoom = 1.0, .x = 0.5, .y = 0.5, .rotate = 0.0};

/* The pose keys of a mapping, over `pose` (so unset keys keep its value). */
static int parse_pose(vg_job_parser *p, const vg_yaml_node *node,
                      const char *path, vg_camera_pose *pose)
{
    static const struct {
        const char *key;
        double min, max;
        size_t offset;
    } fields[] = {
        {"zoom", 0.01, 100.0, offsetof(vg_camera_pose, zoom)},
        {"x", 0.0, 1.0, offsetof(vg_camera_pose, x)},
        {"y", 0.0, 1.0, offsetof(vg_camera_pose, y)},
        {"rotate", -3600.0, 3600.0, offsetof(vg_camera_pose, rotate)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const vg_yaml_node *value = vg_yaml_get(node, fields[i].key);
        if (!value)
            continue;
        char sub[VG_KEY_PATH_MAX];
        vg_key_path_join(sub, sizeof sub, path, fields[i].key);
        int rc = vg_jp_number(p, value, sub, fields[i].min, fields[i].max,
                              (double *)((char *)pose + fields[i].offset));
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* `at`: seconds from the start (a number) or a share of the length
 * ("50%"). */
static int parse_at(vg_job_parser *p, const vg_yaml_node *node,
                    const char *path, vg_camera_key *key)
{
    size_t len = node->kind == VG_YAML_SCALAR ? strlen(node->text) : 0;
    if (len > 1 && node->text[len - 1] == '%') {
        vg_yaml_node number = *node;
        char text[64];
        snprintf(text, sizeof text, "%.*s", (int)(len - 1), node->text);
        number.text = text;
        double percent;
        if (len >= sizeof text ||
            vg_jp_number(p, &number, path, 0.0, 100.0, &percent) != 0)
            return vg_yaml_expected(&p->doc, node, path,
                                    "seconds (1.5) or a percentage (\"50%\")");
        key->at_is_fraction = true;
        key->at = percent / 100.0;
        return 0;
    }
    key->at_is_fraction = false;
    if (vg_jp_number(p, node, path, 0.0, 1000000.0, &key->at) != 0)
        return vg_yaml_expected(&p->doc, node, path,
                                "seconds (1.5) or a percentage (\"50%\")");
    return 0;
}

static int parse_keys(vg_job_parser *p, const vg_yaml_node *node,
                      const char *path, vg_camera *camera)
{
    static const char *const key_keys[] = {"at",     "zoom",   "x", "y",
                                           "rotate", "easing", NULL};
    if (node->kind != VG_YAML_SEQUENCE || node->child_count == 0)
        return vg_yaml_expected(&p->doc, node, path, "a list of camera keys");
    camera->keys = calloc(node->child_count, sizeof *camera->keys);
    if (!camera->keys)
        return vg_yaml_no_memory(&p->doc);
    vg_camera_pose pose = default_pose;
    for (size_t i = 0; i < node->child_count; i++) {
        const vg_yaml_node *item = node->children[i];
        vg_camera_key *key = &camera->keys[i];
        char item_path[VG_KEY_PATH_MAX], sub[VG_KEY_PATH_MAX];
        vg_jp_item_path(item_path, sizeof item_path, path, i);
        int rc = vg_yaml_check_keys(&p->doc, item, item_path, key_keys);
        const vg_yaml_node *at = vg_yaml_get(item, "at");
        if (rc == 0 && !at)
            rc = vg_yaml_fail(&p->doc, item, item_path,
                              "a camera key needs 'at'");
        vg_key_path_join(sub, sizeof sub, item_path, "at");
        if (rc == 0)
            rc = parse_at(p, at, sub, key);
        /* A key leaves out what does not change since the one before. */
        if (rc == 0)
            rc = parse_pose(p, item, item_path, &pose);
        key->pose = pose;
        key->easing = VG_EASE_LINEAR;
        const vg_yaml_node *easing = vg_yaml_get(item, "easing");
        vg_key_path_join(sub, sizeof sub, item_path, "easing");
        if (rc == 0 && easing)
            rc = vg_jp_easing(p, easing, sub, &key->easing);
        if (rc != 0)
            return rc;
        camera->key_count++;
    }
    return 0;
}

int vg_job_parse_camera(vg_job_parser *p, const vg_yaml_node *node,
                        const char *path, vg_camera *camera)
{
    static const char *const camera_keys[] = {"from", "to", "easing", "keys",
                                              NULL};
    static const char *const pose_keys[] = {"zoom", "x", "y", "rotate", NULL};
    int rc = vg_yaml_check_keys(&p->doc, node, path, camera_keys);
    if (rc != 0)
        return rc;
    const vg_yaml_node *from = vg_yaml_get(node, "from");
    const vg_yaml_node *to = vg_yaml_get(node, "to");
    const vg_yaml_node *easing = vg_yaml_get(node, "easing");
    const vg_yaml_node *keys = vg_yaml_get(node, "keys");
    char sub[VG_KEY_PATH_MAX];
    if (keys) {
        vg_key_path_join(sub, sizeof sub, path, "keys");
        if (from || to || easing)
            return vg_yaml_fail(&p->doc, keys, sub,
                                "give keys, or from/to/easing, not both");
        return parse_keys(p, keys, sub, camera);
    }
    if (!from && !to)
        return vg_yaml_fail(&p->doc, node, path,
                            "a camera needs from/to or keys");
    camera->keys = calloc(2, sizeof *camera->keys);
    if (!camera->keys)
        return vg_yaml_no_memory(&p->doc);
    camera->key_count = 2;
    /* from/to are keys at the first and the last frame. */
    camera->keys[0] = (vg_camera_key){.at = 0.0,
                                      .at_is_fraction = true,
                                      .pose = default_pose,
                                      .easing = VG_EASE_LINEAR};
    camera->keys[1] = camera->keys[0];
    camera->keys[1].at = 1.0;
    vg_key_path_join(sub, sizeof sub, path, "from");
    if (from && (rc = vg_yaml_check_keys(&p->doc, from, sub, pose_keys)) == 0)
        rc = parse_pose(p, from, sub, &camera->keys[0].pose);
    /* `to` starts from `from`: only what moves need be written. */
    camera->keys[1].pose = camera->keys[0].pose;
    vg_key_path_join(sub, sizeof sub, path, "to");
    if (rc == 0 && to &&
        (rc = vg_yaml_check_keys(&p->doc, to, sub, pose_keys)) == 0)
        rc = parse_pose(p, to, sub, &camera->keys[1].pose);
    vg_key_path_join(sub, sizeof sub, path, "easing");
    if (rc == 0 && easing)
        rc = vg_jp_easing(p, easing, sub, &camera->keys[0].easing);
    return rc;
}

int vg_job_resolve_camera(vg_job_parser *p, const vg_yaml_node *node,
                          const char *path, vg_camera *camera, uint32_t length)
{
    const vg_yaml_node *keys = vg_yaml_get(node, "keys");
    for (size_t i = 0; i < camera->key_count; i++) {
        vg_camera_key *key = &camera->keys[i];
        /* A share runs from the first frame (0) to the last (length - 1),
         * so from/to land exactly on the ends. */
        key->position = key->at_is_fraction ? key->at * (double)(length - 1)
                                            : key->at * p->fps_num / p->fps_den;
        if (!keys)
            continue;
        const vg_yaml_node *at = vg_yaml_get(keys->children[i], "at");
        char list[VG_KEY_PATH_MAX], item[VG_KEY_PATH_MAX];
        char sub[VG_KEY_PATH_MAX];
        vg_key_path_join(list, sizeof list, path, "keys");
        vg_jp_item_path(item, sizeof item, list, i);
        vg_key_path_join(sub, sizeof sub, item, "at");
        if (key->position > (double)length)
            return vg_yaml_fail(&p->doc, at, sub,
                                "key at frame %.1f is after the end (%u "
                                "frames)",
                                key->position, length);
        if (i > 0 && key->position < camera->keys[i - 1].position)
            return vg_yaml_fail(&p->doc, at, sub,
                                "keys must be in time order: this one comes "
                                "before the key ahead of it");
    }
    return 0;
}

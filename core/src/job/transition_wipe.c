/*
 * transition_wipe.c - `type: wipe`: the new clip sweeps across the old
 * one, from the left edge or (`from: right`) the right (docs/jobs.md,
 * "Transitions").  vg_transition.setting is 1 when it enters from the
 * right.
 */
#include <math.h>

#include "job/transition.h"

const char *const vg_transition_wipe_keys[] = {"from", NULL};

int vg_transition_wipe_parse(vg_job_parser *p, const vg_yaml_node *node,
                             const char *path, vg_transition *t)
{
    static const char *const sides[] = {"left", "right", NULL};
    const vg_yaml_node *from = vg_yaml_get(node, "from");
    if (!from)
        return 0;
    char sub[VG_KEY_PATH_MAX];
    vg_key_path_join(sub, sizeof sub, path, "from");
    int side = 0;
    int rc = vg_jp_choice(p, from, sub, sides, &side);
    if (rc == 0)
        t->setting = side == 1;
    return rc;
}

void vg_transition_wipe_blend(const vg_transition *t, double progress,
                              int32_t width, vg_blend_params *out,
                              bool *swap_inputs)
{
    /* Columns left of `position` show the blend's second input: the new
     * clip sweeps in from the left, or, with the inputs swapped, the old
     * one recedes to the left while the new one comes from the right. */
    bool from_right = t->setting == 1;
    int32_t covered = (int32_t)lround(progress * width);
    *out =
        (vg_blend_params){.mode = VG_BLEND_WIPE,
                          .position = from_right ? width - covered : covered};
    *swap_inputs = from_right;
}

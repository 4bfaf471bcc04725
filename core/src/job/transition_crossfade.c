/*
 * transition_crossfade.c - `type: crossfade`: the new clip fades in over
 * the old one, weight round(eased progress * 256) (docs/jobs.md,
 * "Transitions").
 */
#include "job/transition.h"

const char *const vg_transition_crossfade_keys[] = {NULL};

int vg_transition_crossfade_parse(vg_job_parser *p, const vg_yaml_node *node,
                                  const char *path, vg_transition *t)
{
    (void)p;
    (void)node;
    (void)path;
    (void)t;
    return 0;
}

void vg_transition_crossfade_blend(const vg_transition *t, double progress,
                                   int32_t width, vg_blend_params *out,
                                   bool *swap_inputs)
{
    (void)t;
    (void)width;
    *out = (vg_blend_params){.mode = VG_BLEND_CROSSFADE,
                             .weight = vg_crossfade_weight(progress)};
    *swap_inputs = false;
}

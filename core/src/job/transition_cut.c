/*
 * transition_cut.c - `type: cut`: no transition, the clip simply follows
 * the one before it (docs/jobs.md, "Transitions").
 */
#include "job/transition.h"

const char *const vg_transition_cut_keys[] = {NULL};

int vg_transition_cut_parse(vg_job_parser *p, const vg_yaml_node *node,
                            const char *path, vg_transition *t)
{
    (void)p;
    (void)node;
    (void)path;
    /* A length may be written (and is checked like any other), but a cut
     * lasts no frames: the clips do not overlap. */
    t->frames = 0;
    return 0;
}

/* Never asked for, as a cut has no frames; were it, the new clip shows. */
void vg_transition_cut_blend(const vg_transition *t, double progress,
                             int32_t width, vg_blend_params *out,
                             bool *swap_inputs)
{
    (void)t;
    (void)progress;
    (void)width;
    *out = (vg_blend_params){.mode = VG_BLEND_CROSSFADE,
                             .weight = vg_crossfade_weight(1.0)};
    *swap_inputs = false;
}

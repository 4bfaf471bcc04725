/*
 * transition_registry.c - the table of transitions, built from
 * VG_TRANSITIONS (transition.h).
 */
#include "job/transition.h"

#define VG_TRANSITION_ROW(id)                                                  \
    {.name = #id,                                                              \
     .own_keys = vg_transition_##id##_keys,                                    \
     .parse = vg_transition_##id##_parse,                                      \
     .blend = vg_transition_##id##_blend},

static const vg_transition_ops transitions[] = {
    VG_TRANSITIONS(VG_TRANSITION_ROW)};

#define TRANSITION_COUNT (sizeof transitions / sizeof transitions[0])

size_t vg_transition_count(void)
{
    return TRANSITION_COUNT;
}

const vg_transition_ops *vg_transition_at(size_t index)
{
    return index < TRANSITION_COUNT ? &transitions[index] : NULL;
}

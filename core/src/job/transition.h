/*
 * transition.h - the registry of transitions (internal to libvg).
 *
 * A transition (cut, crossfade, wipe) is one file, transition_NAME.c, with
 * the keys only it reads and its blend; VG_TRANSITIONS below is the one
 * list of them.  It declares each one's functions and builds the table
 * (transition_registry.c) that the clip parser and the renderer look
 * transitions up in, by vg_transition.kind, the row's index.
 */
#ifndef VG_JOB_TRANSITION_H
#define VG_JOB_TRANSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "job/job_parse.h"
#include "vg/backend.h"

/*
 * X(name): one row per transition, `name` its `type:` (a C name).  The
 * first row is the cut: a zeroed vg_transition, like the first clip's, is
 * no transition.  Rows are only appended: the index is hashed into job
 * fingerprints.
 */
#define VG_TRANSITIONS(X)                                                      \
    X(cut)                                                                     \
    X(crossfade)                                                               \
    X(wipe)

#define VG_TRANSITION_DECLARE(name)                                            \
    /* The transition keys only it reads, NULL-terminated. */                  \
    extern const char *const vg_transition_##name##_keys[];                    \
    /* Called with the common keys read (t->frames already 1 s when no         \
     * length is given); `node` is the mapping, or NULL when the transition    \
     * is given by name alone.  Reads its own keys into t->setting. */         \
    int vg_transition_##name##_parse(vg_job_parser *p,                         \
                                     const vg_yaml_node *node,                 \
                                     const char *path, vg_transition *t);      \
    /* The blend at eased `progress` in (0, 1] on a `width`-wide output;       \
     * *swap_inputs when the new clip is to be the blend's first input. */     \
    void vg_transition_##name##_blend(const vg_transition *t, double progress, \
                                      int32_t width, vg_blend_params *out,     \
                                      bool *swap_inputs);
VG_TRANSITIONS(VG_TRANSITION_DECLARE)

typedef struct vg_transition_ops {
    const char *name;
    const char *const *own_keys;
    int (*parse)(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 vg_transition *t);
    void (*blend)(const vg_transition *t, double progress, int32_t width,
                  vg_blend_params *out, bool *swap_inputs);
} vg_transition_ops;

/* The transitions, in VG_TRANSITIONS order (index = vg_transition.kind). */
size_t vg_transition_count(void);
const vg_transition_ops *vg_transition_at(size_t index);

#endif /* VG_JOB_TRANSITION_H */

/*
 * source_pattern.c - `pattern:`, a source generated at the output's size
 * for each frame of the clip (testsrc, bars, checker, solid; docs/jobs.md,
 * "Clips").  `color` sets the colour of checker and solid.
 */
#include <stdlib.h>

#include "job/source.h"

typedef struct pattern_state {
    vg_pattern_kind pattern;
    uint32_t rgba; /* colour of solid and checker */
} pattern_state;

const char *const vg_source_pattern_keys[] = {"color", NULL};

int vg_source_pattern_parse(vg_job_parser *p, const vg_yaml_node *node,
                            const vg_yaml_node *value, const char *path,
                            vg_clip *clip)
{
    static const char *const names[] = {"testsrc", "bars", "checker", "solid",
                                        NULL};
    static const vg_pattern_kind patterns[] = {
        VG_PATTERN_TESTSRC, VG_PATTERN_BARS, VG_PATTERN_CHECKER,
        VG_PATTERN_SOLID};
    pattern_state *s = calloc(1, sizeof *s);
    if (!s)
        return vg_yaml_no_memory(&p->doc);
    clip->source_state = s;
    char sub[VG_KEY_PATH_MAX];
    vg_key_path_join(sub, sizeof sub, path, "pattern");
    int index;
    int rc = vg_jp_choice(p, value, sub, names, &index);
    if (rc != 0)
        return rc;
    s->pattern = patterns[index];
    /* White squares on black for checker; black for solid. */
    s->rgba = s->pattern == VG_PATTERN_CHECKER ? 0xffffffffu : 0x000000ffu;
    const vg_yaml_node *color = vg_yaml_get(node, "color");
    vg_key_path_join(sub, sizeof sub, path, "color");
    return color ? vg_jp_color(p, color, sub, &s->rgba) : 0;
}

int vg_source_pattern_open(vg_clip *clip, const vg_limits *limits,
                           char *problem, size_t size)
{
    (void)clip;
    (void)limits;
    (void)problem;
    (void)size;
    return 0; /* nothing to open */
}

void vg_source_pattern_size(const vg_clip *clip, const vg_job *job,
                            int32_t *width, int32_t *height)
{
    (void)clip;
    *width = job->info.width;
    *height = job->info.height;
}

/* Drawn into the renderer's own frames, counted by the job's estimate. */
uint64_t vg_source_pattern_memory(const vg_clip *clip, int32_t width,
                                  int32_t height)
{
    (void)clip;
    (void)width;
    (void)height;
    return 0;
}

int vg_source_pattern_fingerprint(const vg_clip *clip, vg_hasher *s, char *err,
                                  size_t err_size)
{
    (void)err;
    (void)err_size;
    const pattern_state *state = clip->source_state;
    vg_hash_u32(s, (uint32_t)state->pattern);
    vg_hash_u32(s, state->rgba);
    return 0;
}

int vg_source_pattern_upload(const vg_clip *clip, const vg_job *job,
                             vg_backend *backend, void **uploaded)
{
    (void)clip;
    (void)job;
    (void)backend;
    *uploaded = NULL;
    return 0;
}

/* The pattern animates with the clip's own frame number. */
int vg_source_pattern_frame(const vg_clip *clip, void *uploaded,
                            const vg_source_frame_ctx *ctx, uint32_t local,
                            const vg_backend_frame **out)
{
    (void)uploaded;
    const pattern_state *state = clip->source_state;
    vg_pattern_params p = {
        .kind = state->pattern, .frame_index = local, .rgba = state->rgba};
    *out = ctx->canvas;
    return vg_backend_fill_pattern(ctx->backend, ctx->canvas, &p);
}

void vg_source_pattern_release(vg_backend *backend, void **uploaded)
{
    (void)backend;
    *uploaded = NULL;
}

void vg_source_pattern_destroy(void *state)
{
    free(state);
}

/*
 * source_image.c - `image:`, a PNG or JPEG picture, decoded once when the
 * job is loaded (so a corrupt one is reported then, with its place in the
 * job file) and uploaded once to each backend (docs/jobs.md, "Pictures").
 */
#include <stdlib.h>

#include "job/source.h"
#include "vg/image.h"
#include "vg/image_io.h"

const char *const vg_source_image_keys[] = {NULL};

int vg_source_image_parse(vg_job_parser *p, const vg_yaml_node *node,
                          const vg_yaml_node *value, const char *path,
                          vg_clip *clip)
{
    (void)node;
    vg_image *image = calloc(1, sizeof *image);
    if (!image)
        return vg_yaml_no_memory(&p->doc);
    clip->source_state = image;
    char sub[VG_KEY_PATH_MAX];
    vg_key_path_join(sub, sizeof sub, path, "image");
    clip->line = value->line;
    clip->column = value->column;
    return vg_jp_file(p, value, sub, &clip->path);
}

/* Checked against `limits` from its header, before its pixels cost
 * anything. */
int vg_source_image_open(vg_clip *clip, const vg_limits *limits, char *problem,
                         size_t size)
{
    return vg_image_read_limited(clip->path, limits, clip->source_state,
                                 problem, size);
}

void vg_source_image_size(const vg_clip *clip, const vg_job *job,
                          int32_t *width, int32_t *height)
{
    (void)job;
    const vg_image *image = clip->source_state;
    *width = image->width;
    *height = image->height;
}

/* The decoded picture and the backend's copy. */
uint64_t vg_source_image_memory(const vg_clip *clip, int32_t width,
                                int32_t height)
{
    (void)clip;
    return 2 * vg_rgba_bytes(width, height);
}

int vg_source_image_fingerprint(const vg_clip *clip, vg_hasher *s, char *err,
                                size_t err_size)
{
    (void)err;
    (void)err_size;
    vg_hash_image(s, clip->source_state);
    return 0;
}

int vg_source_image_upload(const vg_clip *clip, const vg_job *job,
                           vg_backend *backend, void **uploaded)
{
    (void)job;
    const vg_image *image = clip->source_state;
    vg_backend_frame *picture = NULL;
    int rc = vg_backend_frame_alloc(backend, VG_FORMAT_RGBA8, image->width,
                                    image->height, &picture);
    *uploaded = picture;
    return rc != 0 ? rc : vg_backend_upload(backend, picture, image);
}

int vg_source_image_frame(const vg_clip *clip, void *uploaded,
                          const vg_source_frame_ctx *ctx, uint32_t local,
                          const vg_backend_frame **out)
{
    (void)clip;
    (void)ctx;
    (void)local;
    *out = uploaded;
    return 0;
}

void vg_source_image_release(vg_backend *backend, void **uploaded)
{
    vg_backend_frame *picture = *uploaded;
    vg_backend_frame_free(backend, &picture);
    *uploaded = NULL;
}

void vg_source_image_destroy(void *state)
{
    if (!state)
        return;
    vg_image_free(state);
    free(state);
}

/*
 * source_video.c - `video:`, a Y4M file whose frame k is frame k of the
 * clip (the job's rate rules); past its end the last frame holds, or with
 * `loop: true` the file starts again (docs/jobs.md, "Videos").  The header
 * is checked when the job is loaded; frames are read as they are needed,
 * each straight from its offset, so a frame stays a function of its
 * number.
 */
#include <stdio.h>
#include <stdlib.h>

#include "io/y4m_read.h"
#include "job/source.h"
#include "vg/image.h"

typedef struct video_state {
    vg_y4m_reader *reader; /* open, header checked */
    bool loop;             /* loop instead of holding the last frame */
} video_state;

/* On a backend: each frame in flight reads into its own I420 and RGBA
 * frames, so frame N + 1's upload never overwrites what frame N's kernels
 * still read. */
typedef struct video_frames {
    vg_backend_frame *yuv[VG_RENDER_DEPTH];
    vg_backend_frame *rgba[VG_RENDER_DEPTH];
    vg_image host; /* the read buffer */
    vg_color_params color;
} video_frames;

const char *const vg_source_video_keys[] = {"loop", NULL};

int vg_source_video_parse(vg_job_parser *p, const vg_yaml_node *node,
                          const vg_yaml_node *value, const char *path,
                          vg_clip *clip)
{
    video_state *s = calloc(1, sizeof *s);
    if (!s)
        return vg_yaml_no_memory(&p->doc);
    clip->source_state = s;
    char sub[VG_KEY_PATH_MAX];
    vg_key_path_join(sub, sizeof sub, path, "video");
    clip->line = value->line;
    clip->column = value->column;
    int rc = vg_jp_file(p, value, sub, &clip->path);
    const vg_yaml_node *loop = vg_yaml_get(node, "loop");
    vg_key_path_join(sub, sizeof sub, path, "loop");
    if (rc == 0 && loop)
        rc = vg_jp_bool(p, loop, sub, &s->loop);
    return rc;
}

/* Checked against the picture limit from its header; an unknown layout is
 * refused, never guessed at. */
int vg_source_video_open(vg_clip *clip, const vg_limits *limits, char *problem,
                         size_t size)
{
    video_state *s = clip->source_state;
    return vg_y4m_reader_open(clip->path, limits->max_picture_pixels,
                              &s->reader, problem, size);
}

void vg_source_video_size(const vg_clip *clip, const vg_job *job,
                          int32_t *width, int32_t *height)
{
    (void)job;
    const video_state *s = clip->source_state;
    *width = vg_y4m_reader_width(s->reader);
    *height = vg_y4m_reader_height(s->reader);
}

/* The host read buffer, the backend's I420 and RGBA frames. */
uint64_t vg_source_video_memory(const vg_clip *clip, int32_t width,
                                int32_t height)
{
    (void)clip;
    return 2 * vg_i420_bytes(width, height) + vg_rgba_bytes(width, height);
}

/* Its shape and its first and last frames.  Hashing every frame would make
 * each farm task read the whole input; the ends catch a replaced or re-cut
 * file, which is the mistake a farm makes. */
int vg_source_video_fingerprint(const vg_clip *clip, vg_hasher *s, char *err,
                                size_t err_size)
{
    const video_state *state = clip->source_state;
    const vg_y4m_reader *video = state->reader;
    vg_hash_u32(s, state->loop);
    int32_t w = vg_y4m_reader_width(video), h = vg_y4m_reader_height(video);
    uint32_t count = vg_y4m_reader_frame_count(video);
    vg_hash_i32(s, w);
    vg_hash_i32(s, h);
    vg_hash_u32(s, (uint32_t)vg_y4m_reader_range(video));
    vg_hash_u32(s, count);
    if (count == 0)
        return 0;
    vg_image frame;
    if (vg_image_alloc(VG_FORMAT_I420, w, h, &frame) != 0) {
        snprintf(err, err_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    uint32_t ends[2] = {0, count - 1};
    int rc = 0;
    for (int i = 0; i < 2 && rc == 0; i++) {
        rc = vg_y4m_reader_read(video, ends[i], &frame, err, err_size);
        if (rc == 0)
            vg_hash_image(s, &frame);
    }
    vg_image_free(&frame);
    return rc;
}

int vg_source_video_upload(const vg_clip *clip, const vg_job *job,
                           vg_backend *backend, void **uploaded)
{
    const video_state *s = clip->source_state;
    video_frames *f = calloc(1, sizeof *f);
    *uploaded = f;
    if (!f)
        return VG_ERR_NO_MEMORY;
    int32_t w = vg_y4m_reader_width(s->reader);
    int32_t h = vg_y4m_reader_height(s->reader);
    int rc = vg_color_params_init(job->info.matrix,
                                  vg_y4m_reader_range(s->reader), &f->color);
    for (int k = 0; k < VG_RENDER_DEPTH && rc == 0; k++) {
        rc = vg_backend_frame_alloc(backend, VG_FORMAT_I420, w, h, &f->yuv[k]);
        if (rc == 0)
            rc = vg_backend_frame_alloc(backend, VG_FORMAT_RGBA8, w, h,
                                        &f->rgba[k]);
    }
    if (rc == 0 && vg_image_alloc(VG_FORMAT_I420, w, h, &f->host) != 0)
        rc = VG_ERR_NO_MEMORY;
    return rc;
}

int vg_source_video_frame(const vg_clip *clip, void *uploaded,
                          const vg_source_frame_ctx *ctx, uint32_t local,
                          const vg_backend_frame **out)
{
    const video_state *s = clip->source_state;
    video_frames *f = uploaded;
    uint32_t n = vg_y4m_reader_frame_count(s->reader);
    uint32_t k = s->loop ? local % n : (local < n ? local : n - 1);
    int rc =
        vg_y4m_reader_read(s->reader, k, &f->host, ctx->error, ctx->error_size);
    if (rc != 0) {
        *ctx->input_failed = true;
        return rc;
    }
    rc = vg_backend_upload(ctx->backend, f->yuv[ctx->set], &f->host);
    if (rc == 0)
        rc = vg_backend_i420_to_rgba(ctx->backend, f->rgba[ctx->set],
                                     f->yuv[ctx->set], &f->color);
    *out = f->rgba[ctx->set];
    return rc;
}

void vg_source_video_release(vg_backend *backend, void **uploaded)
{
    video_frames *f = *uploaded;
    if (!f)
        return;
    for (int k = 0; k < VG_RENDER_DEPTH; k++) {
        vg_backend_frame_free(backend, &f->yuv[k]);
        vg_backend_frame_free(backend, &f->rgba[k]);
    }
    vg_image_free(&f->host);
    free(f);
    *uploaded = NULL;
}

void vg_source_video_destroy(void *state)
{
    video_state *s = state;
    if (!s)
        return;
    vg_y4m_reader_close(&s->reader);
    free(s);
}

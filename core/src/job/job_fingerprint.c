/*
 * job_fingerprint.c - the hash that names a job's bytes (vg/piece.h).
 *
 * The hash is taken over the parsed model, field by field in a fixed
 * little-endian encoding, not over the YAML text: comments, key order, the
 * job file's path or an input's path do not change a frame, so they must
 * not change the fingerprint either.  Input files are hashed by content
 * (decoded pixels), for the same reason.  A field added to the model that
 * can change a frame must be added here too: pieces of jobs differing only
 * in it would otherwise be joined.
 */
#include <stdio.h>
#include <string.h>

#include "job/job_internal.h"
#include "vg/image.h"
#include "vg/piece.h"
#include "vg/version.h"

/* FNV-1a, 64-bit (the offset basis and prime of the published FNV
 * definition).  Not cryptographic: it tells jobs apart, it does not resist
 * someone forging a piece. */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

/* Bumped when the encoding below changes, so old and new pieces differ. */
#define FINGERPRINT_FORMAT "vg-job-fingerprint-1"

typedef struct hasher {
    uint64_t h;
} hasher;

static void put_bytes(hasher *s, const void *data, size_t size)
{
    const uint8_t *p = data;
    uint64_t h = s->h;
    for (size_t i = 0; i < size; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    s->h = h;
}

static void put_u64(hasher *s, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    put_bytes(s, b, sizeof b);
}

static void put_u32(hasher *s, uint32_t v)
{
    put_u64(s, v);
}

static void put_i32(hasher *s, int32_t v)
{
    put_u64(s, (uint64_t)(int64_t)v);
}

static void put_double(hasher *s, double v)
{
    uint64_t bits;
    if (v == 0)
        v = 0; /* -0.0 and 0.0 render alike */
    memcpy(&bits, &v, sizeof bits);
    put_u64(s, bits);
}

static void put_string(hasher *s, const char *text)
{
    size_t n = strlen(text);
    put_u64(s, n);
    put_bytes(s, text, n);
}

/* The visible pixels of every plane, row by row: strides and padding are
 * not part of the picture. */
static void put_image(hasher *s, const vg_image *img)
{
    put_u32(s, (uint32_t)img->format);
    put_i32(s, img->width);
    put_i32(s, img->height);
    int planes = img->format == VG_FORMAT_I420 ? 3 : 1;
    for (int p = 0; p < planes; p++) {
        int32_t pw, ph;
        vg_plane_size(img->format, img->width, img->height, p, &pw, &ph);
        size_t row = (size_t)pw * (img->format == VG_FORMAT_I420 ? 1 : 4);
        for (int32_t y = 0; y < ph; y++)
            put_bytes(s, img->data[p] + (size_t)y * (size_t)img->stride[p],
                      row);
    }
}

static void put_camera(hasher *s, const vg_camera *camera)
{
    put_u64(s, camera->key_count);
    for (size_t i = 0; i < camera->key_count; i++) {
        const vg_camera_key *k = &camera->keys[i];
        put_double(s, k->at);
        put_u32(s, k->at_is_fraction);
        put_double(s, k->position);
        put_double(s, k->pose.zoom);
        put_double(s, k->pose.x);
        put_double(s, k->pose.y);
        put_double(s, k->pose.rotate);
        put_u32(s, (uint32_t)k->easing);
    }
}

/* A video input: its shape and its first and last frames.  Hashing every
 * frame would make each farm task read the whole input; the ends catch a
 * replaced or re-cut file, which is the mistake a farm makes. */
static int put_video(hasher *s, const vg_y4m_reader *video, char *err,
                     size_t err_size)
{
    int32_t w = vg_y4m_reader_width(video), h = vg_y4m_reader_height(video);
    uint32_t count = vg_y4m_reader_frame_count(video);
    put_i32(s, w);
    put_i32(s, h);
    put_u32(s, (uint32_t)vg_y4m_reader_range(video));
    put_u32(s, count);
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
            put_image(s, &frame);
    }
    vg_image_free(&frame);
    return rc;
}

static int put_clip(hasher *s, const vg_clip *clip, char *err, size_t err_size)
{
    put_u32(s, (uint32_t)clip->kind);
    switch (clip->kind) {
    case VG_SOURCE_PATTERN:
        put_u32(s, (uint32_t)clip->pattern);
        put_u32(s, clip->rgba);
        break;
    case VG_SOURCE_IMAGE:
        put_image(s, &clip->image);
        break;
    case VG_SOURCE_VIDEO: {
        put_u32(s, clip->loop);
        int rc = put_video(s, clip->video, err, err_size);
        if (rc != 0)
            return rc;
        break;
    }
    }
    put_u32(s, clip->start);
    put_u32(s, clip->frames);
    put_camera(s, &clip->camera);
    put_u32(s, (uint32_t)clip->fit);
    put_u32(s, clip->background);
    put_double(s, clip->blur_sigma);
    put_u32(s, (uint32_t)clip->transition.kind);
    put_u32(s, clip->transition.frames);
    put_u32(s, (uint32_t)clip->transition.easing);
    put_u32(s, clip->transition.from_right);
    return 0;
}

int vg_job_fingerprint(const vg_job *job, uint64_t *out, char *err,
                       size_t err_size)
{
    hasher s = {FNV_OFFSET};
    put_string(&s, FINGERPRINT_FORMAT);
    put_string(&s, VG_VERSION_STRING);
    const vg_job_info *info = &job->info;
    put_i32(&s, info->width);
    put_i32(&s, info->height);
    put_u32(&s, info->fps_num);
    put_u32(&s, info->fps_den);
    put_u32(&s, info->frame_count);
    put_u32(&s, (uint32_t)info->matrix);
    put_u32(&s, (uint32_t)info->range);
    put_u64(&s, job->clip_count);
    for (size_t i = 0; i < job->clip_count; i++) {
        int rc = put_clip(&s, &job->clips[i], err, err_size);
        if (rc != 0)
            return rc;
    }
    put_camera(&s, &job->camera);
    put_double(&s, job->blur_sigma);
    *out = s.h;
    return 0;
}

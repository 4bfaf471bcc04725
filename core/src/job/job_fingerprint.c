/*
 * job_fingerprint.c - the hash that names a job's bytes (vg/piece.h).
 *
 * The hash is taken over the parsed model, field by field in a fixed
 * little-endian encoding, not over the YAML text: comments, key order, the
 * job file's path or an input's path do not change a frame, so they must
 * not change the fingerprint either.  Input files are hashed by content
 * (decoded pixels), for the same reason: each kind of source hashes its
 * own part (its _fingerprint function, source.h).  A field added to the
 * model that can change a frame must be added here too (or to its kind's
 * part): pieces of jobs differing only in it would otherwise be joined.
 */
#include <stdio.h>
#include <string.h>

#include "job/job_hash.h"
#include "job/job_internal.h"
#include "job/source.h"
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

void vg_hash_bytes(vg_hasher *s, const void *data, size_t size)
{
    const uint8_t *p = data;
    uint64_t h = s->h;
    for (size_t i = 0; i < size; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    s->h = h;
}

void vg_hash_u64(vg_hasher *s, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    vg_hash_bytes(s, b, sizeof b);
}

void vg_hash_u32(vg_hasher *s, uint32_t v)
{
    vg_hash_u64(s, v);
}

void vg_hash_i32(vg_hasher *s, int32_t v)
{
    vg_hash_u64(s, (uint64_t)(int64_t)v);
}

void vg_hash_double(vg_hasher *s, double v)
{
    uint64_t bits;
    if (v == 0)
        v = 0; /* -0.0 and 0.0 render alike */
    memcpy(&bits, &v, sizeof bits);
    vg_hash_u64(s, bits);
}

void vg_hash_string(vg_hasher *s, const char *text)
{
    size_t n = strlen(text);
    vg_hash_u64(s, n);
    vg_hash_bytes(s, text, n);
}

void vg_hash_image(vg_hasher *s, const vg_image *img)
{
    vg_hash_u32(s, (uint32_t)img->format);
    vg_hash_i32(s, img->width);
    vg_hash_i32(s, img->height);
    int planes = img->format == VG_FORMAT_I420 ? 3 : 1;
    for (int p = 0; p < planes; p++) {
        int32_t pw, ph;
        vg_plane_size(img->format, img->width, img->height, p, &pw, &ph);
        size_t row = (size_t)pw * (img->format == VG_FORMAT_I420 ? 1 : 4);
        for (int32_t y = 0; y < ph; y++)
            vg_hash_bytes(s, img->data[p] + (size_t)y * (size_t)img->stride[p],
                          row);
    }
}

static void put_camera(vg_hasher *s, const vg_camera *camera)
{
    vg_hash_u64(s, camera->key_count);
    for (size_t i = 0; i < camera->key_count; i++) {
        const vg_camera_key *k = &camera->keys[i];
        vg_hash_double(s, k->at);
        vg_hash_u32(s, k->at_is_fraction);
        vg_hash_double(s, k->position);
        vg_hash_double(s, k->pose.zoom);
        vg_hash_double(s, k->pose.x);
        vg_hash_double(s, k->pose.y);
        vg_hash_double(s, k->pose.rotate);
        vg_hash_u32(s, (uint32_t)k->easing);
    }
}

static int put_clip(vg_hasher *s, const vg_clip *clip, char *err,
                    size_t err_size)
{
    /* The kind's number, then what the kind says changes a frame. */
    vg_hash_u32(s, vg_source_kind_number(clip->source));
    int rc = clip->source->fingerprint(clip, s, err, err_size);
    if (rc != 0)
        return rc;
    vg_hash_u32(s, clip->start);
    vg_hash_u32(s, clip->frames);
    put_camera(s, &clip->camera);
    vg_hash_u32(s, (uint32_t)clip->fit);
    vg_hash_u32(s, clip->background);
    vg_hash_double(s, clip->blur_sigma);
    vg_hash_u32(s, (uint32_t)clip->transition.kind);
    vg_hash_u32(s, clip->transition.frames);
    vg_hash_u32(s, (uint32_t)clip->transition.easing);
    vg_hash_u32(s, clip->transition.setting);
    return 0;
}

int vg_job_fingerprint(const vg_job *job, uint64_t *out, char *err,
                       size_t err_size)
{
    vg_hasher s = {FNV_OFFSET};
    vg_hash_string(&s, FINGERPRINT_FORMAT);
    vg_hash_string(&s, VG_VERSION_STRING);
    const vg_job_info *info = &job->info;
    vg_hash_i32(&s, info->width);
    vg_hash_i32(&s, info->height);
    vg_hash_u32(&s, info->fps_num);
    vg_hash_u32(&s, info->fps_den);
    vg_hash_u32(&s, info->frame_count);
    vg_hash_u32(&s, (uint32_t)info->matrix);
    vg_hash_u32(&s, (uint32_t)info->range);
    vg_hash_u64(&s, job->clip_count);
    for (size_t i = 0; i < job->clip_count; i++) {
        int rc = put_clip(&s, &job->clips[i], err, err_size);
        if (rc != 0)
            return rc;
    }
    put_camera(&s, &job->camera);
    vg_hash_double(&s, job->blur_sigma);
    *out = s.h;
    return 0;
}

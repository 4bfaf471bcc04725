/*
 * source.h - the registry of clip source kinds (internal to libvg).
 *
 * A kind of source (pattern:, image:, video:) is one file,
 * source_KIND.c, holding everything about it: its clip key and its own
 * keys, opening its input, its size, its memory and fingerprint, its
 * upload to a backend and its picture for each frame.  VG_SOURCE_KINDS
 * below is the one list of kinds: it declares each kind's functions and
 * builds the table (source_registry.c) that the parser, the input and
 * budget checks, the fingerprint and the renderer look kinds up in.  None
 * of them names a kind, so a new kind is a new file and a row here
 * (docs/contributing.md, "Add a clip type"); a function the file forgets
 * is a link error.
 */
#ifndef VG_JOB_SOURCE_H
#define VG_JOB_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "job/job_hash.h"
#include "job/job_parse.h"
#include "vg/backend.h"
#include "vg/image.h"

/*
 * X(key, generated): one row per kind, `key` its clip key (a C name).
 * `generated`: drawn each frame into an RGBA frame of the output's size
 * that the renderer lends it (no frames of its own, and no warp unless the
 * camera moves).  Rows are only appended: a kind's place in the list
 * (1 for the first) is hashed into job fingerprints.
 */
#define VG_SOURCE_KINDS(X)                                                     \
    X(pattern, true)                                                           \
    X(image, false)                                                            \
    X(video, false)

/* What a source's per-frame step works with. */
typedef struct vg_source_frame_ctx {
    vg_backend *backend;
    const vg_job *job;
    int set; /* the frame-in-flight set: 0 .. VG_RENDER_DEPTH - 1 */
    vg_backend_frame *canvas; /* generated kinds: output-sized RGBA */
    /* A failure of the input itself (a file unreadable since it was
     * opened) sets *input_failed and is described in `error`: another
     * backend would fail the same way, so it must not be blamed on this
     * one.  A backend call's failure is returned as it is. */
    bool *input_failed;
    char *error;
    size_t error_size;
} vg_source_frame_ctx;

/* A kind's functions, in the order a job uses them.  The kind's state
 * (parsed keys, decoded or open input) is clip->source_state, allocated
 * by parse and freed by destroy; what it puts on a backend is `uploaded`,
 * allocated by upload and freed by release. */
#define VG_SOURCE_DECLARE(key, generated)                                      \
    /* The clip keys only this kind reads, NULL-terminated. */                 \
    extern const char *const vg_source_##key##_keys[];                         \
    /* `value` is the source key's value, `path` the clip's key path; sets     \
     * clip->source_state, and clip->path, line and column for a file.  */     \
    int vg_source_##key##_parse(vg_job_parser *p, const vg_yaml_node *node,    \
                                const vg_yaml_node *value, const char *path,   \
                                vg_clip *clip);                                \
    /* Open and check the input against `limits` before any frame. */          \
    int vg_source_##key##_open(vg_clip *clip, const vg_limits *limits,         \
                               char *problem, size_t size);                    \
    void vg_source_##key##_size(const vg_clip *clip, const vg_job *job,        \
                                int32_t *width, int32_t *height);              \
    /* Bytes the kind holds on the host and allocates on a backend. */         \
    uint64_t vg_source_##key##_memory(const vg_clip *clip, int32_t width,      \
                                      int32_t height);                         \
    /* Everything of the kind that can change a frame. */                      \
    int vg_source_##key##_fingerprint(const vg_clip *clip, vg_hasher *s,       \
                                      char *err, size_t err_size);             \
    int vg_source_##key##_upload(const vg_clip *clip, const vg_job *job,       \
                                 vg_backend *backend, void **uploaded);        \
    /* The source at the clip's frame `local`, an RGBA frame of its size. */   \
    int vg_source_##key##_frame(const vg_clip *clip, void *uploaded,           \
                                const vg_source_frame_ctx *ctx,                \
                                uint32_t local, const vg_backend_frame **out); \
    /* Frees what upload left, even half done; *uploaded becomes NULL. */      \
    void vg_source_##key##_release(vg_backend *backend, void **uploaded);      \
    void vg_source_##key##_destroy(void *state);
VG_SOURCE_KINDS(VG_SOURCE_DECLARE)

struct vg_source_ops {
    const char *key;
    const char *const *own_keys;
    bool generated;
    int (*parse)(vg_job_parser *p, const vg_yaml_node *node,
                 const vg_yaml_node *value, const char *path, vg_clip *clip);
    int (*open)(vg_clip *clip, const vg_limits *limits, char *problem,
                size_t size);
    void (*size)(const vg_clip *clip, const vg_job *job, int32_t *width,
                 int32_t *height);
    uint64_t (*memory)(const vg_clip *clip, int32_t width, int32_t height);
    int (*fingerprint)(const vg_clip *clip, vg_hasher *s, char *err,
                       size_t err_size);
    int (*upload)(const vg_clip *clip, const vg_job *job, vg_backend *backend,
                  void **uploaded);
    int (*frame)(const vg_clip *clip, void *uploaded,
                 const vg_source_frame_ctx *ctx, uint32_t local,
                 const vg_backend_frame **out);
    void (*release)(vg_backend *backend, void **uploaded);
    void (*destroy)(void *state);
};

/* The kinds, in VG_SOURCE_KINDS order. */
size_t vg_source_kind_count(void);
const vg_source_ops *vg_source_kind_at(size_t index);

/* The kind's place in VG_SOURCE_KINDS, counting from 1 (fingerprints). */
uint32_t vg_source_kind_number(const vg_source_ops *kind);

/* "pattern, image or video": every kind's key, for messages. */
void vg_source_kind_names(char *out, size_t size);

/* Sizes of host and backend frames, for the memory estimates: what
 * vg_image_alloc reserves (padded rows, whole huge pages). */
static inline uint64_t vg_rgba_bytes(int32_t w, int32_t h)
{
    return vg_image_alloc_size(VG_FORMAT_RGBA8, w, h);
}

static inline uint64_t vg_i420_bytes(int32_t w, int32_t h)
{
    return vg_image_alloc_size(VG_FORMAT_I420, w, h);
}

#endif /* VG_JOB_SOURCE_H */

/*
 * job_parse.h - the YAML walk that turns a job's node tree into a vg_job
 * (internal to libvg).
 *
 * job_parse.c walks the job's top level, job_parse_clip.c a clip and its
 * transition, job_parse_camera.c a camera, job_values.c the scalar values
 * they share (numbers, lengths, colours, names, paths).  Every check names
 * the node: "FILE:LINE:COLUMN: KEY.PATH: problem", KEY.PATH starting with
 * "job." when the job is the job: section of a config file.
 */
#ifndef VG_JOB_PARSE_H
#define VG_JOB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "common/strutil.h"
#include "common/yaml.h"
#include "common/yaml_walk.h"
#include "job/job_internal.h"

typedef struct vg_job_parser {
    vg_yaml_doc doc;      /* the job file's name, where messages go */
    const char *base_dir; /* relative inputs are taken from here; NULL: cwd */
    uint32_t fps_num, fps_den; /* known before clips are read */
} vg_job_parser;

/* Build a job from its mapping `root` found at key path `path` ("" or
 * "job"), inputs not opened yet.  Returns 0, VG_ERR_CONFIG or
 * VG_ERR_NO_MEMORY. */
int vg_job_parse(vg_job_parser *p, const vg_yaml_node *root, const char *path,
                 vg_job **out);

int vg_job_parse_clip(vg_job_parser *p, const vg_yaml_node *node,
                      const char *path, size_t index, vg_clip *clip);

/* audio: a file name, or {file, start, fade_in, fade_out}; the fades may
 * not be longer than the job (job->info must be set). */
int vg_job_parse_audio(vg_job_parser *p, const vg_yaml_node *node,
                       const char *path, vg_job *job);

int vg_job_parse_camera(vg_job_parser *p, const vg_yaml_node *node,
                        const char *path, vg_camera *camera);

/* Set each key's position (frames from the start) for a camera over
 * `length` frames; a key after the end or before the key ahead of it is an
 * error at its node (`node` is the camera's node).  No-op without keys. */
int vg_job_resolve_camera(vg_job_parser *p, const vg_yaml_node *node,
                          const char *path, vg_camera *camera, uint32_t length);

/* ---- values (job_values.c) ---------------------------------------------- */

/* Messages, the key check and lookups are common/yaml_walk.h's, on
 * &p->doc; paths of keys are vg_key_path_join's ("parent.key"). */

/* The path of item `index` under `parent` ("parent[index]"). */
void vg_jp_item_path(char *out, size_t size, const char *parent, size_t index);

/* A decimal number within [min, max]. */
int vg_jp_number(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 double min, double max, double *out);

/* A decimal integer within [min, max]. */
int vg_jp_integer(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                  long min, long max, long *out);

/* One of the NULL-terminated `names`; *out is its index. */
int vg_jp_choice(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 const char *const *names, int *out);

int vg_jp_bool(vg_job_parser *p, const vg_yaml_node *node, const char *path,
               bool *out);

/* "#RRGGBB" or "#RRGGBBAA" to 0xRRGGBBAA (alpha ff when not given). */
int vg_jp_color(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                uint32_t *out);

/* linear, in, out, in_out. */
int vg_jp_easing(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 vg_easing *out);

/* A frame rate: an integer, a decimal (29.97) or a fraction "30000/1001". */
int vg_jp_fps(vg_job_parser *p, const vg_yaml_node *node, const char *path,
              uint32_t *num, uint32_t *den);

/* The length given in mapping `node` by `duration` (seconds) or `frames`;
 * *frames is 0 when neither is given.  Both given is an error. */
int vg_jp_length(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 uint32_t *frames);

/* A non-empty file name, taken from base_dir when relative; malloc'ed. */
int vg_jp_file(vg_job_parser *p, const vg_yaml_node *node, const char *path,
               char **out);

#endif /* VG_JOB_PARSE_H */

/*
 * vg/limits.h - how much any input may cost: the limits: section of the
 * config (docs/config.md, docs/security.md).
 *
 * Every picture, video, job file and YAML document vg reads comes from
 * someone else.  Each limit below is checked before the memory or time it
 * protects is spent (a picture's size from its header, a file's size from
 * fstat), so a hostile or broken input costs an error message, not
 * gigabytes or minutes.
 *
 * Thread-safety: plain data.
 */
#ifndef VG_LIMITS_H
#define VG_LIMITS_H

#include <stdint.h>

#include "vg/api.h"

typedef struct vg_limits {
    /* Pixels of one input picture or video frame, from its header. */
    uint64_t max_picture_pixels;
    /* libpng: the largest chunk it may allocate (text, ICC profile...), and
     * how many ancillary chunks it may keep. */
    uint64_t png_max_chunk_bytes;
    uint32_t png_max_ancillary_chunks;
    /* A progressive JPEG with more scans than this is refused: each scan
     * is a full pass over the picture. */
    uint32_t jpeg_max_scans;
    /* Job files (and the job: section's file). */
    uint64_t max_job_file_bytes;
    /* YAML of job files: nesting depth and nodes (scalars, sequences and
     * mappings together). */
    uint32_t yaml_max_depth;
    uint64_t yaml_max_nodes;
    /* The job's estimated peak memory (decoded inputs plus the frames
     * rendering holds, vg_job_memory_estimate) must stay under this. */
    uint64_t memory_budget_bytes;
} vg_limits;

/* The built-in defaults, equal to the limits: section of config.yaml. */
VG_API vg_limits vg_limits_default(void);

/* What a config file itself may be: it is read before its own limits:
 * section is known, so these are fixed. */
#define VG_CONFIG_MAX_FILE_BYTES (1u << 20)
#define VG_CONFIG_YAML_MAX_DEPTH 32u
#define VG_CONFIG_YAML_MAX_NODES 100000u

#endif /* VG_LIMITS_H */

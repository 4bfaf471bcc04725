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
#include "vg/config_key.h"

/*
 * The limits: section, one typed row per key (vg/config_key.h): the
 * vg_limits member, its default (vg_limits_default) and its config key with
 * its range all come from this list.  Each default is generous for real
 * work and small enough that the worst input it admits costs seconds and a
 * few hundred MiB, not the machine.
 */
#define VG_LIMITS_KEYS(X)                                                      \
    /* Pixels of one input picture or video frame, from its header.  50 MP:    \
     * every camera up to medium format, 8K UHD (33 MP); 200 MB as RGBA. */    \
    X(max_picture_pixels, max_picture_pixels, U64, 50000000,                   \
      VG_CONFIG_RANGE(1, (long long)VG_MAX_DIMENSION *VG_MAX_DIMENSION))       \
    /* libpng: the largest chunk it may allocate (a text or ICC chunk above    \
     * 8 MiB is not metadata anyone needs), and how many ancillary chunks it   \
     * may keep. */                                                            \
    X(png_max_chunk_bytes, png_max_chunk_bytes, U64, 8 << 20,                  \
      VG_CONFIG_RANGE(4096, 1ll << 31))                                        \
    X(png_max_ancillary_chunks, png_max_ancillary_chunks, U32, 1000,           \
      VG_CONFIG_RANGE(1, 1000000))                                             \
    /* A progressive JPEG with more scans than this is refused: each scan is   \
     * a full pass over the picture.  Encoders write 10 (libjpeg's default     \
     * script) to a few dozen. */                                              \
    X(jpeg_max_scans, jpeg_max_scans, U32, 100, VG_CONFIG_RANGE(1, 100000))    \
    /* Job files (and the job: section's file). */                             \
    X(max_job_file_bytes, max_job_file_bytes, U64, 16 << 20,                   \
      VG_CONFIG_RANGE(64, 1ll << 31))                                          \
    /* YAML of job files: nesting depth and nodes (scalars, sequences and      \
     * mappings together). */                                                  \
    X(yaml_max_depth, yaml_max_depth, U32, 32, VG_CONFIG_RANGE(4, 256))        \
    X(yaml_max_nodes, yaml_max_nodes, U64, 100000,                             \
      VG_CONFIG_RANGE(16, 100000000))                                          \
    /* The job's estimated peak memory (decoded inputs plus the frames         \
     * rendering holds, vg_job_memory_estimate) must stay under this. */       \
    X(memory_budget_bytes, memory_budget_bytes, U64, 4ull << 30,               \
      VG_CONFIG_RANGE(1ll << 20, 1ll << 50))

typedef struct vg_limits {
    VG_LIMITS_KEYS(VG_CONFIG_MEMBER)
} vg_limits;

/* The built-in defaults, equal to the limits: section of config.yaml. */
VG_API vg_limits vg_limits_default(void);

/* What a config file itself may be: it is read before its own limits:
 * section is known, so these are fixed. */
#define VG_CONFIG_MAX_FILE_BYTES (1u << 20)
#define VG_CONFIG_YAML_MAX_DEPTH 32u
#define VG_CONFIG_YAML_MAX_NODES 100000u

#endif /* VG_LIMITS_H */

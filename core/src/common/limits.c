/*
 * limits.c - the built-in input limits (vg/limits.h).  Each default is
 * generous for real work and small enough that the worst input it admits
 * costs seconds and a few hundred MiB, not the machine.
 */
#include "vg/limits.h"

vg_limits vg_limits_default(void)
{
    return (vg_limits){
        /* 50 MP: every camera up to medium format, 8K UHD (33 MP); 200 MB
         * decoded as RGBA. */
        .max_picture_pixels = 50000000u,
        /* A text or ICC chunk above 8 MiB is not metadata anyone needs. */
        .png_max_chunk_bytes = 8u << 20,
        .png_max_ancillary_chunks = 1000u,
        /* Encoders write 10 (libjpeg's default script) to a few dozen. */
        .jpeg_max_scans = 100u,
        .max_job_file_bytes = 16u << 20,
        .yaml_max_depth = 32u,
        .yaml_max_nodes = 100000u,
        .memory_budget_bytes = 4ull << 30,
    };
}

/*
 * config_output.h - the output: section of a config file (internal).
 */
#ifndef VG_CONFIG_OUTPUT_H
#define VG_CONFIG_OUTPUT_H

#include "common/yaml_walk.h"
#include "vg/config.h"

/* After the section's keys are loaded from `node`, the value of output:
 * (doc->file must outlive the config: cfg->source): mark where the section
 * is, and refuse crf and bitrate together ("FILE:LINE:COLUMN: output: give
 * crf or bitrate, not both", at the later one).  Returns 0 or
 * VG_ERR_CONFIG. */
int vg_config_check_output(const vg_yaml_doc *doc, const vg_yaml_node *node,
                           const char *path, vg_config_output *output);

#endif /* VG_CONFIG_OUTPUT_H */

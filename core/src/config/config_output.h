/*
 * config_output.h - the output: section of a config file (internal).
 */
#ifndef VG_CONFIG_OUTPUT_H
#define VG_CONFIG_OUTPUT_H

#include <stddef.h>

#include "common/yaml.h"
#include "vg/config.h"

/* Load `node`, the value of output:, into cfg->output; `file` names the
 * config in messages and marks (it must outlive cfg: cfg->source).
 * Returns 0, VG_ERR_CONFIG ("FILE:LINE:COLUMN: output.KEY: problem") or
 * VG_ERR_NO_MEMORY. */
int vg_config_load_output(vg_config *cfg, const char *file,
                          const vg_yaml_node *node, const char *path, char *err,
                          size_t err_size);

#endif /* VG_CONFIG_OUTPUT_H */

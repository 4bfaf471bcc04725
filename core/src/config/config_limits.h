/*
 * config_limits.h - the limits: section of a config file (internal).
 */
#ifndef VG_CONFIG_LIMITS_H
#define VG_CONFIG_LIMITS_H

#include "common/yaml_walk.h"
#include "vg/limits.h"

/* Set the keys given in the mapping `node` (key path `path`) in *limits;
 * keys not given keep their value.  Walked with vg_yaml_walk_keys, so
 * errors read "FILE:LINE:COLUMN: limits.KEY: problem".  Returns 0 or
 * VG_ERR_CONFIG. */
int vg_config_load_limits(const vg_yaml_doc *doc, const vg_yaml_node *node,
                          const char *path, vg_limits *limits);

#endif /* VG_CONFIG_LIMITS_H */

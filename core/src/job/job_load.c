/*
 * job_load.c - jobs from a job file, a string, or a config file's job:
 * section: YAML tree -> vg_job_parse -> inputs opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "common/text_file.h"
#include "job/job_parse.h"

static int no_memory(const char *name, char *err, size_t err_size)
{
    vg_diag_errorf(err, err_size, name, 0, 0, NULL, "out of memory");
    return VG_ERR_NO_MEMORY;
}

static vg_yaml_limits yaml_limits(const vg_limits *limits)
{
    return (vg_yaml_limits){.max_depth = limits->yaml_max_depth,
                            .max_nodes = limits->yaml_max_nodes,
                            .configurable = true};
}

/* The job at `root` (key path `prefix`), inputs opened. */
static int load_root(const vg_yaml_node *root, const vg_limits *limits,
                     const char *name, const char *base_dir, const char *prefix,
                     vg_job **out, char *err, size_t err_size)
{
    vg_job_parser p = {.doc = {name, err, err_size}, .base_dir = base_dir};
    vg_job *job = NULL;
    int rc = vg_job_parse(&p, root, prefix, &job);
    if (rc == 0)
        rc = vg_job_open_inputs(job, limits, name, prefix, err, err_size);
    if (rc == 0)
        rc = vg_job_check(job, limits, name, prefix, err, err_size);
    if (rc != 0) {
        vg_job_destroy(&job);
        return rc;
    }
    *out = job;
    return 0;
}

static int load_text(const char *text, size_t size, const vg_limits *limits,
                     const char *name, const char *base_dir, vg_job **out,
                     char *err, size_t err_size)
{
    vg_yaml_node *root = NULL;
    vg_yaml_limits yl = yaml_limits(limits);
    int rc = vg_yaml_parse_limited(text, size, name, &yl, &root, err, err_size);
    if (rc == 0 && !root) {
        vg_diag_errorf(err, err_size, name, 0, 0, NULL,
                       "the job file is empty");
        rc = VG_ERR_CONFIG;
    }
    if (rc == 0)
        rc = load_root(root, limits, name, base_dir, "", out, err, err_size);
    vg_yaml_node_destroy(&root);
    return rc;
}

int vg_job_load_string(const char *yaml, const char *name, const char *base_dir,
                       vg_job **out, char *err, size_t err_size)
{
    *out = NULL;
    if (!name)
        name = "<string>";
    vg_limits limits = vg_limits_default();
    return load_text(yaml, strlen(yaml), &limits, name, base_dir, out, err,
                     err_size);
}

int vg_job_load(const char *path, vg_job **out, char *err, size_t err_size)
{
    vg_limits limits = vg_limits_default();
    return vg_job_load_limited(path, &limits, out, err, err_size);
}

int vg_job_load_limited(const char *path, const vg_limits *limits, vg_job **out,
                        char *err, size_t err_size)
{
    *out = NULL;
    char *text = NULL, *dir = NULL;
    size_t size = 0;
    int rc = vg_read_text_file(path, (size_t)limits->max_job_file_bytes,
                               "job file (limits.max_job_file_bytes)", &text,
                               &size, err, err_size);
    if (rc != 0)
        return rc;
    dir = vg_dirname_dup(path);
    rc = dir ? load_text(text, size, limits, path, dir, out, err, err_size)
             : no_memory(path, err, err_size);
    free(dir);
    free(text);
    return rc;
}

int vg_job_create_from_config(const vg_config *cfg, vg_job **out, char *err,
                              size_t err_size)
{
    *out = NULL;
    if (!cfg->source)
        return vg_job_create_default(out);
    char *text = NULL, *dir = NULL;
    size_t size = 0;
    vg_yaml_node *root = NULL;
    /* The config file: its own fixed limits, as when it was loaded. */
    int rc = vg_read_text_file(cfg->source, VG_CONFIG_MAX_FILE_BYTES,
                               "config file", &text, &size, err, err_size);
    if (rc == 0)
        rc = vg_yaml_parse(text, size, cfg->source, &root, err, err_size);
    const vg_yaml_node *job = vg_yaml_get(root, "job");
    /* No job: section, or one with every key commented out. */
    if (rc == 0 && (!job || (job->kind == VG_YAML_SCALAR && job->is_null))) {
        rc = vg_job_create_default(out);
        if (rc != 0)
            no_memory(cfg->source, err, err_size);
    } else if (rc == 0 && !(dir = vg_dirname_dup(cfg->source))) {
        rc = no_memory(cfg->source, err, err_size);
    } else if (rc == 0)
        rc = load_root(job, &cfg->limits, cfg->source, dir, "job", out, err,
                       err_size);
    vg_yaml_node_destroy(&root);
    free(dir);
    free(text);
    return rc;
}

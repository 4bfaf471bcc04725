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

/* The job at `root` (key path `prefix`), inputs opened. */
static int load_root(const vg_yaml_node *root, const char *name,
                     const char *base_dir, const char *prefix, vg_job **out,
                     char *err, size_t err_size)
{
    vg_job_parser p = {.doc = {name, err, err_size}, .base_dir = base_dir};
    vg_job *job = NULL;
    int rc = vg_job_parse(&p, root, prefix, &job);
    if (rc == 0)
        rc = vg_job_open_inputs(job, name, prefix, err, err_size);
    if (rc != 0) {
        vg_job_destroy(&job);
        return rc;
    }
    *out = job;
    return 0;
}

static int load_text(const char *text, size_t size, const char *name,
                     const char *base_dir, vg_job **out, char *err,
                     size_t err_size)
{
    vg_yaml_node *root = NULL;
    int rc = vg_yaml_parse(text, size, name, &root, err, err_size);
    if (rc == 0 && !root) {
        vg_diag_errorf(err, err_size, name, 0, 0, NULL,
                         "the job file is empty");
        rc = VG_ERR_CONFIG;
    }
    if (rc == 0)
        rc = load_root(root, name, base_dir, "", out, err, err_size);
    vg_yaml_node_destroy(&root);
    return rc;
}

int vg_job_load_string(const char *yaml, const char *name, const char *base_dir,
                       vg_job **out, char *err, size_t err_size)
{
    *out = NULL;
    if (!name)
        name = "<string>";
    return load_text(yaml, strlen(yaml), name, base_dir, out, err, err_size);
}

int vg_job_load(const char *path, vg_job **out, char *err, size_t err_size)
{
    *out = NULL;
    char *text = NULL, *dir = NULL;
    size_t size = 0;
    int rc = vg_read_text_file(path, VG_TEXT_FILE_MAX, "job file", &text, &size,
                               err, err_size);
    if (rc != 0)
        return rc;
    dir = vg_dirname_dup(path);
    rc = dir ? load_text(text, size, path, dir, out, err, err_size)
             : VG_ERR_NO_MEMORY;
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
    int rc = vg_read_text_file(cfg->source, VG_TEXT_FILE_MAX, "config file",
                               &text, &size, err, err_size);
    if (rc == 0)
        rc = vg_yaml_parse(text, size, cfg->source, &root, err, err_size);
    const vg_yaml_node *job = vg_yaml_get(root, "job");
    /* No job: section, or one with every key commented out. */
    if (rc == 0 && (!job || (job->kind == VG_YAML_SCALAR && job->is_null)))
        rc = vg_job_create_default(out);
    else if (rc == 0 && !(dir = vg_dirname_dup(cfg->source)))
        rc = VG_ERR_NO_MEMORY;
    else if (rc == 0)
        rc = load_root(job, cfg->source, dir, "job", out, err, err_size);
    vg_yaml_node_destroy(&root);
    free(dir);
    free(text);
    return rc;
}

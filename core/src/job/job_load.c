/*
 * job_load.c - jobs from a job file, a string, or a config file's job:
 * section: YAML tree -> vg_job_parse -> inputs opened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job_parse.h"
#include "common/strutil.h"

/* A job file larger than this is not a hand-written job. */
#define MAX_JOB_FILE (16u << 20)

static int read_text(const char *path, char **out, size_t *size, char *err,
                     size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL, "cannot open: %s",
                         strerror(errno));
        return VG_ERR_IO;
    }
    char *text = malloc(MAX_JOB_FILE + 1);
    size_t got = text ? fread(text, 1, MAX_JOB_FILE + 1, f) : 0;
    int rc = 0;
    if (!text) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL, "out of memory");
        rc = VG_ERR_NO_MEMORY;
    } else if (ferror(f)) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL, "cannot read: %s",
                         strerror(errno));
        rc = VG_ERR_IO;
    } else if (got > MAX_JOB_FILE) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL,
                         "larger than %u MiB: not a job file",
                         MAX_JOB_FILE >> 20);
        rc = VG_ERR_CONFIG;
    }
    fclose(f);
    if (rc != 0) {
        free(text);
        return rc;
    }
    text[got] = '\0';
    *out = text;
    *size = got;
    return 0;
}

/* The job at `root` (key path `prefix`), inputs opened. */
static int load_root(const vg_yaml_node *root, const char *name,
                     const char *base_dir, const char *prefix, vg_job **out,
                     char *err, size_t err_size)
{
    vg_job_parser p = {
        .file = name, .base_dir = base_dir, .err = err, .err_size = err_size};
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
    int rc = read_text(path, &text, &size, err, err_size);
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
    int rc = read_text(cfg->source, &text, &size, err, err_size);
    if (rc == 0)
        rc = vg_yaml_parse(text, size, cfg->source, &root, err, err_size);
    const vg_yaml_node *job = vg_jp_get(root, "job");
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

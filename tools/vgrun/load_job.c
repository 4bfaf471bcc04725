/*
 * load_job.c - the job vgrun works on: JOB.yaml when given, else the
 * config's job: section, else the built-in job.
 */
#include "vgrun.h"

int vgrun_load_job(const vgrun_options *opts, const vg_config *cfg,
                   vg_job **out, char *err, size_t err_size)
{
    int rc = opts->job_path
                 ? vg_job_load(opts->job_path, out, err, err_size)
                 : vg_job_create_from_config(cfg, out, err, err_size);
    if (rc == VG_ERR_NO_MEMORY)
        snprintf(err, err_size, "out of memory");
    return rc == 0                  ? VGRUN_EXIT_OK
           : rc == VG_ERR_NO_MEMORY ? VGRUN_EXIT_RUNTIME
                                    : VGRUN_EXIT_USAGE;
}

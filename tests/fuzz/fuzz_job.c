/*
 * fuzz_job.c - libFuzzer target: any bytes as a job file.
 *
 * Inputs named by the job are resolved against an empty directory, so
 * only absolute paths reach files; the limits keep any picture small.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vg/job.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char err[1024];
    vg_job *job = NULL;
    if (vg_job_load_string(text, "fuzz.yaml", "/nonexistent", &job, err,
                           sizeof err) == 0) {
        vg_job_info info = vg_job_get_info(job);
        if (info.width < 1 || info.height < 1 || info.frame_count < 1)
            abort(); /* a loaded job always renders something */
    }
    vg_job_destroy(&job);
    free(text);
    return 0;
}

/*
 * job.c - a job's lifecycle, what it produces, and the largest frame it
 * uses.
 */
#include <stdlib.h>

#include "job/job_internal.h"
#include "job/source.h"

vg_job *vg_job_alloc(size_t clip_count)
{
    vg_job *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    job->clips = calloc(clip_count, sizeof *job->clips);
    if (!job->clips) {
        free(job);
        return NULL;
    }
    job->clip_count = clip_count;
    return job;
}

void vg_job_destroy(vg_job **job)
{
    if (!job || !*job)
        return;
    vg_job *j = *job;
    for (size_t i = 0; i < j->clip_count; i++) {
        vg_clip *clip = &j->clips[i];
        if (clip->source)
            clip->source->destroy(clip->source_state);
        free(clip->path);
        free(clip->camera.keys);
    }
    free(j->clips);
    free(j->camera.keys);
    free(j->audio.path);
    free(j);
    *job = NULL;
}

vg_job_info vg_job_get_info(const vg_job *job)
{
    return job->info;
}

void vg_clip_source_size(const vg_job *job, const vg_clip *clip, int32_t *width,
                         int32_t *height)
{
    clip->source->size(clip, job, width, height);
}

vg_job_limits vg_job_get_limits(const vg_job *job)
{
    vg_job_limits limits = {.max_width = job->info.width,
                            .max_height = job->info.height};
    for (size_t i = 0; i < job->clip_count; i++) {
        int32_t w, h;
        vg_clip_source_size(job, &job->clips[i], &w, &h);
        if (w > limits.max_width)
            limits.max_width = w;
        if (h > limits.max_height)
            limits.max_height = h;
    }
    return limits;
}

size_t vg_job_input_count(const vg_job *job)
{
    size_t n = job->audio.path != NULL;
    for (size_t i = 0; i < job->clip_count; i++)
        n += job->clips[i].path != NULL;
    return n;
}

const char *vg_job_input_path(const vg_job *job, size_t index)
{
    for (size_t i = 0; i < job->clip_count; i++)
        if (job->clips[i].path && index-- == 0)
            return job->clips[i].path;
    return index == 0 ? job->audio.path : NULL;
}

vg_job_audio vg_job_get_audio(const vg_job *job)
{
    return (vg_job_audio){.path = job->audio.path,
                          .start = job->audio.start,
                          .fade_in = job->audio.fade_in,
                          .fade_out = job->audio.fade_out};
}

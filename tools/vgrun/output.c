/*
 * output.c - the video vgrun writes: Y4M for "-" (pipes), *.y4m and an
 * existing device or FIFO (/dev/null, a named pipe: a stream, which has no
 * name to promise a container), encoded through libvg_encode for a known
 * container (.mp4, .mkv, .mov, .webm, .nut).  Any other name is an error,
 * never Y4M under a name that promises something else.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "vg/encode.h"
#include "vg/y4m.h"
#include "vgrun.h"

struct vgrun_output {
    vg_y4m_writer *y4m;
    vg_encoder *encoder;
};

static bool is_stream(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 &&
           (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
}

static bool is_y4m(const char *path)
{
    size_t n = strlen(path);
    return strcmp(path, "-") == 0 ||
           (n >= 4 && strcasecmp(path + n - 4, ".y4m") == 0) || is_stream(path);
}

int vgrun_output_check_name(const char *path)
{
    if (is_y4m(path) || vg_encode_container(path))
        return 0;
    fprintf(stderr,
            "vgrun: %s: unknown output type: the name must end in .y4m or "
            "one of %s (- writes Y4M to stdout, as does a device or FIFO "
            "such as /dev/null)\n",
            path, vg_encode_extensions());
    return VGRUN_EXIT_USAGE;
}

/* The config's output: section, with --codec and --crf over it. */
static vg_encode_settings settings_of(const vgrun_options *opts,
                                      const vg_config *cfg)
{
    const vg_config_output *c = &cfg->output;
    vg_encode_settings s = {.codec = opts->codec ? opts->codec : c->codec,
                            .crf = c->crf,
                            .bitrate = c->bitrate,
                            .preset = c->preset,
                            .keyint = c->keyint,
                            .pix_fmt = c->pix_fmt};
    if (opts->crf >= 0) {
        s.crf = opts->crf;
        s.bitrate = 0;
    }
    return s;
}

int vgrun_output_open(const vgrun_options *opts, const vg_config *cfg,
                      const vg_job *vjob, uint32_t first_frame,
                      const vg_piece *piece, vgrun_output **out, char *err,
                      size_t err_size)
{
    vg_job_info info = vg_job_get_info(vjob);
    const vg_job_info *job = &info;
    *out = NULL;
    vgrun_output *o = calloc(1, sizeof *o);
    if (!o) {
        snprintf(err, err_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc;
    if (is_y4m(opts->output)) {
        vg_y4m_format format = {.width = job->width,
                                .height = job->height,
                                .fps_num = job->fps_num,
                                .fps_den = job->fps_den,
                                .range = job->range,
                                .piece = piece};
        rc = vg_y4m_open(opts->output, &format, &o->y4m, err, err_size);
    } else {
        vg_encode_format format = {.width = job->width,
                                   .height = job->height,
                                   .fps_num = job->fps_num,
                                   .fps_den = job->fps_den,
                                   .matrix = job->matrix,
                                   .range = job->range};
        vg_encode_settings settings = settings_of(opts, cfg);
        /* The job's sound, placed as in the whole video when this is a
         * range of it. */
        vg_job_audio track = vg_job_get_audio(vjob);
        double fps = (double)job->fps_num / job->fps_den;
        vg_encode_audio audio = {.path = track.path,
                                 .start = track.start,
                                 .fade_in = track.fade_in,
                                 .fade_out = track.fade_out,
                                 .offset = first_frame / fps,
                                 .total = job->frame_count / fps};
        settings.audio = &audio;
        /* A piece says whose and which frames it holds, as in Y4M. */
        char hex[VG_FINGERPRINT_HEX_SIZE], frames[40];
        const char *tags[] = {"vg_job", hex, "vg_frames", frames, NULL};
        if (piece) {
            vg_fingerprint_format(piece->fingerprint, hex);
            snprintf(frames, sizeof frames, "%u:%u/%u", piece->first,
                     piece->end, piece->total);
            settings.metadata = tags;
        }
        rc = vg_encoder_create(opts->output, &format, &settings, &o->encoder,
                               err, err_size);
        /* A setting from the config file: say where it was written. */
        const vg_config_mark *mark = &cfg->output.mark;
        if (rc == VG_ERR_CONFIG && mark->line > 0 && !opts->codec &&
            opts->crf < 0) {
            char detail[1024];
            snprintf(detail, sizeof detail, "%s", err);
            snprintf(err, err_size, "%s:%d:%d: output: %s", mark->file,
                     mark->line, mark->column, detail);
        }
    }
    if (rc != 0) {
        free(o);
        return rc;
    }
    *out = o;
    return 0;
}

int vgrun_output_write(vgrun_output *o, const vg_image *frame, char *err,
                       size_t err_size)
{
    return o->y4m ? vg_y4m_write_frame(o->y4m, frame, err, err_size)
                  : vg_encoder_write_frame(o->encoder, frame, err, err_size);
}

bool vgrun_output_reader_gone(const vgrun_output *o)
{
    return o && o->y4m && vg_y4m_reader_gone(o->y4m);
}

int vgrun_output_finish(vgrun_output **op, char *err, size_t err_size)
{
    vgrun_output *o = *op;
    int rc = o->y4m ? vg_y4m_finish(&o->y4m, err, err_size)
                    : vg_encoder_finish(&o->encoder, err, err_size);
    free(o);
    *op = NULL;
    return rc;
}

void vgrun_output_abort(vgrun_output **op)
{
    if (!op || !*op)
        return;
    vg_y4m_abort(&(*op)->y4m);
    vg_encoder_destroy(&(*op)->encoder);
    free(*op);
    *op = NULL;
}

const char *vgrun_output_codec(const vgrun_output *o)
{
    return o && o->encoder ? vg_encoder_codec(o->encoder) : NULL;
}

const char *vgrun_output_choice(const vgrun_output *o)
{
    return o && o->encoder ? vg_encoder_choice(o->encoder) : NULL;
}

const char *vgrun_output_container(const vgrun_output *o)
{
    return o && o->encoder ? vg_encoder_container(o->encoder) : NULL;
}

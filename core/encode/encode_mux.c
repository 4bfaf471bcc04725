/*
 * encode_mux.c - vg_encoder: frames in, a finished container file out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/imgutils.h>

#include "encode_internal.h"

struct vg_encoder {
    vg_output_file out;
    AVIOContext *io;
    AVFormatContext *fmt;
    AVStream *stream;
    AVCodecContext *ctx;
    AVFrame *frame;
    AVPacket *packet;
    int64_t next_pts;
    int64_t first_pts;
    vg_audio_track *audio; /* NULL: video only */
    const char *container;
    char choice[512];
};

const char *vg_encoder_codec(const vg_encoder *enc)
{
    return enc->ctx->codec->name;
}

const char *vg_encoder_container(const vg_encoder *enc)
{
    return enc->container;
}

const char *vg_encoder_choice(const vg_encoder *enc)
{
    return enc->choice;
}

void vg_encoder_destroy(vg_encoder **encp)
{
    vg_encoder *enc = encp ? *encp : NULL;
    if (!enc)
        return;
    vg_audio_track_destroy(&enc->audio);
    av_frame_free(&enc->frame);
    av_packet_free(&enc->packet);
    avcodec_free_context(&enc->ctx);
    avformat_free_context(enc->fmt);
    vg_encode_io_destroy(&enc->io);
    vg_output_file_discard(&enc->out);
    free(enc);
    *encp = NULL;
}

static int av_fail(vg_encoder *enc, char *err, size_t err_size,
                   const char *what, int averr)
{
    char context[256];
    snprintf(context, sizeof context, "%s: %s", enc->out.name, what);
    vg_encode_error(err, err_size, context, averr);
    return VG_ERR_IO;
}

/* Move every packet the encoder has ready into the muxer. */
static int drain(vg_encoder *enc, char *err, size_t err_size)
{
    for (;;) {
        int rc = avcodec_receive_packet(enc->ctx, enc->packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return 0;
        if (rc < 0)
            return av_fail(enc, err, err_size, "encoding failed", rc);
        av_packet_rescale_ts(enc->packet, enc->ctx->time_base,
                             enc->stream->time_base);
        enc->packet->stream_index = enc->stream->index;
        rc = av_interleaved_write_frame(enc->fmt, enc->packet);
        if (rc < 0)
            return av_fail(enc, err, err_size, "cannot write", rc);
    }
}

/* The muxer's options: MP4 and MOV put the index first when the file can
 * be rewritten (players start before the download ends) and keep the
 * caller's custom metadata keys (by default they keep only iTunes ones). */
static AVDictionary *muxer_options(const vg_encoder *enc,
                                   const vg_encode_settings *s)
{
    AVDictionary *opts = NULL;
    if (strcmp(enc->container, "mp4") == 0 ||
        strcmp(enc->container, "mov") == 0) {
        char flags[64] = "";
        if (!enc->out.in_place)
            strcat(flags, "+faststart");
        if (s->metadata && s->metadata[0])
            strcat(flags, "+use_metadata_tags");
        if (flags[0])
            av_dict_set(&opts, "movflags", flags, 0);
    }
    return opts;
}

static int add_stream(vg_encoder *enc, const vg_encode_settings *s)
{
    enc->stream = avformat_new_stream(enc->fmt, NULL);
    if (!enc->stream ||
        avcodec_parameters_from_context(enc->stream->codecpar, enc->ctx) < 0)
        return VG_ERR_NO_MEMORY;
    enc->stream->time_base = enc->ctx->time_base;
    enc->stream->avg_frame_rate = enc->ctx->framerate;
    enc->stream->r_frame_rate = enc->ctx->framerate;
    /* Apple's players take HEVC in MP4/MOV only as hvc1. */
    if (enc->ctx->codec_id == AV_CODEC_ID_HEVC &&
        (strcmp(enc->container, "mp4") == 0 ||
         strcmp(enc->container, "mov") == 0))
        enc->stream->codecpar->codec_tag = MKTAG('h', 'v', 'c', '1');
    for (size_t i = 0; s->metadata && s->metadata[i] && s->metadata[i + 1];
         i += 2)
        if (av_dict_set(&enc->fmt->metadata, s->metadata[i], s->metadata[i + 1],
                        0) < 0)
            return VG_ERR_NO_MEMORY;
    return 0;
}

static int alloc_frame(vg_encoder *enc)
{
    enc->frame = av_frame_alloc();
    enc->packet = av_packet_alloc();
    if (!enc->frame || !enc->packet)
        return VG_ERR_NO_MEMORY;
    AVFrame *f = enc->frame;
    f->format = enc->ctx->pix_fmt;
    f->width = enc->ctx->width;
    f->height = enc->ctx->height;
    f->color_primaries = enc->ctx->color_primaries;
    f->color_trc = enc->ctx->color_trc;
    f->colorspace = enc->ctx->colorspace;
    f->color_range = enc->ctx->color_range;
    f->chroma_location = enc->ctx->chroma_sample_location;
    return av_frame_get_buffer(f, 0) < 0 ? VG_ERR_NO_MEMORY : 0;
}

/* The container and codec for `path`; config errors before any file. */
static int choose(const char *path, const vg_encode_settings *s,
                  const char **container, const vg_codec_desc **desc, char *err,
                  size_t err_size)
{
    *container = vg_encode_container(path);
    if (!*container) {
        snprintf(err, err_size,
                 "%s: unknown output type: the name must end in .y4m or "
                 "one of %s",
                 path, vg_encode_extensions());
        return VG_ERR_CONFIG;
    }
    *desc = vg_codec_lookup(s->codec, *container);
    if (!*desc) {
        snprintf(err, err_size, "unknown codec '%s': one of %s", s->codec,
                 vg_encode_codec_names());
        return VG_ERR_CONFIG;
    }
    if (!vg_codec_fits(*desc, *container)) {
        snprintf(err, err_size, "%s: codec %s does not go in %s; it goes in:%s",
                 path, (*desc)->name, *container, (*desc)->containers);
        err[strlen(err) - 1] = '\0'; /* the table's trailing space */
        return VG_ERR_CONFIG;
    }
    return 0;
}

int vg_encoder_create(const char *path, const vg_encode_format *format,
                      const vg_encode_settings *settings, vg_encoder **out,
                      char *err, size_t err_size)
{
    *out = NULL;
    if (err_size > 0)
        err[0] = '\0';
    vg_encode_log_install();
    vg_encode_settings defaults = {.crf = -1};
    const vg_encode_settings *s = settings ? settings : &defaults;
    const vg_codec_desc *desc = NULL;
    vg_encoder *enc = calloc(1, sizeof *enc);
    if (!enc) {
        snprintf(err, err_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = choose(path, s, &enc->container, &desc, err, err_size);
    if (rc == 0 && avformat_alloc_output_context2(&enc->fmt, NULL,
                                                  enc->container, path) < 0)
        rc = VG_ERR_NO_MEMORY;
    vg_opened_codec codec;
    bool asked = s->codec && strcmp(s->codec, "auto") != 0;
    if (rc == 0) {
        bool global = enc->fmt->oformat->flags & AVFMT_GLOBALHEADER;
        rc = vg_codec_open(desc, asked, format, s, global, &codec, err,
                           err_size);
        enc->ctx = codec.ctx;
        snprintf(enc->choice, sizeof enc->choice, "%s", codec.choice);
    }
    /* The file is created only once the settings are known to work. */
    if (rc == 0)
        rc = vg_output_file_open(path, &enc->out, err, err_size);
    if (rc == 0 && !(enc->io = vg_encode_io_create(&enc->out)))
        rc = VG_ERR_NO_MEMORY;
    if (rc == 0) {
        enc->fmt->pb = enc->io;
        enc->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
        enc->fmt->io_open = vg_encode_io_open;
        enc->fmt->io_close2 = vg_encode_io_close;
        enc->next_pts = enc->first_pts = s->first_pts;
        rc = add_stream(enc, s);
        if (rc == 0 && s->audio && s->audio->path)
            rc = vg_audio_track_create(s->audio, enc->fmt, enc->container,
                                       &enc->audio, err, err_size);
        if (rc == 0)
            rc = alloc_frame(enc);
        if (rc == VG_ERR_NO_MEMORY && !err[0])
            snprintf(err, err_size, "out of memory");
    }
    if (rc == 0) {
        AVDictionary *opts = muxer_options(enc, s);
        vg_encode_log_clear();
        int av = avformat_write_header(enc->fmt, &opts);
        av_dict_free(&opts);
        if (av < 0)
            rc = av_fail(enc, err, err_size, "cannot start the container", av);
    }
    if (rc != 0) {
        vg_encoder_destroy(&enc);
        return rc;
    }
    *out = enc;
    return 0;
}

/* How much video has been written, in seconds. */
static double video_seconds(const vg_encoder *enc)
{
    return (double)(enc->next_pts - enc->first_pts) * enc->ctx->time_base.num /
           enc->ctx->time_base.den;
}

int vg_encoder_write_frame(vg_encoder *enc, const vg_image *i420, char *err,
                           size_t err_size)
{
    AVFrame *f = enc->frame;
    /* The encoder may still hold the last frame's buffer (lookahead). */
    int rc = av_frame_make_writable(f);
    if (rc < 0)
        return av_fail(enc, err, err_size, "out of memory", rc);
    for (int p = 0; p < 3; p++) {
        int32_t pw, ph;
        vg_plane_size(VG_FORMAT_I420, i420->width, i420->height, p, &pw, &ph);
        av_image_copy_plane(f->data[p], f->linesize[p], i420->data[p],
                            (int)i420->stride[p], pw, ph);
    }
    f->pts = enc->next_pts++;
    vg_encode_log_clear();
    rc = avcodec_send_frame(enc->ctx, f);
    if (rc < 0)
        return av_fail(enc, err, err_size, "encoding failed", rc);
    rc = drain(enc, err, err_size);
    if (rc == 0 && enc->audio) {
        int av = vg_audio_track_write_until(enc->audio, enc->fmt,
                                            video_seconds(enc), false);
        if (av < 0)
            rc = av_fail(enc, err, err_size, "audio failed", av);
    }
    return rc;
}

int vg_encoder_finish(vg_encoder **encp, char *err, size_t err_size)
{
    vg_encoder *enc = *encp;
    vg_encode_log_clear();
    int rc = avcodec_send_frame(enc->ctx, NULL);
    rc = rc < 0 ? av_fail(enc, err, err_size, "encoding failed", rc)
                : drain(enc, err, err_size);
    if (rc == 0 && enc->audio) {
        int av = vg_audio_track_write_until(enc->audio, enc->fmt,
                                            video_seconds(enc), true);
        if (av < 0)
            rc = av_fail(enc, err, err_size, "audio failed", av);
    }
    if (rc == 0) {
        int av = av_write_trailer(enc->fmt);
        avio_flush(enc->io);
        if (av >= 0 && enc->io->error < 0)
            av = enc->io->error;
        if (av < 0)
            rc = av_fail(enc, err, err_size, "cannot finish the container", av);
    }
    if (rc == 0)
        rc = vg_output_file_commit(&enc->out, err, err_size);
    vg_encoder_destroy(encp);
    return rc;
}

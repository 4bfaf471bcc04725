/*
 * encode_audio.c - the job's audio track: decoded, resampled to 48 kHz
 * stereo, faded, cut to the video's length and encoded (AAC in MP4, MOV
 * and NUT; Opus in Matroska and WebM).
 *
 * Audio follows the video as it is written: after each video frame the
 * track is encoded up to that frame's end, so the muxer interleaves the
 * two without holding a whole track in memory.  Only whole encoder frames
 * are sent until the end, where one short frame ends the track at the
 * video's last frame (encoders accept a short frame only as the last).
 */
#include <math.h>
#include <string.h>

#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

#include "encode_internal.h"

#define AUDIO_RATE 48000 /* what Opus requires and AAC players expect */

struct vg_audio_track {
    vg_encode_audio cfg;
    AVFormatContext *in;
    int in_index;
    AVCodecContext *dec;
    AVCodecContext *enc;
    SwrContext *swr;
    AVAudioFifo *fifo;
    AVStream *stream;
    AVPacket *packet;
    AVFrame *decoded;
    AVFrame *frame;
    int64_t skip;    /* resampled samples still to drop: the start offset */
    int64_t written; /* samples sent to the encoder */
    bool input_done;
};

void vg_audio_track_destroy(vg_audio_track **tp)
{
    vg_audio_track *t = tp ? *tp : NULL;
    if (!t)
        return;
    avformat_close_input(&t->in);
    avcodec_free_context(&t->dec);
    avcodec_free_context(&t->enc);
    swr_free(&t->swr);
    if (t->fifo)
        av_audio_fifo_free(t->fifo);
    av_packet_free(&t->packet);
    av_frame_free(&t->decoded);
    av_frame_free(&t->frame);
    av_free(t);
    *tp = NULL;
}

static int fail(char *err, size_t err_size, const char *path, const char *what,
                int averr)
{
    char context[512];
    snprintf(context, sizeof context, "audio %s: %s", path, what);
    vg_encode_error(err, err_size, context, averr);
    return VG_ERR_CONFIG;
}

static int open_decoder(vg_audio_track *t, char *err, size_t err_size)
{
    const char *path = t->cfg.path;
    vg_encode_log_clear();
    int rc = avformat_open_input(&t->in, path, NULL, NULL);
    if (rc < 0)
        return fail(err, err_size, path, "cannot open", rc);
    if ((rc = avformat_find_stream_info(t->in, NULL)) < 0)
        return fail(err, err_size, path, "cannot read", rc);
    const AVCodec *codec = NULL;
    t->in_index =
        av_find_best_stream(t->in, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (t->in_index < 0)
        return fail(err, err_size, path, "no audio stream", t->in_index);
    t->dec = avcodec_alloc_context3(codec);
    if (!t->dec)
        return fail(err, err_size, path, "decoder", AVERROR(ENOMEM));
    rc = avcodec_parameters_to_context(t->dec,
                                       t->in->streams[t->in_index]->codecpar);
    if (rc >= 0)
        rc = avcodec_open2(t->dec, codec, NULL);
    if (rc < 0)
        return fail(err, err_size, path, "cannot decode", rc);
    /* A file without a channel mask (some WAVs): the usual layout. */
    if (t->dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&t->dec->ch_layout,
                                  t->dec->ch_layout.nb_channels);
    return 0;
}

/* Float samples (planar preferred), as the fades are applied in float. */
static enum AVSampleFormat float_format(const AVCodec *codec)
{
    enum AVSampleFormat found = AV_SAMPLE_FMT_NONE;
    for (const enum AVSampleFormat *f = codec->sample_fmts;
         f && *f != AV_SAMPLE_FMT_NONE; f++)
        if (*f == AV_SAMPLE_FMT_FLTP ||
            (*f == AV_SAMPLE_FMT_FLT && found == AV_SAMPLE_FMT_NONE))
            found = *f;
    return found;
}

static int open_encoder(vg_audio_track *t, AVFormatContext *mux,
                        const char *container, char *err, size_t err_size)
{
    bool opus =
        strcmp(container, "matroska") == 0 || strcmp(container, "webm") == 0;
    const char *name = opus ? "libopus" : "aac";
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    if (!codec || float_format(codec) == AV_SAMPLE_FMT_NONE)
        return fail(err, err_size, t->cfg.path, name,
                    AVERROR_ENCODER_NOT_FOUND);
    t->enc = avcodec_alloc_context3(codec);
    if (!t->enc)
        return fail(err, err_size, t->cfg.path, name, AVERROR(ENOMEM));
    t->enc->sample_rate = AUDIO_RATE;
    t->enc->sample_fmt = float_format(codec);
    av_channel_layout_default(&t->enc->ch_layout, 2);
    t->enc->bit_rate = opus ? 128000 : 192000;
    t->enc->time_base = (AVRational){1, AUDIO_RATE};
    if (mux->oformat->flags & AVFMT_GLOBALHEADER)
        t->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    vg_encode_log_clear();
    int rc = avcodec_open2(t->enc, codec, NULL);
    if (rc < 0)
        return fail(err, err_size, t->cfg.path, name, rc);
    t->stream = avformat_new_stream(mux, NULL);
    if (!t->stream ||
        avcodec_parameters_from_context(t->stream->codecpar, t->enc) < 0)
        return fail(err, err_size, t->cfg.path, name, AVERROR(ENOMEM));
    t->stream->time_base = t->enc->time_base;
    return 0;
}

int vg_audio_track_create(const vg_encode_audio *cfg, AVFormatContext *mux,
                          const char *container, vg_audio_track **out,
                          char *err, size_t err_size)
{
    *out = NULL;
    vg_audio_track *t = av_mallocz(sizeof *t);
    if (!t) {
        snprintf(err, err_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    t->cfg = *cfg;
    int rc = open_decoder(t, err, err_size);
    if (rc == 0)
        rc = open_encoder(t, mux, container, err, err_size);
    if (rc == 0) {
        t->packet = av_packet_alloc();
        t->decoded = av_frame_alloc();
        t->frame = av_frame_alloc();
        t->fifo = av_audio_fifo_alloc(t->enc->sample_fmt, 2, 1);
        int av = swr_alloc_set_opts2(&t->swr, &t->enc->ch_layout,
                                     t->enc->sample_fmt, AUDIO_RATE,
                                     &t->dec->ch_layout, t->dec->sample_fmt,
                                     t->dec->sample_rate, 0, NULL);
        if (av >= 0)
            av = swr_init(t->swr);
        if (av < 0 || !t->packet || !t->decoded || !t->frame || !t->fifo)
            rc = fail(err, err_size, cfg->path, "resampler",
                      av < 0 ? av : AVERROR(ENOMEM));
    }
    if (rc != 0) {
        vg_audio_track_destroy(&t);
        return rc;
    }
    t->skip = llround((cfg->start + cfg->offset) * AUDIO_RATE);
    *out = t;
    return 0;
}

/* Resample `in` (NULL: flush the resampler) into the FIFO, dropping the
 * samples before the start. */
static int resample(vg_audio_track *t, const AVFrame *in)
{
    int room = swr_get_out_samples(t->swr, in ? in->nb_samples : 0);
    if (room <= 0)
        return 0;
    uint8_t **buf = NULL;
    int rc = av_samples_alloc_array_and_samples(&buf, NULL, 2, room,
                                                t->enc->sample_fmt, 0);
    if (rc < 0)
        return rc;
    int n = swr_convert(t->swr, buf, room,
                        in ? (const uint8_t **)in->extended_data : NULL,
                        in ? in->nb_samples : 0);
    int drop = n > 0 ? (int)FFMIN(t->skip, (int64_t)n) : 0;
    t->skip -= drop;
    if (n - drop > 0) {
        /* Drop from the front: point past the dropped samples. */
        int bytes = av_get_bytes_per_sample(t->enc->sample_fmt);
        void *planes[2];
        bool planar = av_sample_fmt_is_planar(t->enc->sample_fmt);
        for (int c = 0; c < 2; c++)
            planes[c] = planar ? buf[c] + (size_t)drop * bytes
                               : buf[0] + (size_t)drop * bytes * 2;
        if (av_audio_fifo_write(t->fifo, planes, n - drop) < n - drop)
            n = AVERROR(ENOMEM);
    }
    av_freep(&buf[0]);
    av_freep(&buf);
    return n < 0 ? n : 0;
}

/* Decode until the FIFO holds `want` samples or the input ends. */
static int fill(vg_audio_track *t, int want)
{
    while (!t->input_done && av_audio_fifo_size(t->fifo) < want) {
        int rc = avcodec_receive_frame(t->dec, t->decoded);
        if (rc == 0) {
            rc = resample(t, t->decoded);
            av_frame_unref(t->decoded);
            if (rc < 0)
                return rc;
            continue;
        }
        if (rc == AVERROR_EOF) {
            t->input_done = true;
            return resample(t, NULL);
        }
        if (rc != AVERROR(EAGAIN))
            return rc;
        rc = av_read_frame(t->in, t->packet);
        if (rc == AVERROR_EOF) {
            avcodec_send_packet(t->dec, NULL);
            continue;
        }
        if (rc < 0)
            return rc;
        if (t->packet->stream_index == t->in_index)
            rc = avcodec_send_packet(t->dec, t->packet);
        av_packet_unref(t->packet);
        /* A damaged packet is skipped, as players do. */
        if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_INVALIDDATA)
            return rc;
    }
    return 0;
}

/* The fade gain at output sample `n`. */
static float gain_at(const vg_audio_track *t, int64_t n)
{
    double time = t->cfg.offset + (double)n / AUDIO_RATE;
    double g = 1.0;
    if (t->cfg.fade_in > 0 && time < t->cfg.fade_in)
        g = time / t->cfg.fade_in;
    double to_end = t->cfg.total - time;
    if (t->cfg.fade_out > 0 && to_end < t->cfg.fade_out)
        g = fmin(g, fmax(0.0, to_end / t->cfg.fade_out));
    return (float)g;
}

static int drain(vg_audio_track *t, AVFormatContext *mux)
{
    for (;;) {
        int rc = avcodec_receive_packet(t->enc, t->packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return 0;
        if (rc < 0)
            return rc;
        av_packet_rescale_ts(t->packet, t->enc->time_base,
                             t->stream->time_base);
        t->packet->stream_index = t->stream->index;
        if ((rc = av_interleaved_write_frame(mux, t->packet)) < 0)
            return rc;
    }
}

/* Encode `n` samples from the FIFO, faded. */
static int encode(vg_audio_track *t, AVFormatContext *mux, int n)
{
    AVFrame *f = t->frame;
    av_frame_unref(f);
    f->nb_samples = n;
    f->format = t->enc->sample_fmt;
    f->sample_rate = AUDIO_RATE;
    int rc = av_channel_layout_copy(&f->ch_layout, &t->enc->ch_layout);
    if (rc >= 0)
        rc = av_frame_get_buffer(f, 0);
    if (rc >= 0 && av_audio_fifo_read(t->fifo, (void **)f->data, n) < n)
        rc = AVERROR_BUG;
    if (rc < 0)
        return rc;
    bool planar = av_sample_fmt_is_planar(t->enc->sample_fmt);
    for (int i = 0; i < n; i++) {
        float g = gain_at(t, t->written + i);
        for (int c = 0; c < 2; c++) {
            float *s = planar ? (float *)f->data[c] + i
                              : (float *)f->data[0] + 2 * i + c;
            *s *= g;
        }
    }
    f->pts = t->written;
    t->written += n;
    if ((rc = avcodec_send_frame(t->enc, f)) < 0)
        return rc;
    return drain(t, mux);
}

int vg_audio_track_write_until(vg_audio_track *t, AVFormatContext *mux,
                               double seconds, bool last)
{
    int64_t target = llround(seconds * AUDIO_RATE);
    int size = t->enc->frame_size > 0 ? t->enc->frame_size : 1024;
    while (t->written < target) {
        int want = (int)FFMIN((int64_t)size, target - t->written);
        if (want < size && !last)
            break; /* only the last frame may be short */
        int rc = fill(t, want);
        if (rc < 0)
            return rc;
        int n = FFMIN(want, av_audio_fifo_size(t->fifo));
        if (n <= 0)
            break; /* the file is shorter than the video */
        if ((rc = encode(t, mux, n)) < 0)
            return rc;
        if (n < size)
            break; /* a short frame ends the track */
    }
    if (!last)
        return 0;
    int rc = avcodec_send_frame(t->enc, NULL);
    return rc < 0 ? rc : drain(t, mux);
}

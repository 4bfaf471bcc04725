/*
 * encode_open.c - choose the encoder and open it with vg's settings and
 * colour tags.
 *
 * With a hardware encoder first in line (codec auto, h264_nvenc,
 * hevc_nvenc), the NVIDIA encoder is opened for real: that is the only
 * test that the driver, the GPU's encoder and the session limit all allow
 * it.  When it does not open, the software encoder takes over and the
 * reason is kept, as a skipped backend's is.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/opt.h>

#include "encode_internal.h"

static int config_error(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int config_error(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return VG_ERR_CONFIG;
}

/* What vg renders, said the way FFmpeg tags it: RGB with BT.709 primaries
 * and transfer, converted with the job's matrix and range, chroma averaged
 * over each 2x2 block (so sited at its centre: AVCHROMA_LOC_CENTER, Y4M's
 * C420jpeg). */
static void tag_colour(AVCodecContext *ctx, const vg_encode_format *f)
{
    ctx->color_primaries = AVCOL_PRI_BT709;
    ctx->color_trc = AVCOL_TRC_BT709;
    ctx->colorspace =
        f->matrix == VG_MATRIX_BT601 ? AVCOL_SPC_SMPTE170M : AVCOL_SPC_BT709;
    ctx->color_range =
        f->range == VG_RANGE_FULL ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    ctx->chroma_sample_location = AVCHROMA_LOC_CENTER;
}

static int set_quality(AVCodecContext *ctx, const vg_codec_desc *desc,
                       const vg_encode_settings *s, bool hardware, char *err,
                       size_t err_size)
{
    if (s->bitrate > 0) {
        ctx->bit_rate = s->bitrate;
        return 0;
    }
    if (desc->default_crf < 0)
        return 0; /* lossless */
    int crf = s->crf >= 0 ? s->crf : desc->default_crf;
    int rc = 0;
    if (hardware) {
        /* NVENC's constant-quality mode: VBR with a cq target on the same
         * 0..51 scale as x264's crf. */
        rc = av_opt_set(ctx->priv_data, "rc", "vbr", 0);
        if (rc >= 0)
            rc = av_opt_set_int(ctx->priv_data, "cq", crf, 0);
    } else {
        rc = av_opt_set_int(ctx->priv_data, "crf", crf, 0);
    }
    ctx->bit_rate = 0; /* libvpx: crf alone means constant quality */
    if (rc < 0) {
        vg_encode_error(err, err_size, "crf", rc);
        return VG_ERR_CONFIG;
    }
    return 0;
}

static int set_preset(AVCodecContext *ctx, const vg_codec_desc *desc,
                      const vg_encode_settings *s, bool hardware, char *err,
                      size_t err_size)
{
    const char *preset = s->preset  ? s->preset
                         : hardware ? NULL
                                    : desc->default_preset;
    if (!preset)
        return 0;
    /* libvpx calls its speed/quality trade-off cpu-used (0 slowest). */
    const char *option =
        strcmp(ctx->codec->name, "libvpx-vp9") == 0 ? "cpu-used" : "preset";
    if (av_opt_set(ctx->priv_data, option, preset, 0) < 0)
        return config_error(err, err_size, "preset '%s' is not one %s knows",
                            preset, ctx->codec->name);
    return 0;
}

static int configure(AVCodecContext *ctx, const vg_codec_desc *desc,
                     const vg_encode_format *f, const vg_encode_settings *s,
                     bool hardware, bool global_header, char *err,
                     size_t err_size)
{
    ctx->width = f->width;
    ctx->height = f->height;
    ctx->pix_fmt = AV_PIX_FMT_YUV420P;
    ctx->time_base = (AVRational){(int)f->fps_den, (int)f->fps_num};
    ctx->framerate = (AVRational){(int)f->fps_num, (int)f->fps_den};
    ctx->gop_size = s->keyint
                        ? (int)s->keyint
                        : (int)fmax(1.0, round(2.0 * f->fps_num / f->fps_den));
    ctx->thread_count = 0; /* as many as the encoder finds useful */
    if (global_header)
        ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    tag_colour(ctx, f);
    if (strcmp(ctx->codec->name, "libvpx-vp9") == 0)
        av_opt_set_int(ctx->priv_data, "row-mt", 1, 0);
    if (strcmp(ctx->codec->name, "libsvtav1") == 0)
        /* SVT-AV1 prints its banner to stderr itself; its only control is
         * this variable (1: errors), read when the encoder opens.  A value
         * the user set is kept. */
        setenv("SVT_LOG", "1", 0);
    if (strcmp(ctx->codec->name, "libx265") == 0)
        /* x265 prints to stderr itself, not through av_log. */
        av_opt_set(ctx->priv_data, "x265-params", "log-level=error", 0);
    int rc = set_quality(ctx, desc, s, hardware, err, err_size);
    return rc == 0 ? set_preset(ctx, desc, s, hardware, err, err_size) : rc;
}

/* Open `name`; on failure err says why. */
static int try_open(const char *name, const vg_codec_desc *desc,
                    const vg_encode_format *f, const vg_encode_settings *s,
                    bool hardware, bool global_header, AVCodecContext **out,
                    char *err, size_t err_size)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    if (!codec) {
        snprintf(err, err_size, "%s is not in this FFmpeg build", name);
        return VG_ERR_UNSUPPORTED;
    }
    AVCodecContext *ctx = avcodec_alloc_context3(codec);
    if (!ctx) {
        snprintf(err, err_size, "out of memory");
        return VG_ERR_NO_MEMORY;
    }
    int rc = configure(ctx, desc, f, s, hardware, global_header, err, err_size);
    if (rc == 0) {
        vg_encode_log_clear();
        int av = avcodec_open2(ctx, codec, NULL);
        if (av < 0) {
            char what[64];
            snprintf(what, sizeof what, "%s did not open", name);
            vg_encode_error(err, err_size, what, av);
            rc = VG_ERR_CONFIG;
        }
    }
    if (rc != 0)
        avcodec_free_context(&ctx);
    *out = ctx;
    return rc;
}

/* Settings that are wrong whichever encoder runs: said before any opens. */
static int check_settings(const vg_codec_desc *desc, const vg_encode_format *f,
                          const vg_encode_settings *s, char *err,
                          size_t err_size)
{
    if (s->pix_fmt && strcmp(s->pix_fmt, "yuv420p") != 0)
        return config_error(err, err_size,
                            "pixel format '%s': vg renders 4:2:0, so only "
                            "yuv420p is written",
                            s->pix_fmt);
    if (s->crf >= 0 && s->bitrate > 0)
        return config_error(err, err_size, "give crf or bitrate, not both");
    if (s->crf >= 0 && desc->default_crf < 0)
        return config_error(err, err_size, "%s is lossless: it takes no crf",
                            desc->name);
    if (s->crf > desc->max_crf)
        return config_error(err, err_size, "crf for %s goes from 0 to %d",
                            desc->name, desc->max_crf);
    if (strcmp(desc->name, "ffv1") != 0 && (f->width % 2 || f->height % 2))
        return config_error(err, err_size,
                            "%dx%d: %s needs an even width and height in "
                            "4:2:0 (write .y4m, or .mkv with codec ffv1)",
                            f->width, f->height, desc->software);
    return 0;
}

int vg_codec_open(const vg_codec_desc *desc, bool asked,
                  const vg_encode_format *format,
                  const vg_encode_settings *settings, bool global_header,
                  vg_opened_codec *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    int rc = check_settings(desc, format, settings, err, err_size);
    if (rc != 0)
        return rc;
    char hardware_reason[400] = "";
    if (desc->hardware_first) {
        rc = try_open(desc->hardware, desc, format, settings, true,
                      global_header, &out->ctx, hardware_reason,
                      sizeof hardware_reason);
        if (rc == 0) {
            snprintf(out->choice, sizeof out->choice,
                     "%s opened on this machine", desc->hardware);
            return 0;
        }
    }
    rc = try_open(desc->software, desc, format, settings, false, global_header,
                  &out->ctx, err, err_size);
    if (rc != 0)
        return rc;
    if (hardware_reason[0])
        snprintf(out->choice, sizeof out->choice, "%s", hardware_reason);
    else
        snprintf(out->choice, sizeof out->choice, "%s",
                 asked ? "asked for" : "the container's default");
    return 0;
}

/*
 * encode_internal.h - the pieces of libvg_encode (internal to it).
 *
 * Files: encode_codecs.c (the one table of codecs and containers),
 * encode_open.c (choose and open the codec, NVENC first where asked),
 * encode_io.c (the AVIOContext over a vg_output_file), encode_mux.c (the
 * public vg_encoder: muxer, frames, trailer), encode_audio.c (the sound
 * track), encode_log.c (FFmpeg's log
 * into error messages).
 */
#ifndef VG_ENCODE_INTERNAL_H
#define VG_ENCODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "vg/encode.h"
#include "vg/output_file.h"

/* One row per --codec name. */
typedef struct vg_codec_desc {
    const char *name;     /* the --codec / codec: value */
    const char *software; /* FFmpeg software encoder, or NULL */
    const char *hardware; /* NVIDIA encoder tried first, or NULL */
    bool hardware_first;  /* try `hardware` before `software` */
    int default_crf;      /* -1: no quality scale (lossless) */
    int max_crf;
    const char *default_preset; /* NULL: the encoder's own */
    const char *containers;     /* the containers it may go in */
} vg_codec_desc;

/* The row for `name`; "auto" (or NULL) is the container's default with
 * its hardware encoder first.  NULL when unknown. */
const vg_codec_desc *vg_codec_lookup(const char *name, const char *container);

/* True when `container` is in `codec`'s list. */
bool vg_codec_fits(const vg_codec_desc *codec, const char *container);

/* The chosen, opened encoder. */
typedef struct vg_opened_codec {
    AVCodecContext *ctx;
    char choice[512]; /* why this one */
} vg_opened_codec;

/* Choose and open the encoder for `desc` (see vg/encode.h on hardware
 * fallback).  Returns 0 or VG_ERR_CONFIG with err set. */
int vg_codec_open(const vg_codec_desc *desc, bool asked,
                  const vg_encode_format *format,
                  const vg_encode_settings *settings, bool global_header,
                  vg_opened_codec *out, char *err, size_t err_size);

/* An AVIOContext writing `file`'s descriptor at explicit offsets, seekable
 * when the file is (not a FIFO or device).  NULL when out of memory. */
AVIOContext *vg_encode_io_create(vg_output_file *file);
void vg_encode_io_destroy(AVIOContext **io);

/* Open a second, reading AVIOContext on the same file: what the MP4
 * muxer's faststart pass asks for through AVFormatContext.io_open. */
int vg_encode_io_open(AVFormatContext *s, AVIOContext **pb, const char *url,
                      int flags, AVDictionary **options);
int vg_encode_io_close(AVFormatContext *s, AVIOContext *pb);

/* The audio track of an encoder (encode_audio.c). */
typedef struct vg_audio_track vg_audio_track;

/* Open the file, its decoder, the encoder for `container` and a stream in
 * `mux` (before its header is written).  Returns 0 or VG_ERR_CONFIG /
 * VG_ERR_NO_MEMORY with err set. */
int vg_audio_track_create(const vg_encode_audio *cfg, AVFormatContext *mux,
                          const char *container, vg_audio_track **out,
                          char *err, size_t err_size);

/* Encode the track up to `seconds` of video; `last`: the video ends there
 * (short last frame, encoder flushed).  Returns 0 or an AVERROR. */
int vg_audio_track_write_until(vg_audio_track *t, AVFormatContext *mux,
                               double seconds, bool last);

void vg_audio_track_destroy(vg_audio_track **t);

/* Route FFmpeg's log here (once per process): nothing is printed; the last
 * error-level line is kept per thread. */
void vg_encode_log_install(void);
void vg_encode_log_clear(void);
/* The last error FFmpeg logged on this thread since the clear, "" if none. */
const char *vg_encode_log_last(void);

/* "what: FFmpeg's reason (the last logged error)" into err. */
void vg_encode_error(char *err, size_t err_size, const char *what, int averr);

#endif /* VG_ENCODE_INTERNAL_H */

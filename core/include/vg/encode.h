/*
 * vg/encode.h - encoded video output through FFmpeg's libraries
 * (libavcodec, libavformat), in libvg_encode.
 *
 * The container follows the file name (vg_encode_container); the stream is
 * tagged with the colour description vg renders (BT.709 primaries and
 * transfer, the job's matrix and range, chroma sited at the centre of each
 * 2x2 block) and has constant-frame-rate timestamps.  The file is written
 * through vg/output_file.h, so it appears under its name only when complete.
 *
 * Codecs (one table, encode_codecs.c): h264 (libx264), hevc (libx265), av1
 * (libsvtav1), vp9 (libvpx-vp9), ffv1, the NVIDIA encoders h264_nvenc and
 * hevc_nvenc, and auto: the container's default codec, on an NVIDIA
 * encoder when one opens on this machine, else in software.  A hardware
 * encoder that does not open never fails the job: the software encoder
 * takes over and vg_encoder_choice says why.
 *
 * libvg_encode routes FFmpeg's log into its error messages: it installs an
 * av_log callback (once) that prints nothing.
 *
 * An audio file that cannot be opened or decoded is VG_ERR_CONFIG at
 * create, before any frame.
 *
 * Ownership: a vg_encoder owns its codec, muxer and output file until
 * finished or destroyed.  Thread-safety: one thread per encoder.
 */
#ifndef VG_ENCODE_H
#define VG_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vg/api.h"
#include "vg/image.h"
#include "vg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The video the frames make up. */
typedef struct vg_encode_format {
    int32_t width;
    int32_t height;
    uint32_t fps_num; /* frame rate = fps_num / fps_den */
    uint32_t fps_den;
    vg_color_matrix matrix;
    vg_color_range range;
} vg_encode_format;

/* A sound track for the video: `path` decoded from `start` seconds in,
 * resampled to 48 kHz stereo, faded and encoded (AAC in MP4, MOV and NUT;
 * Opus in Matroska and WebM), cut where the video ends.  For a piece of a
 * longer video, `offset` is where the piece starts in it (seconds) and
 * `total` that video's length, so pieces fade and join as the whole
 * would. */
typedef struct vg_encode_audio {
    const char *path; /* NULL: no audio */
    double start;     /* seconds into the file at the video's time 0 */
    double fade_in;   /* seconds, from the whole video's start */
    double fade_out;  /* seconds, ending at `total` */
    double offset;    /* seconds: where this video starts in the whole */
    double total;     /* seconds: the whole video's length */
} vg_encode_audio;

/* How to encode.  Zeroed fields take the defaults; only needs to live for
 * the vg_encoder_create call. */
typedef struct vg_encode_settings {
    const char *codec;   /* NULL or "auto": the container's default */
    int crf;             /* quality, 0 best; < 0: the codec's default */
    int64_t bitrate;     /* bits per second instead of crf; 0: crf */
    const char *preset;  /* the encoder's speed preset; NULL: default */
    uint32_t keyint;     /* frames between keyframes; 0: 2 seconds */
    const char *pix_fmt; /* NULL or "yuv420p" (what vg renders) */
    int64_t first_pts;   /* timestamp of the first frame, in frames: a
                            piece of a longer video keeps its place */
    /* Container metadata set by the caller: "key", "value", ..., NULL.
     * Written as tags in every container (in MP4 and MOV as custom
     * metadata items), read back with ffprobe -show_format. */
    const char *const *metadata;
    const vg_encode_audio *audio; /* NULL: video only */
} vg_encode_settings;

typedef struct vg_encoder vg_encoder;

/* The container FFmpeg muxes for `path`'s extension ("mp4", "matroska",
 * "mov", "webm", "nut"; case-insensitive), or NULL when it is not one. */
VG_API const char *vg_encode_container(const char *path);

/* The extensions vg_encode_container knows, for messages:
 * ".mp4, .mkv, .mov, .webm, .nut". */
VG_API const char *vg_encode_extensions(void);

/* The --codec names, for messages: "auto, h264, hevc, ...". */
VG_API const char *vg_encode_codec_names(void);

/* Open the encoder and the file `path` (its container from the extension).
 * Settings that do not fit the codec or container (vp9 in MOV, a crf out of
 * range, an odd size in 4:2:0) are VG_ERR_CONFIG with the reason; a file
 * that cannot be created is VG_ERR_IO.  Returns 0 or a vg error with err
 * set; nothing is left on disk on failure. */
VG_API int vg_encoder_create(const char *path, const vg_encode_format *format,
                             const vg_encode_settings *settings,
                             vg_encoder **out, char *err, size_t err_size);

/* Encode the next frame: an I420 image of the format's size.  Returns 0 or
 * VG_ERR_IO (encoding or writing failed) with err set. */
VG_API int vg_encoder_write_frame(vg_encoder *enc, const vg_image *i420,
                                  char *err, size_t err_size);

/* Flush the encoder, write the container's trailer and move the file into
 * place; frees the encoder and clears the pointer.  Returns 0 or VG_ERR_IO
 * (nothing is left under the name). */
VG_API int vg_encoder_finish(vg_encoder **enc, char *err, size_t err_size);

/* Stop and remove everything written; frees and clears.  NULL is a no-op. */
VG_API void vg_encoder_destroy(vg_encoder **enc);

/* The FFmpeg encoder in use ("libx264", "h264_nvenc"). */
VG_API const char *vg_encoder_codec(const vg_encoder *enc);

/* The container ("mp4"). */
VG_API const char *vg_encoder_container(const vg_encoder *enc);

/* Why this encoder: "h264_nvenc did not open: Cannot load libcuda.so.1",
 * "asked for", "the default for mp4".  Valid while enc lives. */
VG_API const char *vg_encoder_choice(const vg_encoder *enc);

#ifdef __cplusplus
}
#endif

#endif /* VG_ENCODE_H */

/*
 * encode_codecs.c - the one table of codecs and the one of containers.
 *
 * The defaults aim at "visually lossless, plays everywhere": H.264 High at
 * crf 18 in MP4, MKV, MOV and NUT; VP9 at crf 31 (libvpx's constant-quality
 * scale is coarser) in WebM, which allows only VP8, VP9 and AV1.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "encode_internal.h"

static const vg_codec_desc codecs[] = {
    {"h264", "libx264", "h264_nvenc", false, 18, 51, NULL,
     " mp4 mov matroska nut "},
    {"hevc", "libx265", "hevc_nvenc", false, 20, 51, NULL,
     " mp4 mov matroska nut "},
    {"av1", "libsvtav1", NULL, false, 30, 63, NULL, " mp4 matroska webm nut "},
    /* cpu-used 4: libvpx's default (1) is several times slower at 1080p
     * for a difference few can see. */
    {"vp9", "libvpx-vp9", NULL, false, 31, 63, "4", " mp4 matroska webm nut "},
    {"ffv1", "ffv1", NULL, false, -1, -1, NULL, " matroska nut "},
    {"h264_nvenc", "libx264", "h264_nvenc", true, 18, 51, NULL,
     " mp4 mov matroska nut "},
    {"hevc_nvenc", "libx265", "hevc_nvenc", true, 20, 51, NULL,
     " mp4 mov matroska nut "},
};

static const struct {
    const char *extension;
    const char *container;
    const char *default_codec; /* what auto means here */
} containers[] = {
    {".mp4", "mp4", "h264_nvenc"}, {".mkv", "matroska", "h264_nvenc"},
    {".mov", "mov", "h264_nvenc"}, {".webm", "webm", "vp9"},
    {".nut", "nut", "h264_nvenc"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *vg_encode_container(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && slash > dot))
        return NULL;
    for (size_t i = 0; i < COUNT(containers); i++)
        if (strcasecmp(dot, containers[i].extension) == 0)
            return containers[i].container;
    return NULL;
}

const char *vg_encode_extensions(void)
{
    return ".mp4, .mkv, .mov, .webm, .nut";
}

const char *vg_encode_codec_names(void)
{
    return "auto, h264, hevc, av1, vp9, ffv1, h264_nvenc, hevc_nvenc";
}

const vg_codec_desc *vg_codec_lookup(const char *name, const char *container)
{
    if (!name || strcmp(name, "auto") == 0) {
        name = NULL;
        for (size_t i = 0; i < COUNT(containers) && !name; i++)
            if (strcmp(containers[i].container, container) == 0)
                name = containers[i].default_codec;
        if (!name)
            return NULL;
    }
    for (size_t i = 0; i < COUNT(codecs); i++)
        if (strcmp(codecs[i].name, name) == 0)
            return &codecs[i];
    return NULL;
}

bool vg_codec_fits(const vg_codec_desc *codec, const char *container)
{
    char word[32];
    snprintf(word, sizeof word, " %s ", container);
    return strstr(codec->containers, word) != NULL;
}

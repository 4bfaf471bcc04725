/*
 * config_output.c - the output: section (encoded video settings).
 *
 * Types and ranges are checked here, with the exact node in the message;
 * whether a codec, preset or pixel format exists is the encoder's to say
 * (libvg does not link FFmpeg), and vgrun prefixes that message with the
 * section's position.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/strutil.h"
#include "config/config_internal.h"
#include "config/config_output.h"

#define DESCRIBE_MAX 80

typedef struct output_loader {
    vg_config_output *out;
    const char *file;
    char *err;
    size_t err_size;
    const vg_yaml_node *crf_node, *bitrate_node;
} output_loader;

static int expected(output_loader *ld, const vg_yaml_node *node,
                    const char *path, const char *what)
{
    char got[DESCRIBE_MAX];
    vg_yaml_describe(node, got, sizeof got);
    vg_diag_errorf(ld->err, ld->err_size, ld->file, node->line, node->column,
                   path, "expected %s, got %s", what, got);
    return VG_ERR_CONFIG;
}

static int load_string(output_loader *ld, const vg_yaml_node *node,
                       const char *path, char **field)
{
    if (node->kind != VG_YAML_SCALAR || node->is_null || !node->text[0])
        return expected(ld, node, path, "a name");
    char *copy = vg_strdup(node->text);
    if (!copy)
        return VG_ERR_NO_MEMORY;
    free(*field);
    *field = copy;
    return 0;
}

/* An integer in [min, max]; with `suffixes`, k, M and G multiply by 1000s
 * (bit rates are written 8M). */
static int load_integer(output_loader *ld, const vg_yaml_node *node,
                        const char *path, long long min, long long max,
                        bool suffixes, const char *what, long long *out)
{
    if (node->kind != VG_YAML_SCALAR || node->is_null)
        return expected(ld, node, path, what);
    errno = 0;
    char *end = NULL;
    long long v = strtoll(node->text, &end, 10);
    long long scale = 1;
    if (suffixes && end && *end && end[1] == '\0') {
        scale = *end == 'k'   ? 1000
                : *end == 'M' ? 1000000
                : *end == 'G' ? 1000000000
                              : 0;
        if (scale)
            end++;
    }
    if (end == node->text || *end || errno || !scale || v < min / scale ||
        v > max / scale || v * scale < min)
        return expected(ld, node, path, what);
    *out = v * scale;
    return 0;
}

static int load_key(output_loader *ld, const char *key,
                    const vg_yaml_node *value, const char *path)
{
    long long n = 0;
    int rc;
    if (strcmp(key, "codec") == 0)
        return load_string(ld, value, path, &ld->out->codec);
    if (strcmp(key, "preset") == 0)
        return load_string(ld, value, path, &ld->out->preset);
    if (strcmp(key, "pix_fmt") == 0)
        return load_string(ld, value, path, &ld->out->pix_fmt);
    if (strcmp(key, "crf") == 0) {
        rc = load_integer(ld, value, path, 0, 63, false,
                          "an integer from 0 to 63", &n);
        ld->out->crf = (int)n;
        ld->crf_node = value;
        return rc;
    }
    if (strcmp(key, "bitrate") == 0) {
        rc = load_integer(ld, value, path, 1000, 1000000000000LL, true,
                          "bits per second from 1k to 1000G (e.g. 8M)", &n);
        ld->out->bitrate = n;
        ld->bitrate_node = value;
        return rc;
    }
    if (strcmp(key, "keyint") == 0) {
        rc = load_integer(ld, value, path, 1, 100000, false,
                          "an integer from 1 to 100000", &n);
        ld->out->keyint = (unsigned)n;
        return rc;
    }
    vg_diag_errorf(ld->err, ld->err_size, ld->file, value->line, value->column,
                   path,
                   "unknown key '%s' (expected one of: codec, crf, "
                   "bitrate, preset, keyint, pix_fmt)",
                   key);
    return VG_ERR_CONFIG;
}

int vg_config_load_output(vg_config *cfg, const char *file,
                          const vg_yaml_node *node, const char *path, char *err,
                          size_t err_size)
{
    output_loader ld = {&cfg->output, file, err, err_size, NULL, NULL};
    cfg->output.mark = (vg_config_mark){file, node->line, node->column};
    if (node->kind == VG_YAML_SCALAR && node->is_null)
        return 0;
    if (node->kind != VG_YAML_MAPPING)
        return expected(&ld, node, path, "a mapping");
    for (size_t i = 0; i < node->child_count; i += 2) {
        char child[VG_KEY_PATH_MAX];
        vg_key_path_join(child, sizeof child, path, node->children[i]->text);
        int rc = load_key(&ld, node->children[i]->text, node->children[i + 1],
                          child);
        if (rc == VG_ERR_NO_MEMORY)
            vg_diag_errorf(err, err_size, file, 0, 0, NULL, "out of memory");
        if (rc != 0)
            return rc;
    }
    if (ld.crf_node && ld.bitrate_node) {
        const vg_yaml_node *later = ld.crf_node->line > ld.bitrate_node->line
                                        ? ld.crf_node
                                        : ld.bitrate_node;
        vg_diag_errorf(err, err_size, file, later->line, later->column, path,
                       "give crf or bitrate, not both");
        return VG_ERR_CONFIG;
    }
    return 0;
}

void vg_config_output_clear(vg_config_output *output)
{
    free(output->codec);
    free(output->preset);
    free(output->pix_fmt);
    memset(output, 0, sizeof *output);
}

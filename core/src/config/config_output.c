/*
 * config_output.c - the output: section's rule that no one key can check
 * alone: crf and bitrate exclude each other.
 *
 * Its keys are typed rows (VG_CONFIG_OUTPUT_KEYS in vg/config.h) read by
 * config_load.c; whether a codec, preset or pixel format exists is the
 * encoder's to say (libvg does not link FFmpeg), and vgrun prefixes that
 * message with the section's position, kept here in output->mark.
 */
#include "config/config_output.h"

int vg_config_check_output(const vg_yaml_doc *doc, const vg_yaml_node *node,
                           const char *path, vg_config_output *output)
{
    output->mark = (vg_config_mark){doc->file, node->line, node->column};
    const vg_yaml_node *crf = vg_yaml_get(node, "crf");
    const vg_yaml_node *bitrate = vg_yaml_get(node, "bitrate");
    if (crf == NULL || bitrate == NULL)
        return 0;
    const vg_yaml_node *later = crf->line > bitrate->line ? crf : bitrate;
    return vg_yaml_fail(doc, later, path, "give crf or bitrate, not both");
}

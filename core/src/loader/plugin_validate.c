/*
 * plugin_validate.c - check a plugin descriptor before anything uses it.
 *
 * The descriptor crosses a dlopen boundary from code we did not build, so
 * every field the core relies on is checked once here (STYLE.md: "version
 * checked before anything else, required fields validated").
 */
#include <stdio.h>
#include <string.h>

#include "loader/loaded_plugin.h"
#include "common/strutil.h"

/* Every slot of ABI v1 that must be set, with its name for messages. */
#define VG_REQUIRED_SLOTS(X)                                                   \
    X(probe) X(check_device) X(open) X(close) X(last_error) X(frame_alloc)     \
    X(frame_free) X(frame_upload) X(frame_download) X(fill_pattern)            \
    X(warp_affine) X(blend) X(blur) X(rgba_to_i420) X(i420_to_rgba) X(sync)

static int validate_options(const vg_plugin *desc, const char *path,
                            char *reason, size_t reason_size)
{
    if (desc->option_count > 0 && !desc->options) {
        snprintf(reason, reason_size,
                 "%s: declares %u options but no option table", path,
                 desc->option_count);
        return VG_ERR_PLUGIN;
    }
    for (uint32_t i = 0; i < desc->option_count; i++) {
        const vg_option_desc *o = &desc->options[i];
        bool needs_choices =
            o->type == VG_OPTION_ENUM || o->type == VG_OPTION_FLAGS;
        if (!o->name || !vg_is_backend_name(o->name) || !o->default_value ||
            o->type < VG_OPTION_BOOL || o->type > VG_OPTION_FLAGS ||
            (needs_choices && !o->choices)) {
            snprintf(reason, reason_size,
                     "%s: option %u ('%s') is malformed (name, type, default "
                     "or choices missing)",
                     path, i, o->name ? o->name : "(null)");
            return VG_ERR_PLUGIN;
        }
    }
    return 0;
}

int vg_plugin_validate(const vg_plugin *desc, const char *path, char *reason,
                       size_t reason_size)
{
    if (desc->abi_version == 0 || desc->abi_version > VG_PLUGIN_ABI_VERSION) {
        snprintf(reason, reason_size,
                 "%s: ABI version %u not supported (this vg speaks 1 to %u)",
                 path, desc->abi_version, VG_PLUGIN_ABI_VERSION);
        return VG_ERR_PLUGIN;
    }
    size_t need = desc->abi_version >= 3   ? VG_PLUGIN_SIZE_V3
                  : desc->abi_version == 2 ? VG_PLUGIN_SIZE_V2
                                           : VG_PLUGIN_SIZE_V1;
    if (desc->struct_size < need) {
        snprintf(reason, reason_size,
                 "%s: descriptor too short for ABI version %u (struct_size %u, "
                 "need at least %zu)",
                 path, desc->abi_version, desc->struct_size, need);
        return VG_ERR_PLUGIN;
    }
    if (!desc->name || !vg_is_backend_name(desc->name)) {
        snprintf(reason, reason_size,
                 "%s: plugin name %s%s%s is not [a-z0-9_]+", path,
                 desc->name ? "'" : "", desc->name ? desc->name : "(null)",
                 desc->name ? "'" : "");
        return VG_ERR_PLUGIN;
    }
    if (desc->kind < VG_BACKEND_GPU || desc->kind > VG_BACKEND_OTHER) {
        snprintf(reason, reason_size, "%s: unknown backend kind %u", path,
                 desc->kind);
        return VG_ERR_PLUGIN;
    }
#define VG_CHECK_SLOT_(slot)                                                   \
    if (!desc->slot) {                                                         \
        snprintf(reason, reason_size, "%s: required slot '%s' is NULL", path, \
                 #slot);                                                       \
        return VG_ERR_PLUGIN;                                                  \
    }
    VG_REQUIRED_SLOTS(VG_CHECK_SLOT_)
#undef VG_CHECK_SLOT_
    /* One without the other would leave a started download unwaitable. */
    if (VG_PLUGIN_HAS_SLOT(desc, frame_download_start) !=
        VG_PLUGIN_HAS_SLOT(desc, frame_download_wait)) {
        snprintf(reason, reason_size,
                 "%s: optional slots 'frame_download_start' and "
                 "'frame_download_wait' must be set together",
                 path);
        return VG_ERR_PLUGIN;
    }
    return validate_options(desc, path, reason, reason_size);
}

/*
 * plugin_validate.c - check a plugin descriptor before anything uses it.
 *
 * The descriptor crosses a dlopen boundary from code we did not build, so
 * every field the core relies on is checked once here: the version before
 * anything else, then the size, then the fields and the required slots.
 * The slot checks are generated from VG_PLUGIN_SLOTS (vg/plugin.h), so a
 * row added there is validated with no edit here.
 */
#include <stdio.h>
#include <string.h>

#include "common/strutil.h"
#include "loader/loaded_plugin.h"

size_t vg_plugin_size_for_abi(uint32_t abi_version)
{
    size_t size = offsetof(vg_plugin, option_count) + sizeof(uint32_t);
#define VG_SLOT_END_(x, name, presence, since, ...)                            \
    if ((since) <= abi_version &&                                              \
        offsetof(vg_plugin, name) + sizeof(void (*)(void)) > size)             \
        size = offsetof(vg_plugin, name) + sizeof(void (*)(void));
    VG_PLUGIN_SLOTS(VG_SLOT_END_, VG_SLOT_END_, )
#undef VG_SLOT_END_
    return size;
}

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

/* Every REQUIRED slot of the descriptor's ABI version must be set.  A slot
 * appended after that version is absent (NULL) in the copy, never read
 * from the plugin. */
static int validate_slots(const vg_plugin *desc, const char *path, char *reason,
                          size_t reason_size)
{
#define VG_CHECK_SLOT_(x, name, presence, since, ...)                          \
    if (VG_SLOT_IS_##presence && (since) <= desc->abi_version &&               \
        !desc->name) {                                                         \
        snprintf(reason, reason_size, "%s: required slot '%s' is NULL", path,  \
                 #name);                                                       \
        return VG_ERR_PLUGIN;                                                  \
    }
    VG_PLUGIN_SLOTS(VG_CHECK_SLOT_, VG_CHECK_SLOT_, )
#undef VG_CHECK_SLOT_
    /* ABI version 3's pair: one without the other would leave a started
     * download unwaitable. */
    if (!desc->frame_download_start != !desc->frame_download_wait) {
        snprintf(reason, reason_size,
                 "%s: optional slots 'frame_download_start' and "
                 "'frame_download_wait' must be set together",
                 path);
        return VG_ERR_PLUGIN;
    }
    return 0;
}

int vg_plugin_validate(const vg_plugin *raw, const char *path, vg_plugin *copy,
                       char *reason, size_t reason_size)
{
    memset(copy, 0, sizeof *copy);
    if (raw->abi_version == 0 || raw->abi_version > VG_PLUGIN_ABI_VERSION) {
        snprintf(reason, reason_size,
                 "%s: ABI version %u not supported (this vg speaks 1 to %u)",
                 path, raw->abi_version, VG_PLUGIN_ABI_VERSION);
        return VG_ERR_PLUGIN;
    }
    size_t need = vg_plugin_size_for_abi(raw->abi_version);
    if (raw->struct_size < need) {
        snprintf(reason, reason_size,
                 "%s: descriptor too short for ABI version %u (struct_size %u, "
                 "need at least %zu)",
                 path, raw->abi_version, raw->struct_size, need);
        return VG_ERR_PLUGIN;
    }
    /* Exactly the descriptor of the version the plugin claims: slots a
     * newer plugin appended stay unread, and slots this vg knows but the
     * plugin's version lacks read as NULL. */
    memcpy(copy, raw, need);
    if (!copy->name || !vg_is_backend_name(copy->name)) {
        snprintf(reason, reason_size,
                 "%s: plugin name %s%s%s is not [a-z0-9_]+", path,
                 copy->name ? "'" : "", copy->name ? copy->name : "(null)",
                 copy->name ? "'" : "");
        return VG_ERR_PLUGIN;
    }
    if (copy->kind < VG_BACKEND_GPU || copy->kind > VG_BACKEND_OTHER) {
        snprintf(reason, reason_size, "%s: unknown backend kind %u", path,
                 copy->kind);
        return VG_ERR_PLUGIN;
    }
    int rc = validate_slots(copy, path, reason, reason_size);
    if (rc == 0)
        rc = validate_options(copy, path, reason, reason_size);
    return rc;
}

void vg_probe_result_sanitize(vg_probe_result *probe)
{
    probe->reason[sizeof probe->reason - 1] = '\0';
    probe->detail[sizeof probe->detail - 1] = '\0';
    if (probe->device_count > VG_MAX_DEVICES)
        probe->device_count = VG_MAX_DEVICES;
    for (uint32_t i = 0; i < probe->device_count; i++) {
        vg_device_info *d = &probe->devices[i];
        d->name[sizeof d->name - 1] = '\0';
        d->vendor[sizeof d->vendor - 1] = '\0';
        d->driver[sizeof d->driver - 1] = '\0';
        d->detail[sizeof d->detail - 1] = '\0';
    }
}

/*
 * limits.c - the built-in input limits: the defaults of VG_LIMITS_KEYS
 * (vg/limits.h, where each one's reason is written).
 */
#include "vg/limits.h"

vg_limits vg_limits_default(void)
{
#define VG_LIMIT_DEFAULT_(key, field, type, default_value, constraint)         \
    .field = default_value,
    return (vg_limits){VG_LIMITS_KEYS(VG_LIMIT_DEFAULT_)};
#undef VG_LIMIT_DEFAULT_
}

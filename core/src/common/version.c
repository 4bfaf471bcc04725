/*
 * version.c - the version of this libvg, for programs that need the
 * library's version rather than the one of the headers they were built with.
 */
#include "vg/version.h"

const char *vg_version(void)
{
    return VG_VERSION_STRING;
}

int vg_version_number(void)
{
    return VG_VERSION_NUMBER;
}

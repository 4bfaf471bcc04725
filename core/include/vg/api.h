/*
 * vg/api.h - VG_API marks the functions libvg exports.
 *
 * libvg is built with -fvisibility=hidden, so only declarations marked
 * VG_API are part of its ABI; everything else stays internal.
 */
#ifndef VG_API_H
#define VG_API_H

#if defined(_WIN32)
#if defined(VG_BUILDING_LIBRARY)
#define VG_API __declspec(dllexport)
#else
#define VG_API __declspec(dllimport)
#endif
#else
#define VG_API __attribute__((visibility("default")))
#endif

#endif /* VG_API_H */

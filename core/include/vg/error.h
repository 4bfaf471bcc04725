/*
 * vg/error.h - the one table of vg error codes and their messages.
 *
 * Shared by libvg, vgrun and every plugin: a plugin returns these codes
 * through the ABI, so a code's value never changes once released (new codes
 * are only appended).  Functions in vg return 0 on success or one of the
 * negative codes below; the place that knows the context (which file, which
 * backend, which line of YAML) adds it to a message once.
 *
 * Header-only and dependency-free so a plugin can use it without linking
 * libvg.  Thread-safe: everything here is constant.
 */
#ifndef VG_ERROR_H
#define VG_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, message): the single source of both codes and messages
 * (the libuv/SQLite pattern), so the two can never disagree. */
#define VG_ERROR_TABLE(X)                                                      \
    X(OK, 0, "success")                                                        \
    X(INVALID_ARGUMENT, -1, "invalid argument")                                \
    X(NO_MEMORY, -2, "out of memory")                                          \
    X(UNSUPPORTED, -3, "not supported")                                        \
    X(NO_DEVICE, -4, "no device")                                              \
    X(DRIVER, -5, "driver error")                                              \
    X(KERNEL, -6, "kernel failed")                                             \
    X(IO, -7, "input/output error")                                            \
    X(CONFIG, -8, "configuration error")                                       \
    X(LIMIT, -9, "size limit exceeded")                                        \
    X(PLUGIN, -10, "not a valid vg plugin")                                    \
    X(MISMATCH, -11, "output differs from the reference")                      \
    X(NOT_FOUND, -12, "not found")                                             \
    X(NO_BACKEND, -13, "no usable backend")                                    \
    X(CRASHED, -14, "crashed")                                                 \
    X(INTERRUPTED, -15, "interrupted")

enum vg_error {
#define VG_ERROR_ENUM_(name, value, message) VG_ERR_##name = (value),
    VG_ERROR_TABLE(VG_ERROR_ENUM_)
#undef VG_ERROR_ENUM_
};

/* The message for an error code; never NULL ("unknown error" for codes that
 * are not in the table, e.g. from a newer plugin). */
static inline const char *vg_strerror(int code)
{
    switch (code) {
#define VG_ERROR_CASE_(name, value, message)                                   \
    case (value):                                                              \
        return (message);
        VG_ERROR_TABLE(VG_ERROR_CASE_)
#undef VG_ERROR_CASE_
    }
    return "unknown error";
}

/* The symbolic name of a code ("VG_ERR_KERNEL"), for JSON reports and logs. */
static inline const char *vg_error_name(int code)
{
    switch (code) {
#define VG_ERROR_NAME_(name, value, message)                                   \
    case (value):                                                              \
        return "VG_ERR_" #name;
        VG_ERROR_TABLE(VG_ERROR_NAME_)
#undef VG_ERROR_NAME_
    }
    return "VG_ERR_UNKNOWN";
}

#ifdef __cplusplus
}
#endif

#endif /* VG_ERROR_H */

/*
 * vg/config_key.h - the typed rows config keys are declared with.
 *
 * Every plain-valued config key is one row of an X-macro list, one list per
 * section (VG_CONFIG_*_KEYS in vg/config.h, VG_LIMITS_KEYS in vg/limits.h):
 *
 *     X(key, field, TYPE, default, constraint)
 *
 * key        the name in the YAML file
 * field      the struct member that holds it (usually the key's name)
 * TYPE       BOOL, SWITCH, INT, U32, U64, RATE, NUMBER or NAME (below)
 * default    the built-in default, equal to config.yaml's; a NAME default
 *            of NULL or an integer default outside the range means "not
 *            set", and config.yaml shows the key commented out
 * constraint VG_CONFIG_ANY, VG_CONFIG_RANGE(min, max),
 *            VG_CONFIG_RANGE_SAID(min, max, what),
 *            VG_CONFIG_BETWEEN(low, high) or VG_CONFIG_WORDS(yes, no)
 *
 * From the row come the struct member, its built-in default, its row in the
 * loader's key table (type and range checks, the "FILE:LINE:COLUMN: KEY:
 * expected WHAT, got ..." message, the "expected one of" list of the
 * section) and tests/test_config.c's generic checks: read from a file, a
 * wrong type refused with its place, the default equal to config.yaml's,
 * documented in docs/.  docs/contributing.md, "Add a config key".
 *
 * Thread-safety: plain data.
 */
#ifndef VG_CONFIG_KEY_H
#define VG_CONFIG_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a row's value is, and the member type that holds it. */
typedef enum vg_config_type {
    VG_CONFIG_BOOL,   /* true or false (yes and no too): bool */
    VG_CONFIG_SWITCH, /* one of two words; the first sets true: bool */
    VG_CONFIG_INT,    /* decimal integer in the range: int */
    VG_CONFIG_U32,    /* decimal integer in the range: uint32_t */
    VG_CONFIG_U64,    /* decimal integer in the range: uint64_t */
    VG_CONFIG_RATE,   /* integer, k, M or G multiply by 1000s: long long */
    VG_CONFIG_NUMBER, /* decimal number in [low, high]: double */
    VG_CONFIG_NAME    /* a non-empty text: char * (malloc'ed, owned) */
} vg_config_type;

#define VG_CONFIG_CTYPE_BOOL bool
#define VG_CONFIG_CTYPE_SWITCH bool
#define VG_CONFIG_CTYPE_INT int
#define VG_CONFIG_CTYPE_U32 uint32_t
#define VG_CONFIG_CTYPE_U64 uint64_t
#define VG_CONFIG_CTYPE_RATE long long
#define VG_CONFIG_CTYPE_NUMBER double
#define VG_CONFIG_CTYPE_NAME char *

/* One typed key, as the loader and the tests see it. */
typedef struct vg_config_key {
    const char *name; /* first: the key walker finds rows by it */
    vg_config_type type;
    size_t offset;        /* of the member in the section's base struct */
    long long min, max;   /* integer types: the accepted range */
    double low, high;     /* NUMBER: the accepted range */
    const char *what;     /* "expected WHAT"; NULL: said from the range */
    const char *words[2]; /* SWITCH: the word for true, the word for false */
} vg_config_key;

/* The constraints: designated initialisers of a vg_config_key. */
#define VG_CONFIG_ANY .what = NULL
#define VG_CONFIG_RANGE(lo, hi) .min = (lo), .max = (hi)
#define VG_CONFIG_RANGE_SAID(lo, hi, said)                                     \
    .min = (lo), .max = (hi), .what = (said)
#define VG_CONFIG_BETWEEN(lo, hi) .low = (lo), .high = (hi)
#define VG_CONFIG_WORDS(yes, no) .words = {(yes), (no)}

/* A row's struct member, for generating the struct from its list. */
#define VG_CONFIG_MEMBER(key, field, type, default_value, constraint)          \
    VG_CONFIG_CTYPE_##type field;

/* A row's vg_config_key, for a struct `base` the member is in; `prefix` is
 * the path from base to the section's struct ("output." or nothing).  The
 * constraint comes last, as the variable arguments: a row's constraint,
 * handed on by another macro, has been expanded to its commas. */
#define VG_CONFIG_KEY_INIT(base, prefix, key, field, kind, default_value, ...) \
    {                                                                          \
        .name = #key, .type = VG_CONFIG_##kind,                                \
        .offset = offsetof(base, prefix field), __VA_ARGS__                    \
    }

#ifdef __cplusplus
}
#endif

#endif /* VG_CONFIG_KEY_H */

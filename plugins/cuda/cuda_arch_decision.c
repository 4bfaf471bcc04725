/*
 * cuda_arch_decision.c - the pure capability decision (see the header for
 * the compatibility rules it encodes).
 */
#include "cuda_arch_decision.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parse "sm_86", "compute_90a", "sm_100f"; false when it is none of them. */
static bool parse_image(const char *text, size_t len, vg_cuda_image *out)
{
    static const struct {
        const char *prefix;
        vg_cuda_image_kind kind;
    } kinds[] = {{"sm_", VG_CUDA_SASS}, {"compute_", VG_CUDA_PTX}};

    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t plen = strlen(kinds[k].prefix);
        if (len <= plen || strncmp(text, kinds[k].prefix, plen) != 0)
            continue;
        size_t i = plen;
        int value = 0;
        /* Two or three digits: sm_75 .. sm_121 and whatever follows. */
        while (i < len && is_digit(text[i]) && i - plen < 3)
            value = value * 10 + (text[i++] - '0');
        if (i - plen < 2 || text[plen] == '0')
            return false;
        out->kind = kinds[k].kind;
        out->cc = value;
        out->variant = VG_CUDA_VARIANT_PLAIN;
        if (i < len && text[i] == 'a') {
            out->variant = VG_CUDA_VARIANT_SPECIFIC;
            i++;
        } else if (i < len && text[i] == 'f') {
            out->variant = VG_CUDA_VARIANT_FAMILY;
            i++;
        }
        return i == len;
    }
    return false;
}

int vg_cuda_arch_list_parse(const char *text, vg_cuda_arch_list *out, char *err,
                            size_t err_size)
{
    out->count = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        size_t len = strcspn(p, " ");
        if (out->count == VG_CUDA_MAX_IMAGES) {
            snprintf(err, err_size, "more than %d architectures",
                     VG_CUDA_MAX_IMAGES);
            return VG_ERR_INVALID_ARGUMENT;
        }
        if (!parse_image(p, len, &out->images[out->count])) {
            snprintf(err, err_size,
                     "'%.*s' is not an architecture (sm_XY or compute_XY)",
                     (int)(len > 32 ? 32 : len), p);
            return VG_ERR_INVALID_ARGUMENT;
        }
        out->count++;
        p += len;
    }
    if (out->count == 0) {
        snprintf(err, err_size, "the architecture list is empty");
        return VG_ERR_INVALID_ARGUMENT;
    }
    return 0;
}

void vg_cuda_image_format(const vg_cuda_image *image, char *buf,
                          size_t buf_size)
{
    static const char suffix[] = {'\0', 'f', 'a'};
    snprintf(buf, buf_size, "%s_%d%.1s",
             image->kind == VG_CUDA_SASS ? "sm" : "compute", image->cc,
             &suffix[image->variant]);
}

int vg_cuda_cc_parse(const char *text, int *cc_out)
{
    /* MAJOR is one or two digits, MINOR exactly one: "7.5", "12.0". */
    size_t i = 0;
    int major = 0;
    while (is_digit(text[i]) && i < 2)
        major = major * 10 + (text[i++] - '0');
    if (i == 0 || text[i] != '.' || !is_digit(text[i + 1]) ||
        text[i + 2] != '\0' || major == 0)
        return VG_ERR_INVALID_ARGUMENT;
    *cc_out = major * 10 + (text[i + 1] - '0');
    return 0;
}

const char *vg_cuda_generation(int cc)
{
    /* docs/design.md's table of generations, widened to whole families. */
    static const struct {
        int first, last;
        const char *name;
    } generations[] = {
        {30, 39, "Kepler"},       {50, 59, "Maxwell"}, {60, 69, "Pascal"},
        {70, 72, "Volta"},        {73, 75, "Turing"},  {80, 88, "Ampere"},
        {89, 89, "Ada Lovelace"}, {90, 99, "Hopper"},  {100, 129, "Blackwell"},
    };
    for (size_t i = 0; i < sizeof(generations) / sizeof(generations[0]); i++)
        if (cc >= generations[i].first && cc <= generations[i].last)
            return generations[i].name;
    return "unknown";
}

/* Does `image` run on a device of capability `cc`? */
static bool image_runs_on(const vg_cuda_image *image, int cc)
{
    switch (image->variant) {
    case VG_CUDA_VARIANT_SPECIFIC:
        return cc == image->cc;
    case VG_CUDA_VARIANT_FAMILY:
        return cc / 10 == image->cc / 10 && cc >= image->cc;
    case VG_CUDA_VARIANT_PLAIN:
        break;
    }
    /* Plain SASS stays within its major version; plain PTX JITs forward. */
    if (image->kind == VG_CUDA_SASS)
        return cc / 10 == image->cc / 10 && cc >= image->cc;
    return cc >= image->cc;
}

/* The newest image of `kind` that runs on `cc`, or NULL. */
static const vg_cuda_image *best_image(const vg_cuda_arch_list *built,
                                       vg_cuda_image_kind kind, int cc)
{
    const vg_cuda_image *best = NULL;
    for (size_t i = 0; i < built->count; i++) {
        const vg_cuda_image *image = &built->images[i];
        if (image->kind != kind || !image_runs_on(image, cc))
            continue;
        /* Prefer the closest capability; on a tie the more specific build
         * (sm_90a over sm_90), as the driver does. */
        if (!best || image->cc > best->cc ||
            (image->cc == best->cc && image->variant > best->variant))
            best = image;
    }
    return best;
}

/* The list compactly, so a reason keeps room for its advice: "sm_75/80/
 * 86/90a + compute_75" rather than every image spelled out. */
static void format_list(const vg_cuda_arch_list *built, char *buf,
                        size_t buf_size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int pass = 0; pass < 2; pass++) {
        vg_cuda_image_kind kind = pass == 0 ? VG_CUDA_SASS : VG_CUDA_PTX;
        bool first = true;
        for (size_t i = 0; i < built->count && used < buf_size; i++) {
            const vg_cuda_image *image = &built->images[i];
            if (image->kind != kind)
                continue;
            char one[32];
            vg_cuda_image_format(image, one, sizeof(one));
            const char *text = one;
            if (!first) /* "sm_86" -> "86" after the first */
                text = strchr(one, '_') + 1;
            const char *sep = first ? (used ? " + " : "") : "/";
            int n = snprintf(buf + used, buf_size - used, "%s%s", sep, text);
            if (n < 0)
                break;
            used += (size_t)n;
            first = false;
        }
    }
}

/* The oldest and newest SASS a CUDA toolkit can build (CUDA Toolkit
 * release notes: CUDA 13.0 dropped Maxwell, Pascal and Volta; CUDA 12.9
 * is the last to build them; CUDA 12.0 dropped Kepler). */
static int toolkit_oldest(int toolkit)
{
    return toolkit >= 13000 ? 75 : toolkit >= 12000 ? 50 : 35;
}

static int toolkit_newest(int toolkit)
{
    return toolkit >= 12090 ? 121 : toolkit >= 12080 ? 120 : 90;
}

/* The newest toolkit that still builds SASS for cc, for a GPU this
 * toolkit no longer supports. */
static const char *last_toolkit_for(int cc)
{
    return cc < 50 ? "11.8" : "12.9";
}

void vg_cuda_build_advice(int cc, int toolkit, char *buf, size_t buf_size)
{
    int major = cc / 10, minor = cc % 10;
    if (cc < 35) /* the plugin is C++17 CUDA: CUDA 11.0 or newer */
        snprintf(buf, buf_size,
                 "no CUDA toolkit that builds vg (11.0 or newer) supports "
                 "%d.%d: vg uses opencl or cpu",
                 major, minor);
    else if (cc < toolkit_oldest(toolkit))
        snprintf(buf, buf_size,
                 "CUDA %d cannot build for %d.%d: vg uses opencl or cpu; "
                 "for CUDA, build with CUDA %s, -DCMAKE_CUDA_ARCHITECTURES="
                 "%d-real and min_compute_capability \"%d.%d\"",
                 toolkit / 1000, major, minor, last_toolkit_for(cc), cc, major,
                 minor);
    else if (cc > toolkit_newest(toolkit))
        snprintf(buf, buf_size,
                 "CUDA %d.%d has no SASS for %d.%d: build with PTX (the "
                 "default list carries it) for the driver to JIT, and use a "
                 "driver that supports %d.%d",
                 toolkit / 1000, toolkit % 1000 / 10, major, minor, major,
                 minor);
    else
        snprintf(buf, buf_size,
                 "rebuild with -DCMAKE_CUDA_ARCHITECTURES=%d-real (or the "
                 "default list)",
                 cc);
}

static bool has_ptx(const vg_cuda_arch_list *built)
{
    for (size_t i = 0; i < built->count; i++)
        if (built->images[i].kind == VG_CUDA_PTX)
            return true;
    return false;
}

/* The decision's one line.  The texts are written to fit in it for every
 * generation (tests/test_cuda_arch_decision.c checks that none is cut). */
__attribute__((format(printf, 2, 3))) static void
set_text(vg_cuda_decision *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->text, sizeof(out->text), fmt, ap);
    va_end(ap);
}

void vg_cuda_decide(int device_cc, const vg_cuda_arch_list *built, int min_cc,
                    int toolkit, vg_cuda_decision *out)
{
    memset(out, 0, sizeof(*out));
    int major = device_cc / 10, minor = device_cc % 10;
    const char *generation = vg_cuda_generation(device_cc);
    char advice[192];
    vg_cuda_build_advice(device_cc, toolkit, advice, sizeof(advice));

    if (device_cc < min_cc) {
        out->verdict = VG_CUDA_BELOW_MINIMUM;
        if (device_cc < toolkit_oldest(toolkit))
            set_text(out,
                     "compute capability %d.%d (%s) is below "
                     "cuda.min_compute_capability %d.%d: %s",
                     major, minor, generation, min_cc / 10, min_cc % 10,
                     advice);
        else
            set_text(out,
                     "compute capability %d.%d (%s) is below "
                     "cuda.min_compute_capability %d.%d: lower it to %d.%d "
                     "to use this GPU; meanwhile vg uses opencl or cpu",
                     major, minor, generation, min_cc / 10, min_cc % 10, major,
                     minor);
        return;
    }

    char name[32];
    const vg_cuda_image *image = best_image(built, VG_CUDA_SASS, device_cc);
    if (image) {
        out->verdict = VG_CUDA_RUN_SASS;
        out->image = *image;
        vg_cuda_image_format(image, name, sizeof(name));
        set_text(out, "compute capability %d.%d (%s) runs SASS %s", major,
                 minor, generation, name);
        return;
    }

    image = best_image(built, VG_CUDA_PTX, device_cc);
    if (image) {
        out->verdict = VG_CUDA_RUN_JIT;
        out->image = *image;
        vg_cuda_image_format(image, name, sizeof(name));
        set_text(out,
                 "compute capability %d.%d (%s) has no SASS in this build: "
                 "will JIT from %s, first run slower (the driver caches the "
                 "result)%s",
                 major, minor, generation, name,
                 device_cc > toolkit_newest(toolkit)
                     ? "; needs a driver that supports this GPU"
                     : "");
        return;
    }

    out->verdict = VG_CUDA_NO_IMAGE;
    if (device_cc < toolkit_oldest(toolkit)) {
        /* The list does not matter: no build of this toolkit could help. */
        set_text(out,
                 "no kernel image for compute capability %d.%d (%s), and "
                 "PTX never JITs backwards: %s",
                 major, minor, generation, advice);
        return;
    }
    char list[VG_REASON_MAX / 2];
    format_list(built, list, sizeof(list));
    set_text(out,
             "no kernel image for compute capability %d.%d (%s): built for "
             "%s%s; %s",
             major, minor, generation, list,
             has_ptx(built) ? "" : " (no PTX to JIT)", advice);
}

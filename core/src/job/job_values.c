/*
 * job_values.c - the scalar values of job files: numbers, names, colours,
 * lengths and paths, each checked with a message at its node.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "job/job_parse.h"

void vg_jp_item_path(char *out, size_t size, const char *parent, size_t index)
{
    snprintf(out, size, "%s[%zu]", parent, index);
}

/* Plain decimal text: strtod alone would also take hex, "inf" and "nan". */
static bool is_decimal(const char *text)
{
    if (*text == '\0')
        return false;
    for (const char *c = text; *c; c++)
        if (!isdigit((unsigned char)*c) && !strchr("+-.eE", *c))
            return false;
    return true;
}

int vg_jp_number(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 double min, double max, double *out)
{
    char what[96];
    snprintf(what, sizeof what, "a number from %g to %g", min, max);
    if (node->kind != VG_YAML_SCALAR || !is_decimal(node->text))
        return vg_yaml_expected(&p->doc, node, path, what);
    char *end = NULL;
    errno = 0;
    double v = strtod(node->text, &end);
    if (*end != '\0' || errno != 0 || !isfinite(v) || v < min || v > max)
        return vg_yaml_expected(&p->doc, node, path, what);
    *out = v;
    return 0;
}

int vg_jp_integer(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                  long min, long max, long *out)
{
    char what[96];
    snprintf(what, sizeof what, "an integer from %ld to %ld", min, max);
    if (node->kind != VG_YAML_SCALAR || node->text[0] == '\0')
        return vg_yaml_expected(&p->doc, node, path, what);
    for (const char *c = node->text; *c; c++)
        if (!isdigit((unsigned char)*c) && !(c == node->text && *c == '-'))
            return vg_yaml_expected(&p->doc, node, path, what);
    errno = 0;
    long v = strtol(node->text, NULL, 10);
    if (errno != 0 || v < min || v > max)
        return vg_yaml_expected(&p->doc, node, path, what);
    *out = v;
    return 0;
}

int vg_jp_choice(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 const char *const *names, int *out)
{
    if (node->kind == VG_YAML_SCALAR)
        for (int i = 0; names[i]; i++)
            if (strcmp(names[i], node->text) == 0) {
                *out = i;
                return 0;
            }
    char what[VG_TEXT_MAX] = "one of: ";
    size_t used = strlen(what);
    for (size_t i = 0; names[i]; i++)
        used =
            vg_append(what, sizeof what, used, "%s%s", i ? ", " : "", names[i]);
    return vg_yaml_expected(&p->doc, node, path, what);
}

int vg_jp_bool(vg_job_parser *p, const vg_yaml_node *node, const char *path,
               bool *out)
{
    if (node->kind != VG_YAML_SCALAR || !vg_yaml_parse_bool(node->text, out))
        return vg_yaml_expected(&p->doc, node, path, "true or false");
    return 0;
}

int vg_jp_color(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                uint32_t *out)
{
    const char *t = node->kind == VG_YAML_SCALAR ? node->text : "";
    size_t digits = strlen(t) - (t[0] == '#');
    bool ok = t[0] == '#' && (digits == 6 || digits == 8);
    for (size_t i = 1; ok && t[i]; i++)
        ok = isxdigit((unsigned char)t[i]) != 0;
    if (!ok)
        return vg_yaml_expected(
            &p->doc, node, path,
            "a colour \"#RRGGBB\" or \"#RRGGBBAA\" (quoted: "
            "# starts a YAML comment)");
    unsigned long v = strtoul(t + 1, NULL, 16);
    *out = digits == 6 ? (uint32_t)(v << 8 | 0xff) : (uint32_t)v;
    return 0;
}

int vg_jp_easing(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 vg_easing *out)
{
    static const char *const names[] = {"linear", "in", "out", "in_out", NULL};
    static const vg_easing curves[] = {VG_EASE_LINEAR, VG_EASE_IN, VG_EASE_OUT,
                                       VG_EASE_IN_OUT};
    int index;
    int rc = vg_jp_choice(p, node, path, names, &index);
    if (rc == 0)
        *out = curves[index];
    return rc;
}

static unsigned long gcd(unsigned long a, unsigned long b)
{
    while (b) {
        unsigned long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int vg_jp_fps(vg_job_parser *p, const vg_yaml_node *node, const char *path,
              uint32_t *num, uint32_t *den)
{
    static const char what[] =
        "a frame rate from 0.001 to 1000: a number (25, 29.97) or a "
        "fraction (\"30000/1001\")";
    if (node->kind != VG_YAML_SCALAR)
        return vg_yaml_expected(&p->doc, node, path, what);
    unsigned long n, d = 1;
    char *end = NULL;
    const char *slash = strchr(node->text, '/');
    if (slash) {
        errno = 0;
        n = strtoul(node->text, &end, 10);
        if (end != slash || !isdigit((unsigned char)node->text[0]) ||
            !isdigit((unsigned char)slash[1]))
            return vg_yaml_expected(&p->doc, node, path, what);
        d = strtoul(slash + 1, &end, 10);
        /* The decimal form's bounds: 0.001 to 1000 frames a second. */
        if (*end != '\0' || errno != 0 || d == 0 || n == 0 || n > UINT32_MAX ||
            d > UINT32_MAX || (double)n / d > 1000.0 || (double)n / d < 0.001)
            return vg_yaml_expected(&p->doc, node, path, what);
    } else {
        double v;
        if (!is_decimal(node->text) ||
            vg_jp_number(p, node, path, 0.001, 1000.0, &v) != 0)
            return vg_yaml_expected(&p->doc, node, path, what);
        /* Decimal rates to the millisecond: 29.97 is 2997/100. */
        n = (unsigned long)llround(v * 1000.0);
        d = 1000;
    }
    unsigned long g = gcd(n, d);
    *num = (uint32_t)(n / g);
    *den = (uint32_t)(d / g);
    return 0;
}

int vg_jp_length(vg_job_parser *p, const vg_yaml_node *node, const char *path,
                 uint32_t *frames)
{
    const vg_yaml_node *seconds = vg_yaml_get(node, "duration");
    const vg_yaml_node *count = vg_yaml_get(node, "frames");
    char sub[VG_KEY_PATH_MAX];
    *frames = 0;
    if (seconds && count) {
        vg_key_path_join(sub, sizeof sub, path, "frames");
        return vg_yaml_fail(&p->doc, count, sub,
                            "give duration or frames, not both");
    }
    if (count) {
        long v;
        vg_key_path_join(sub, sizeof sub, path, "frames");
        int rc = vg_jp_integer(p, count, sub, 1, 100000000, &v);
        *frames = rc == 0 ? (uint32_t)v : 0;
        return rc;
    }
    if (!seconds)
        return 0;
    vg_key_path_join(sub, sizeof sub, path, "duration");
    double s;
    int rc = vg_jp_number(p, seconds, sub, 0.0, 1000000.0, &s);
    if (rc != 0)
        return rc;
    double n = nearbyint(s * p->fps_num / p->fps_den);
    if (n < 1.0)
        return vg_yaml_fail(&p->doc, seconds, sub,
                            "%g s is less than one frame at %u/%u fps", s,
                            p->fps_num, p->fps_den);
    *frames = (uint32_t)n;
    return 0;
}

int vg_jp_file(vg_job_parser *p, const vg_yaml_node *node, const char *path,
               char **out)
{
    if (node->kind != VG_YAML_SCALAR || node->is_null || node->text[0] == '\0')
        return vg_yaml_expected(&p->doc, node, path, "a file name");
    bool relative = node->text[0] != '/' && p->base_dir;
    *out = relative ? vg_path_join(p->base_dir, node->text)
                    : vg_strdup(node->text);
    return *out ? 0 : vg_yaml_no_memory(&p->doc);
}

/*
 * json.c - JSON string literals for vgrun's machine-readable output.
 *
 * JSON text is UTF-8, but a path on Linux is any bytes: a byte that is not
 * part of well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF) is written as U+FFFD, so the document stays valid
 * whatever the names hold.
 */
#include "vgrun.h"

/* The length of the well-formed UTF-8 sequence at `s`, or 0. */
static size_t utf8_sequence(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    if (c < 0xc2 || c > 0xf4)
        return 0; /* a continuation byte, an overlong lead, or too high */
    /* The second byte's range excludes overlongs, surrogates and values
     * above U+10FFFF (RFC 3629, section 4). */
    unsigned char lo = 0x80, hi = 0xbf;
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return len;
}

void vgrun_json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c >= 0x80) {
            size_t len = utf8_sequence(c);
            if (len == 0) {
                fputs("\\ufffd", out);
            } else {
                fwrite(c, 1, len, out);
                c += len - 1;
            }
            continue;
        }
        switch (*c) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*c < 0x20)
                fprintf(out, "\\u%04x", *c);
            else
                fputc(*c, out);
        }
    }
    fputc('"', out);
}

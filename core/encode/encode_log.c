/*
 * encode_log.c - FFmpeg's log, kept for error messages instead of printed.
 *
 * libx264 and the muxers log at info level to stderr by default, which
 * would break vgrun's rule that off a terminal it prints nothing but
 * errors; and an encoder that fails to open says why only in its log
 * ("Cannot load libcuda.so.1").  So the log is captured, and the last
 * error-level line becomes part of vg's own message.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libavutil/error.h>
#include <libavutil/log.h>

#include "encode_internal.h"

static _Thread_local char last_error[512];

static void capture(void *avcl, int level, const char *fmt, va_list vl)
{
    if (level > AV_LOG_ERROR)
        return;
    char line[sizeof last_error];
    int print_prefix = 0;
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &print_prefix);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
                     line[n - 1] == '.' || line[n - 1] == ' '))
        line[--n] = '\0';
    if (n > 0)
        memcpy(last_error, line, n + 1);
}

static void install(void)
{
    av_log_set_callback(capture);
}

void vg_encode_log_install(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
}

void vg_encode_log_clear(void)
{
    last_error[0] = '\0';
}

const char *vg_encode_log_last(void)
{
    return last_error;
}

void vg_encode_error(char *err, size_t err_size, const char *what, int averr)
{
    char reason[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(averr, reason, sizeof reason);
    /* FFmpeg's own line says more than the error code ("Cannot load
     * libcuda.so.1" against "Operation not permitted"). */
    if (last_error[0])
        snprintf(err, err_size, "%s: %s", what, last_error);
    else
        snprintf(err, err_size, "%s: %s", what, reason);
}

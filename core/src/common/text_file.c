/*
 * text_file.c - one way to open an input (without blocking, regular files
 * only) and one reader for every YAML file vg loads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/text_file.h"
#include "vg/error.h"

static const char *kind_of(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a plain file";
}

int vg_input_open(const char *path, int *fd_out, uint64_t *size_out,
                  char *problem, size_t problem_size)
{
    *fd_out = -1;
    /* O_NONBLOCK: opening a FIFO with no writer would otherwise wait. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(problem, problem_size, "cannot open: %s", strerror(errno));
        return VG_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(problem, problem_size, "cannot read: %s", strerror(errno));
        close(fd);
        return VG_ERR_IO;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(problem, problem_size,
                 "not a regular file (%s): inputs must be files",
                 kind_of(st.st_mode));
        close(fd);
        return VG_ERR_IO;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        snprintf(problem, problem_size, "cannot read: %s", strerror(errno));
        close(fd);
        return VG_ERR_IO;
    }
    *fd_out = fd;
    *size_out = (uint64_t)st.st_size;
    return 0;
}

/* The buffer is the size fstat gave plus slack, never more than one byte
 * past the cap: a small file costs a small buffer, and a file that grew
 * after fstat is noticed (the buffer fills) instead of read in part. */
int vg_read_text_file(const char *path, size_t max_size, const char *what,
                      char **text_out, size_t *size_out, char *err,
                      size_t err_size)
{
    *text_out = NULL;
    *size_out = 0;
    char problem[256];
    int fd;
    uint64_t size;
    int rc = vg_input_open(path, &fd, &size, problem, sizeof problem);
    if (rc != 0) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL, "%s", problem);
        return rc;
    }
    if (size > max_size) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL,
                       "%llu bytes, more than the %zu-byte limit: not a %s",
                       (unsigned long long)size, max_size, what);
        close(fd);
        return VG_ERR_CONFIG;
    }
    size_t capacity =
        (size_t)size + 4096 < max_size + 2 ? (size_t)size + 4096 : max_size + 2;
    char *text = malloc(capacity);
    if (!text) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL, "out of memory");
        close(fd);
        return VG_ERR_NO_MEMORY;
    }
    size_t got = 0;
    while (got + 1 < capacity) {
        ssize_t n = read(fd, text + got, capacity - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            vg_diag_errorf(err, err_size, path, 0, 0, NULL, "cannot read: %s",
                           strerror(errno));
            rc = VG_ERR_IO;
            break;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (rc == 0 && got > max_size) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL,
                       "more than the %zu-byte limit (the file grew while "
                       "read): not a %s",
                       max_size, what);
        rc = VG_ERR_CONFIG;
    } else if (rc == 0 && got + 1 >= capacity) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL,
                       "the file grew while read");
        rc = VG_ERR_IO;
    }
    if (rc != 0) {
        free(text);
        return rc;
    }
    text[got] = '\0';
    *text_out = text;
    *size_out = got;
    return 0;
}

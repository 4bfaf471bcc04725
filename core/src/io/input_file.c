/*
 * input_file.c - open inputs without blocking, regular files only.
 */
#define _GNU_SOURCE
#include "io/input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int vg_input_read_all(const char *path, uint64_t max_bytes, char **text_out,
                      size_t *size_out, char *problem, size_t problem_size)
{
    *text_out = NULL;
    *size_out = 0;
    int fd;
    uint64_t size;
    int rc = vg_input_open(path, &fd, &size, problem, problem_size);
    if (rc != 0)
        return rc;
    if (size > max_bytes) {
        snprintf(problem, problem_size,
                 "%llu bytes, more than the %llu-byte limit",
                 (unsigned long long)size, (unsigned long long)max_bytes);
        close(fd);
        return VG_ERR_LIMIT;
    }
    /* Room for the size fstat gave plus slack: a file that grew after
     * fstat is noticed (the buffer fills) instead of read in part. */
    uint64_t room = size + 4096 < max_bytes + 2 ? size + 4096 : max_bytes + 2;
    size_t capacity = (size_t)room;
    char *text = malloc(capacity);
    if (!text) {
        snprintf(problem, problem_size, "out of memory");
        close(fd);
        return VG_ERR_NO_MEMORY;
    }
    size_t got = 0;
    while (got + 1 < capacity) {
        ssize_t n = read(fd, text + got, capacity - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(problem, problem_size, "cannot read: %s", strerror(errno));
            rc = VG_ERR_IO;
            break;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (rc == 0 && got > max_bytes) {
        snprintf(problem, problem_size,
                 "more than the %llu-byte limit (the file grew while read)",
                 (unsigned long long)max_bytes);
        rc = VG_ERR_LIMIT;
    } else if (rc == 0 && got + 1 >= capacity) {
        snprintf(problem, problem_size, "the file grew while read");
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

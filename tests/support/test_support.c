#define _GNU_SOURCE
#include "test_support.h"

#include "vg/config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *vgt_make_temp_dir(const char *tag)
{
    char *base = NULL;
    cr_assert(asprintf(&base, "%s/test-tmp", VG_TEST_BUILD_DIR) > 0);
    if (mkdir(base, 0755) != 0 && errno != EEXIST)
        cr_assert_fail("mkdir %s: %s", base, strerror(errno));
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/%s-XXXXXX", base, tag) > 0);
    free(base);
    if (!mkdtemp(path))
        cr_assert_fail("mkdtemp %s: %s", path, strerror(errno));
    return path;
}

void vgt_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        cr_assert_fail("open %s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(data, 1, size, f), size, "write %s", path);
    cr_assert_eq(fclose(f), 0, "close %s", path);
}

char *vgt_read_file(const char *path, size_t *size_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, size = 0;
    char *buf = malloc(cap + 1);
    size_t n;
    while (buf && (n = fread(buf + size, 1, cap - size, f)) > 0) {
        size += n;
        if (size == cap) {
            cap *= 2;
            char *grown = realloc(buf, cap + 1);
            if (!grown)
                free(buf);
            buf = grown;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[size] = '\0';
    if (size_out)
        *size_out = size;
    return buf;
}

size_t vgt_count_entries(const char *dir, const char *const *ignore)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "opendir %s: %s", dir, strerror(errno));
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        bool ignored = e->d_name[0] == '.';
        for (size_t i = 0; ignore && ignore[i] && !ignored; i++)
            ignored = strcmp(e->d_name, ignore[i]) == 0;
        n += !ignored;
    }
    closedir(d);
    return n;
}

/* Drain both pipes together so a child filling one cannot deadlock on the
 * other. */
static void drain_pipes(int out_fd, int err_fd, vgt_run_result *r)
{
    size_t caps[2] = {1 << 16, 1 << 12}, sizes[2] = {0, 0};
    char *bufs[2] = {malloc(caps[0] + 1), malloc(caps[1] + 1)};
    cr_assert(bufs[0] && bufs[1]);
    struct pollfd fds[2] = {{.fd = out_fd, .events = POLLIN},
                            {.fd = err_fd, .events = POLLIN}};
    int open_count = 2;
    while (open_count > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            cr_assert_fail("poll: %s", strerror(errno));
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            if (sizes[i] == caps[i]) {
                caps[i] *= 2;
                bufs[i] = realloc(bufs[i], caps[i] + 1);
                cr_assert(bufs[i]);
            }
            ssize_t n = read(fds[i].fd, bufs[i] + sizes[i], caps[i] - sizes[i]);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_count--;
            } else {
                sizes[i] += (size_t)n;
            }
        }
    }
    bufs[0][sizes[0]] = '\0';
    bufs[1][sizes[1]] = '\0';
    r->out = bufs[0];
    r->out_size = sizes[0];
    r->err = bufs[1];
}

vgt_run_result vgt_run(const char *const *argv, const char *const *env)
{
    int out_pipe[2], err_pipe[2];
    cr_assert_eq(pipe(out_pipe), 0);
    cr_assert_eq(pipe(err_pipe), 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1, "fork: %s", strerror(errno));
    if (pid == 0) {
        for (size_t i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            if (!eq) {
                unsetenv(env[i]);
            } else {
                char *name = strndup(env[i], (size_t)(eq - env[i]));
                setenv(name, eq + 1, 1);
                free(name);
            }
        }
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, STDIN_FILENO);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        close(out_pipe[0]);
        close(err_pipe[0]);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    vgt_run_result r = {0};
    drain_pipes(out_pipe[0], err_pipe[0], &r);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        cr_assert_eq(errno, EINTR);
    r.exit_code =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

vgt_run_result vgt_run_program(const char *program, const char *const *args,
                               const char *const *env)
{
    const char *argv[64] = {program};
    size_t n = 1;
    for (size_t i = 0; args[i]; i++) {
        cr_assert_lt(n, sizeof argv / sizeof *argv - 1, "too many arguments");
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    return vgt_run(argv, env);
}

void vgt_run_result_free(vgt_run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* xorshift32: fast, deterministic, never zero for a non-zero state */
uint32_t vgt_rng_next(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

void vgt_fill_random(void *data, size_t size, uint32_t seed)
{
    uint32_t x = seed ? seed : 0x9e3779b9u;
    uint8_t *p = data;
    for (size_t i = 0; i < size; i++)
        p[i] = (uint8_t)(vgt_rng_next(&x) >> 24);
}

vg_option_value *vgt_plugin_options(const vg_plugin *plugin, const char *body)
{
    char yaml[2048], err[1024] = "";
    /* an empty mapping is written as {} so the section still exists */
    snprintf(yaml, sizeof yaml, "backend_options:\n  %s:%s%s", plugin->name,
             body[0] ? "\n" : " {}\n", body);
    vg_config *cfg = NULL;
    vg_option_value *values = NULL;
    cr_assert_eq(vg_config_load_string(yaml, "t.yaml", &cfg, err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(
        vg_config_plugin_options(cfg, plugin, &values, err, sizeof err), 0,
        "%s", err);
    vg_config_destroy(&cfg);
    return values;
}

bool vgt_process_writes_in(pid_t pid, const char *dir)
{
    char fd_dir[64];
    snprintf(fd_dir, sizeof fd_dir, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(fd_dir);
    struct dirent *e;
    bool found = false;
    size_t len = strlen(dir);
    while (d && !found && (e = readdir(d)) != NULL) {
        char link[1100], target[1100];
        snprintf(link, sizeof link, "%s/%s", fd_dir, e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        found = strncmp(target, dir, len) == 0 && target[len] == '/';
    }
    if (d)
        closedir(d);
    return found;
}

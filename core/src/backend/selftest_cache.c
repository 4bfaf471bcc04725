/*
 * selftest_cache.c - self-test passes remembered per plugin file, device,
 * driver and options (selftest_cache.h).
 *
 * An entry is a small file named by a 128-bit key.  It holds a fixed text,
 * so a truncated or foreign file is not mistaken for a pass.  Only passes
 * are stored: a backend that failed is tested again on every run, and a
 * plugin file replaced by a new build (new size, time, inode or bytes)
 * misses the cache.  vgrun --reprobe ignores it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/selftest.h"
#include "backend/selftest_cache.h"
#include "vg/version.h"

static const char pass_text[] = "vg self-test passed\n";

/* Bumped whenever the self-test checks change. */
#define VG_SELFTEST_REVISION "3"

typedef struct hasher {
    uint64_t h[2];
} hasher;

/* FNV-1a over 8-byte words (then the tail bytes), two seeds: not
 * cryptographic (the cache directory is private; this only tells files
 * apart), and fast enough for a plugin file of 100 MB in tens of ms. */
static void hash_bytes(hasher *k, const void *data, size_t size)
{
    const unsigned char *p = data;
    uint64_t a = k->h[0], b = k->h[1];
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        a = (a ^ w) * 0x100000001b3ull;
        b = (b ^ w) * 0x100000001b3ull;
    }
    for (; i < size; i++) {
        a = (a ^ p[i]) * 0x100000001b3ull;
        b = (b ^ p[i]) * 0x100000001b3ull;
    }
    k->h[0] = a;
    k->h[1] = b;
}

/* Strings with their terminators, so ("ab", "c") and ("a", "bc") differ. */
static void hash_text(hasher *k, const char *text)
{
    hash_bytes(k, text, strlen(text) + 1);
}

static bool hash_file(hasher *k, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (ok) {
        uint64_t facts[5] = {(uint64_t)st.st_size, (uint64_t)st.st_ino,
                             (uint64_t)st.st_dev, (uint64_t)st.st_mtim.tv_sec,
                             (uint64_t)st.st_mtim.tv_nsec};
        hash_bytes(k, facts, sizeof facts);
    }
    static unsigned char buf[1 << 16];
    for (ssize_t n; ok && (n = read(fd, buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ok = false;
        else
            hash_bytes(k, buf, (size_t)n);
    }
    close(fd);
    return ok;
}

static bool make_private_dirs(const char *path, char *why, size_t why_size)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
            snprintf(why, why_size, "cannot create %s: %s", tmp,
                     strerror(errno));
            return false;
        }
        if (!saved)
            break;
        *p = saved;
    }
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, why_size, "%s is not a directory", path);
        return false;
    }
    /* A pass recorded by someone else would let their plugin skip its
     * self-test: only a directory of our own counts. */
    if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
        snprintf(why, why_size,
                 "%s is not private (owner uid %u, mode %04o): not used", path,
                 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
        return false;
    }
    return true;
}

static bool cache_dir(char *dir, size_t size, char *why, size_t why_size)
{
    const char *xdg = secure_getenv("XDG_CACHE_HOME");
    const char *home = secure_getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(dir, size, "%s/vg/selftest", xdg);
    else if (home && home[0] == '/')
        n = snprintf(dir, size, "%s/.cache/vg/selftest", home);
    else {
        snprintf(why, why_size, "no XDG_CACHE_HOME or HOME");
        return false;
    }
    if (n < 0 || (size_t)n >= size) {
        snprintf(why, why_size, "cache path too long");
        return false;
    }
    return make_private_dirs(dir, why, why_size);
}

bool vg_selftest_cache_entry(const vg_loaded_plugin *plugin, uint32_t device,
                             const vg_probe_result *probe, char *path,
                             size_t path_size, char *why, size_t why_size)
{
    char dir[4096];
    why[0] = '\0';
    if (!cache_dir(dir, sizeof dir, why, why_size))
        return false;
    hasher k = {{0xcbf29ce484222325ull, 0x84222325cbf29ce4ull}};
    hash_text(&k, VG_VERSION_STRING);
    hash_text(&k, VG_SELFTEST_REVISION);
    char *real = realpath(vg_loaded_plugin_path(plugin), NULL);
    if (!real) {
        snprintf(why, why_size, "cannot resolve the plugin path");
        return false;
    }
    hash_text(&k, real);
    bool ok = hash_file(&k, real);
    free(real);
    if (!ok) {
        snprintf(why, why_size, "cannot read the plugin file");
        return false;
    }
    const vg_device_info *d = &probe->devices[device];
    hash_bytes(&k, &device, sizeof device);
    hash_text(&k, d->name);
    hash_text(&k, d->vendor);
    hash_text(&k, d->driver);
    hash_text(&k, d->detail);
    hash_text(&k, probe->detail);
    const vg_plugin *desc = vg_loaded_plugin_descriptor(plugin);
    const vg_option_value *options = vg_loaded_plugin_options(plugin);
    for (uint32_t i = 0; options && i < desc->option_count; i++)
        hash_text(&k, options[i].string);
    int n = snprintf(path, path_size, "%s/%016llx%016llx.pass", dir,
                     (unsigned long long)k.h[0], (unsigned long long)k.h[1]);
    if (n < 0 || (size_t)n >= path_size) {
        snprintf(why, why_size, "cache path too long");
        return false;
    }
    return true;
}

bool vg_selftest_cache_has_pass(const char *path)
{
    char text[sizeof pass_text];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, text, sizeof text);
    close(fd);
    return n == (ssize_t)sizeof pass_text - 1 &&
           memcmp(text, pass_text, sizeof pass_text - 1) == 0;
}

void vg_selftest_cache_store_pass(const char *path)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return;
    bool ok = write(fd, pass_text, sizeof pass_text - 1) ==
              (ssize_t)sizeof pass_text - 1;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
}

/*
 * plugin_trust.c - may this plugin file be loaded at all?
 *
 * dlopen runs the file's constructors with every right vgrun has, so a
 * plugin is only as trustworthy as whoever can write it or its directory.
 * The rule is the one OpenSSH applies to authorized_keys (StrictModes): the
 * file and the directory holding it must be owned by root or by the user
 * running vg, and writable by neither group nor others.  Symbolic links are
 * resolved first, so the rule applies to where the code really lives.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strutil.h"
#include "loader/loaded_plugin.h"

/* 0 when `st` (of `what` at `path`) passes the rule, else VG_ERR_PLUGIN
 * with the reason written. */
static int check_owner_and_mode(const struct stat *st, const char *what,
                                const char *path, const char *plugin,
                                char *reason, size_t reason_size)
{
    uid_t me = geteuid();
    if (st->st_uid != 0 && st->st_uid != me) {
        snprintf(reason, reason_size,
                 "%s: refused: %s %s is owned by uid %u, not by root or you "
                 "(uid %u); plugins run with your rights",
                 plugin, what, path, (unsigned)st->st_uid, (unsigned)me);
        return VG_ERR_PLUGIN;
    }
    if (st->st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(reason, reason_size,
                 "%s: refused: %s %s is writable by %s (mode %04o); run "
                 "'chmod go-w %s'",
                 plugin, what, path,
                 (st->st_mode & S_IWOTH) ? "others" : "its group",
                 (unsigned)(st->st_mode & 07777), path);
        return VG_ERR_PLUGIN;
    }
    return 0;
}

int vg_plugin_check_trust(const char *path, char *reason, size_t reason_size)
{
    char *real = realpath(path, NULL);
    if (!real) {
        snprintf(reason, reason_size, "%s: cannot open: %s", path,
                 strerror(errno));
        return errno == ENOMEM ? VG_ERR_NO_MEMORY : VG_ERR_PLUGIN;
    }
    char *dir = vg_dirname_dup(real);
    struct stat file_st, dir_st;
    int rc = 0;
    if (!dir) {
        snprintf(reason, reason_size, "%s: out of memory", path);
        rc = VG_ERR_NO_MEMORY;
    } else if (stat(real, &file_st) != 0 || stat(dir, &dir_st) != 0) {
        snprintf(reason, reason_size, "%s: cannot open: %s", path,
                 strerror(errno));
        rc = VG_ERR_PLUGIN;
    } else if (!S_ISREG(file_st.st_mode)) {
        snprintf(reason, reason_size, "%s: refused: not a regular file", path);
        rc = VG_ERR_PLUGIN;
    } else {
        rc = check_owner_and_mode(&dir_st, "its directory", dir, path, reason,
                                  reason_size);
        if (rc == 0)
            rc = check_owner_and_mode(&file_st, "the file", real, path, reason,
                                      reason_size);
    }
    free(dir);
    free(real);
    return rc;
}

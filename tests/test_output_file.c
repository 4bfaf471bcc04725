/*
 * test_output_file.c - output files are complete or absent, and special
 * files (devices, FIFOs) are written in place, never replaced.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"
#include "vg/output_file.h"

Test(output_file, discarded_file_leaves_nothing)
{
    char *dir = vgt_make_temp_dir("outfile");
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/video.y4m", dir);
    vg_output_file f;
    cr_assert_eq(vg_output_file_open(path, &f, err, sizeof err), 0, "%s", err);
    fputs("half a video", f.file);
    cr_assert_eq(access(path, F_OK), -1, "nothing under the final name yet");
    vg_output_file_discard(&f);
    cr_assert_eq(vgt_count_entries(dir, NULL), 0);
    free(dir);
}

Test(output_file, committed_file_appears_whole)
{
    char *dir = vgt_make_temp_dir("outfile");
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/video.y4m", dir);
    vgt_write_file(path, "old", 3);
    vg_output_file f;
    cr_assert_eq(vg_output_file_open(path, &f, err, sizeof err), 0, "%s", err);
    fputs("new contents", f.file);
    cr_assert_eq(vg_output_file_commit(&f, err, sizeof err), 0, "%s", err);
    char *data = vgt_read_file(path, NULL);
    cr_assert_str_eq(data, "new contents");
    cr_assert_eq(vgt_count_entries(dir, NULL), 1, "no temporary file left");
    free(data);
    free(dir);
}

Test(output_file, fifo_is_written_in_place)
{
    char *dir = vgt_make_temp_dir("outfifo");
    char fifo[1024], copy[1024], err[512];
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    snprintf(copy, sizeof copy, "%s/copy", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    pid_t reader = fork();
    if (reader == 0) {
        FILE *in = fopen(fifo, "rb"), *out = fopen(copy, "wb");
        int c;
        while (in && out && (c = fgetc(in)) != EOF)
            fputc(c, out);
        if (out)
            fclose(out);
        _exit(0);
    }
    vg_output_file f;
    cr_assert_eq(vg_output_file_open(fifo, &f, err, sizeof err), 0, "%s", err);
    fputs("through the pipe", f.file);
    cr_assert_eq(vg_output_file_commit(&f, err, sizeof err), 0, "%s", err);
    waitpid(reader, NULL, 0);
    struct stat st;
    cr_assert_eq(stat(fifo, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced by a file");
    char *data = vgt_read_file(copy, NULL);
    cr_assert_str_eq(data, "through the pipe");
    cr_assert_eq(vgt_count_entries(dir, NULL), 2,
                 "no temporary file beside the FIFO");
    free(data);
    free(dir);
}

Test(output_file, unwritable_directory_is_a_clear_error)
{
    char err[512];
    vg_output_file f;
    int rc =
        vg_output_file_open("/nonexistent-dir/out.y4m", &f, err, sizeof err);
    cr_assert_eq(rc, VG_ERR_IO);
    cr_assert_str_eq(err, "/nonexistent-dir/out.y4m: cannot create: No such "
                          "file or directory");
}

/* A run killed where the filesystem has no O_TMPFILE leaves
 * NAME.partial-PID-XXXXXX: the next open of NAME removes it when PID is
 * gone, and keeps a live process's file. */
Test(output_file, temporary_files_of_dead_runs_are_removed)
{
    char *dir = vgt_make_temp_dir("stale");
    char path[1024], dead_temp[1100], live_temp[1100], err[512];
    snprintf(path, sizeof path, "%s/video.y4m", dir);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0); /* its pid now names no process */
    snprintf(dead_temp, sizeof dead_temp, "%s.partial-%d-AbC123", path,
             (int)child);
    snprintf(live_temp, sizeof live_temp, "%s.partial-%d-XyZ789", path,
             (int)getpid());
    vgt_write_file(dead_temp, "left by a killed run", 20);
    vgt_write_file(live_temp, "being written", 13);
    vg_output_file f;
    cr_assert_eq(vg_output_file_open(path, &f, err, sizeof err), 0, "%s", err);
    cr_assert_eq(access(dead_temp, F_OK), -1, "the dead run's file is gone");
    cr_assert_eq(access(live_temp, F_OK), 0, "a live run's file stays");
    vg_output_file_discard(&f);
    free(dir);
}

/* The file is replaced with its mode kept; a link (even one whose target
 * does not exist yet) is followed, and stays a link. */
Test(output_file, replaced_file_keeps_mode_and_links_are_followed)
{
    char *dir = vgt_make_temp_dir("outmode");
    char path[1024], link[1024], dangling[1024], target[1024], err[512];
    snprintf(path, sizeof path, "%s/video.y4m", dir);
    snprintf(link, sizeof link, "%s/link.y4m", dir);
    snprintf(dangling, sizeof dangling, "%s/dangling.y4m", dir);
    snprintf(target, sizeof target, "%s/later.y4m", dir);
    vgt_write_file(path, "old", 3);
    cr_assert_eq(chmod(path, 0604), 0);
    /* Giving a file away takes root: check the owner where we are. */
    bool root = geteuid() == 0;
    if (root)
        cr_assert_eq(chown(path, 65534, 65534), 0);
    cr_assert_eq(symlink("video.y4m", link), 0);
    cr_assert_eq(symlink("later.y4m", dangling), 0);

    vg_output_file f;
    cr_assert_eq(vg_output_file_open(link, &f, err, sizeof err), 0, "%s", err);
    fputs("new", f.file);
    cr_assert_eq(vg_output_file_commit(&f, err, sizeof err), 0, "%s", err);
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link was replaced");
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0604, "mode %o", st.st_mode & 07777);
    if (root)
        cr_assert(st.st_uid == 65534 && st.st_gid == 65534, "owner %d:%d",
                  (int)st.st_uid, (int)st.st_gid);
    char *data = vgt_read_file(path, NULL);
    cr_assert_str_eq(data, "new");
    free(data);

    cr_assert_eq(vg_output_file_open(dangling, &f, err, sizeof err), 0, "%s",
                 err);
    fputs("made", f.file);
    cr_assert_eq(vg_output_file_commit(&f, err, sizeof err), 0, "%s", err);
    cr_assert_eq(lstat(dangling, &st), 0);
    cr_assert(S_ISLNK(st.st_mode));
    data = vgt_read_file(target, NULL);
    cr_assert_str_eq(data, "made");
    free(data);
    cr_assert_eq(vgt_count_entries(dir, NULL), 4);
    free(dir);
}

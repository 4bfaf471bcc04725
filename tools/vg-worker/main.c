/*
 * main.c - vg-worker: the process a backend plugin runs in.
 *
 * libvg starts it for each plugin (core/src/loader/worker_client.c); all
 * the work is in libvg, so both ends of the protocol always match.
 */
#include "vg/worker_main.h"

/* Under LeakSanitizer (sanitizer builds only): a worker ends with _exit,
 * which skips the leak check, except when a plugin calls exit() itself.
 * Then its frames are still allocated by design, and a leak report would
 * replace the exit status the host reports ("exited with status 0"). */
__attribute__((visibility("default"))) int __lsan_is_turned_off(void);
__attribute__((visibility("default"))) int __lsan_is_turned_off(void)
{
    return 1;
}

int main(int argc, char **argv)
{
    return vg_worker_main(argc, argv);
}

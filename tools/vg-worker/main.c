/*
 * main.c - vg-worker: the process a backend plugin runs in.
 *
 * libvg starts it for each plugin (core/src/loader/worker_client.c); all
 * the work is in libvg, so both ends of the protocol always match.
 */
#include "vg/worker_main.h"

int main(int argc, char **argv)
{
    return vg_worker_main(argc, argv);
}

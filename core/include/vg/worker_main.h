/*
 * vg/worker_main.h - the entry point of the vg-worker executable.
 *
 * libvg runs every backend plugin in a vg-worker process of its own
 * (isolation.mode: process; docs/architecture.md, "Isolation").  The
 * executable's main() is this function; it expects the file descriptors
 * libvg sets up when it starts the worker and is of no use otherwise.
 */
#ifndef VG_WORKER_MAIN_H
#define VG_WORKER_MAIN_H

#include "vg/api.h"

/* Serve the libvg that started this process until it closes the socket.
 * Does not return when the session ends normally (_exit). */
VG_API int vg_worker_main(int argc, char **argv);

#endif /* VG_WORKER_MAIN_H */

/*
 * faulty.h - the fault-injecting test plugin (internal to it).
 *
 * VG_FAULTY holds comma-separated faults; README.md in this directory lists
 * them.  The plugin otherwise behaves as a correct GPU-kind backend: the CPU
 * backend under another name.
 */
#ifndef VG_FAULTY_H
#define VG_FAULTY_H

#include <stdbool.h>
#include <stdint.h>

/* The whole VG_FAULTY text (VG_FAULTY2 for faulty2), or NULL. */
const char *faulty_list(void);

/* True when VG_FAULTY names `fault` (a bare word such as "probe_fail"). */
bool faulty_has(const char *fault);

/* The number after "name=" in VG_FAULTY, or `fallback` when absent. */
long faulty_number(const char *name, long fallback);

/* Count one kernel call; true when this call is the one kernel_fail_at
 * names (calls counted from 1 since the last open, self-test included). */
bool faulty_kernel_call_fails(void);

/* Crash, hang, exit or print when VG_FAULTY asks for it at `place`
 * ("probe", "check", "open"): crash_in_probe, hang_in_open, ... */
void faulty_misbehave(const char *place);

/* Start counting kernel calls again: each opened context counts from 1. */
void faulty_reset_kernel_calls(void);

/* How many kernel calls were made since the last open. */
uint64_t faulty_kernel_calls(void);

/* devices=N: how many devices the probe reports (1 to 4; default 1). */
uint32_t faulty_device_count(void);

/* faulty_device=D: the device-level faults (caps_reject, open_fail,
 * kernel_fail_at) strike device D only; without it, every device. */
bool faulty_strikes(uint32_t device);

/* The simulated asynchronous download (faulty_async.c): the plugin's
 * frame_download_start/_wait slots under VG_FAULTY=async_download. */
typedef struct vg_plugin_ctx vg_plugin_ctx;
typedef struct vg_plugin_frame vg_plugin_frame;
typedef struct vg_image vg_image;
int faulty_download_start(vg_plugin_ctx *ctx, const vg_plugin_frame *src,
                          const vg_image *dst);
int faulty_download_wait(vg_plugin_ctx *ctx, const vg_plugin_frame *src);

/* Before a kernel or upload named `what` writes `dst`: fail with a
 * "download hazard" when dst's download is still in flight. */
int faulty_check_write(vg_plugin_ctx *ctx, const vg_plugin_frame *dst,
                       const char *what);

/* When a context closes: report the downloads and the kernel calls that
 * overlapped them, and forget them. */
void faulty_async_close(void);

#endif /* VG_FAULTY_H */

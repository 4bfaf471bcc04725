/*
 * opencl_internal.h - what the files of the OpenCL plugin share (internal).
 *
 * The plugin targets the OpenCL 1.2 API through the ICD loader (libOpenCL),
 * so it runs on every conformant runtime: GPU vendors' drivers, PoCL, vendor
 * CPU runtimes.  Everything here has hidden visibility; the plugin exports
 * only vg_plugin_entry.
 */
#ifndef VG_OPENCL_INTERNAL_H
#define VG_OPENCL_INTERNAL_H

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "vg/plugin.h"

/* The slots: vg_ocl_<slot> for every row of plugin.h's VG_PLUGIN_SLOTS.
 * probe is in opencl_probe.c, check_device in opencl_check.c, open, close
 * and last_error in opencl_context.c, the frame slots in opencl_memory.c,
 * the kernels and sync in opencl_kernels.c.  The OPTIONAL rows it sets:
 * probe_with_reason (ABI 2, opencl_probe.c), the ABI form of probe that
 * gives the reason whole (out->reason holds only its first VG_TEXT_MAX - 1
 * bytes), and the ABI 3 download pair (opencl_memory.c): a non-blocking
 * read into the frame's pinned staging buffer, then at the wait a host
 * copy into the caller's image. */
VG_PLUGIN_DECLARE_SLOTS(vg_ocl_)
VG_PLUGIN_DECLARE_SLOT(vg_ocl_, probe_with_reason)
VG_PLUGIN_DECLARE_ASYNC_DOWNLOAD(vg_ocl_)

#if defined(__GNUC__)
#define VG_OCL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define VG_OCL_PRINTF(fmt, args)
#endif

/* ------------------------------------------------------------------------ */
/* Options (opencl_entry.c declares the table in this order)                 */
/* ------------------------------------------------------------------------ */

enum {
    VG_OCL_OPT_DEVICE_TYPES = 0,
    VG_OCL_OPT_PLATFORM = 1,
    VG_OCL_OPT_DEVICE = 2,
    VG_OCL_OPT_COUNT = 3,
};

/* Bits of the device_types FLAGS value: the index of each choice. */
#define VG_OCL_TYPE_GPU (1u << 0)
#define VG_OCL_TYPE_ACCELERATOR (1u << 1)
#define VG_OCL_TYPE_CPU (1u << 2)
#define VG_OCL_TYPE_ALL (1u << 3)

/* ------------------------------------------------------------------------ */
/* Device enumeration (opencl_probe.c)                                       */
/* ------------------------------------------------------------------------ */

/* One device that passed the filters, with where it came from. */
typedef struct vg_ocl_device {
    cl_platform_id platform;
    cl_device_id id;
    uint32_t platform_index; /* position in clGetPlatformIDs */
    uint32_t device_index;   /* position in its platform's clGetDeviceIDs */
    char platform_name[VG_NAME_MAX];
    vg_device_info info; /* the facts probe reports */
} vg_ocl_device;

/* Every device that passes device_types / platform / device, in platform
 * then device order: the plugin's device indices are indices into this
 * list, so probe, check_device and open agree as long as the machine's
 * OpenCL setup does not change between calls. */
typedef struct vg_ocl_device_list {
    uint32_t count;
    vg_ocl_device devices[VG_MAX_DEVICES];
    uint32_t found;     /* devices seen before filtering */
    uint32_t platforms; /* platforms the ICD loader reported */
    /* plugin-wide facts: platforms, skipped devices, failed platforms */
    char detail[VG_TEXT_MAX];
    /* when count is 0: why, one line (whole: it is handed to the core
     * through probe_with_reason and check_device's reason buffer) */
    char reason[VG_REASON_MAX];
} vg_ocl_device_list;

/* Enumerate platforms and devices and apply the option filters.  Returns 0
 * (count may be 0, with a reason) or VG_ERR_DRIVER when the ICD loader
 * itself fails (reason says how). */
int vg_ocl_list_devices(const vg_option_value *options,
                        vg_ocl_device_list *out);

/* Device `index` of the filtered list, or VG_ERR_NO_DEVICE with a reason. */
int vg_ocl_find_device(const vg_option_value *options, uint32_t index,
                       vg_ocl_device *out, char *reason, size_t reason_size);

/* "CL_OUT_OF_RESOURCES" for an OpenCL status code. */
const char *vg_ocl_status_name(cl_int status);

/* ------------------------------------------------------------------------ */
/* Capability check (opencl_check.c)                                         */
/* ------------------------------------------------------------------------ */

/* Version, limit and work-group checks that need no program: 0, or
 * VG_ERR_UNSUPPORTED with a reason naming the limit. */
int vg_ocl_check_limits(const vg_ocl_device *dev, const vg_job_limits *limits,
                        char *reason, size_t reason_size);

/* The work-group shape for 2-D launches on `device`: 16 x 16, shrunk to
 * the device's limits and to `kernel_max` (a kernel's
 * CL_KERNEL_WORK_GROUP_SIZE; 0 when not known yet). */
void vg_ocl_local_size(cl_device_id device, size_t kernel_max, size_t out[2]);

/* ------------------------------------------------------------------------ */
/* Program build and binary cache (opencl_program.c)                         */
/* ------------------------------------------------------------------------ */

/* The program source, generated at build time from vg/pixel_math.h and
 * kernels/ *.cl (embed_sources.cmake), NUL-terminated. */
extern const char vg_ocl_program_source[];

/* Build the program for `dev` in `context`: from the binary cache when a
 * valid entry exists, else from source (then cached).  `entry` (may be
 * NULL) gets the cache entry's path when the program came from it, else "".
 * `note` gets one line saying which and how long it took.  On failure returns
 * VG_ERR_KERNEL (or VG_ERR_NO_MEMORY / VG_ERR_DRIVER) with a reason that
 * carries the first lines of the build log. */
int vg_ocl_program_build(cl_context context, const vg_ocl_device *dev,
                         cl_program *out, char *entry, size_t entry_size,
                         char *note, size_t note_size, char *reason,
                         size_t reason_size);

/* The descriptor's discard_cached_code slot: delete the cache entry ctx's
 * program came from.  1 when one was deleted, else 0. */
int vg_ocl_discard_cached_code(vg_plugin_ctx *ctx);

/* ------------------------------------------------------------------------ */
/* Context and frames (opencl_context.c, opencl_memory.c)                    */
/* ------------------------------------------------------------------------ */

/* The blur's scratch budget: frames whose intermediate (8 bytes per pixel)
 * is larger are blurred in bands of rows.  64 MiB holds about a whole 4K
 * frame, and is half the smallest buffer limit (CL_DEVICE_MAX_MEM_ALLOC_SIZE)
 * a full-profile OpenCL device may have. */
#define VG_OCL_BLUR_SCRATCH_MAX ((size_t)64 << 20)

/* The kernel functions of the program: VG_OCL_KERNELS(K), K(name) for
 * every `kernel void name(` in the .cl files of kernels/, generated at
 * configure time (plugins/opencl/CMakeLists.txt), gives VG_OCL_K_<name>
 * (VG_OCL_K_vg_blend) and its entry in vg_ocl_kernel_names.  They live in
 * one array so they are created and released in one loop. */
#include "opencl_kernel_list.h"

#define VG_OCL_K_ID_(name) VG_OCL_K_##name,
enum { VG_OCL_KERNELS(VG_OCL_K_ID_) VG_OCL_K_COUNT };
#undef VG_OCL_K_ID_

/* Kernel function names in the program, indexed by VG_OCL_K_*. */
extern const char *const vg_ocl_kernel_names[VG_OCL_K_COUNT];

struct vg_plugin_frame {
    cl_mem mem;
    vg_frame_desc desc;
    /* I420 planes live in one buffer: Y, then U, then V, rows packed */
    size_t offset[3];
    size_t pitch[3];
    int32_t plane_width[3];
    int32_t plane_height[3];
    int plane_count;
    /* The asynchronous download: a host-visible buffer mapped once (the
     * pinned memory a GPU copies into at full speed), the read in flight
     * and where its bytes go when it is waited for.  Created by the first
     * download_start of the frame. */
    cl_mem staging;
    uint8_t *staging_host;
    cl_event download;
    vg_image download_dst;
    vg_plugin_frame *prev, *next; /* the context's list, freed by close */
};

struct vg_plugin_ctx {
    cl_context context;
    cl_command_queue queue;
    cl_program program;
    cl_kernel kernels[VG_OCL_K_COUNT];
    size_t local_size[2]; /* work-group shape used for every launch */
    cl_mem blur_scratch;  /* the 16-bit intermediate of one blur band */
    size_t blur_scratch_size;
    cl_mem blur_taps; /* int16 taps of the current blur */
    /* What blur_taps holds (radius 0: nothing yet), so a job blurring with
     * the same taps every frame writes them once rather than in a blocking
     * write per frame. */
    vg_blur_params taps_loaded;
    vg_plugin_frame *frames;
    char device_name[VG_NAME_MAX];
    char last_error[1024];
    char cache_entry[4400]; /* the binary cache file the program came from */
};

/* Record a failure on ctx ("warp: clEnqueueNDRangeKernel: CL_...") and
 * return `code`, so callers can `return vg_ocl_fail(...)`. */
int vg_ocl_fail(vg_plugin_ctx *ctx, int code, const char *fmt, ...)
    VG_OCL_PRINTF(3, 4);

/* ------------------------------------------------------------------------ */
/* Small helpers (opencl_probe.c)                                            */
/* ------------------------------------------------------------------------ */

/* snprintf that appends to a NUL-terminated buffer and never overflows. */
void vg_ocl_append(char *buf, size_t size, const char *fmt, ...)
    VG_OCL_PRINTF(3, 4);

#endif /* VG_OPENCL_INTERNAL_H */

/*
 * opencl_check.c - can this OpenCL device run vg's kernels for this job?
 *
 * Checks, in order, each failure a reason naming what is missing:
 *   - the device is available and has a compiler;
 *   - it speaks OpenCL C 1.2 or newer (the kernels are OpenCL C 1.2);
 *   - its buffer limit holds the job's largest RGBA frame, and its memory
 *     that frame plus the blur's scratch;
 *   - its work-group limits allow the 2-D launches the kernels use;
 *   - the program builds (through the binary cache), which also catches a
 *     broken compiler before any frame is rendered.
 */
#include <stdio.h>
#include <string.h>

#include "opencl_internal.h"

/* Preferred work-group shape: 16 x 16 fills a GPU wavefront or warp several
 * times over; smaller devices shrink it. */
#define VG_OCL_PREFERRED_LOCAL 16

void vg_ocl_local_size(cl_device_id device, size_t kernel_max, size_t out[2])
{
    size_t group_max = 1, items[3] = {1, 1, 1};
    clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof group_max,
                    &group_max, NULL);
    clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof items, items,
                    NULL);
    if (kernel_max > 0 && kernel_max < group_max)
        group_max = kernel_max;
    size_t x = VG_OCL_PREFERRED_LOCAL, y = VG_OCL_PREFERRED_LOCAL;
    while (x > 1 && (x > items[0] || x > group_max))
        x /= 2;
    while (y > 1 && (y > items[1] || x * y > group_max))
        y /= 2;
    out[0] = x;
    out[1] = y;
}

/* Major * 10 + minor of "OpenCL C 1.2 ...", or -1. */
static int opencl_c_version(cl_device_id device)
{
    char text[VG_NAME_MAX] = "";
    int major = 0, minor = 0;
    if (clGetDeviceInfo(device, CL_DEVICE_OPENCL_C_VERSION, sizeof text - 1,
                        text, NULL) != CL_SUCCESS ||
        sscanf(text, "OpenCL C %d.%d", &major, &minor) != 2)
        return -1;
    return major * 10 + minor;
}

int vg_ocl_check_limits(const vg_ocl_device *dev, const vg_job_limits *limits,
                        char *reason, size_t reason_size)
{
    cl_bool available = CL_FALSE, compiler = CL_FALSE;
    cl_ulong max_alloc = 0, memory = 0;
    cl_uint dims = 0;
    const char *name = dev->info.name;

    clGetDeviceInfo(dev->id, CL_DEVICE_AVAILABLE, sizeof available, &available,
                    NULL);
    clGetDeviceInfo(dev->id, CL_DEVICE_COMPILER_AVAILABLE, sizeof compiler,
                    &compiler, NULL);
    if (!available) {
        snprintf(reason, reason_size,
                 "OpenCL device '%s' is not available (CL_DEVICE_AVAILABLE "
                 "is false: in use exclusively, or in a bad state)",
                 name);
        return VG_ERR_UNSUPPORTED;
    }
    if (!compiler) {
        snprintf(reason, reason_size,
                 "OpenCL device '%s' has no OpenCL C compiler "
                 "(CL_DEVICE_COMPILER_AVAILABLE is false)",
                 name);
        return VG_ERR_UNSUPPORTED;
    }
    int version = opencl_c_version(dev->id);
    if (version < 12) {
        snprintf(reason, reason_size,
                 "OpenCL device '%s' supports OpenCL C %d.%d; vg's kernels "
                 "need OpenCL C 1.2 or newer",
                 name, version < 0 ? 0 : version / 10,
                 version < 0 ? 0 : version % 10);
        return VG_ERR_UNSUPPORTED;
    }

    clGetDeviceInfo(dev->id, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc,
                    &max_alloc, NULL);
    clGetDeviceInfo(dev->id, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof memory, &memory,
                    NULL);
    /* The largest buffer is an RGBA frame; the blur's scratch is capped
     * (VG_OCL_BLUR_SCRATCH_MAX).  What surely cannot work is checked here:
     * a frame beyond the buffer limit, or memory for less than one frame
     * and the scratch.  A job whose whole working set does not fit fails
     * later, at frame_alloc, with VG_ERR_NO_MEMORY. */
    uint64_t frame =
        (uint64_t)limits->max_width * (uint64_t)limits->max_height * 4;
    uint64_t scratch = (uint64_t)limits->max_width * 8 *
                       ((uint64_t)limits->max_height + 2 * VG_BLUR_MAX_RADIUS);
    if (scratch > VG_OCL_BLUR_SCRATCH_MAX)
        scratch = VG_OCL_BLUR_SCRATCH_MAX;
    if (frame > max_alloc) {
        snprintf(reason, reason_size,
                 "OpenCL device '%s' allows buffers of %llu MiB "
                 "(CL_DEVICE_MAX_MEM_ALLOC_SIZE); a %dx%d frame needs %llu "
                 "MiB",
                 name, (unsigned long long)(max_alloc >> 20), limits->max_width,
                 limits->max_height,
                 (unsigned long long)((frame + (1u << 20) - 1) >> 20));
        return VG_ERR_UNSUPPORTED;
    }
    if (frame + scratch > memory) {
        snprintf(
            reason, reason_size,
            "OpenCL device '%s' has %llu MiB of memory; a %dx%d frame "
            "and the blur's scratch need %llu MiB",
            name, (unsigned long long)(memory >> 20), limits->max_width,
            limits->max_height,
            (unsigned long long)((frame + scratch + (1u << 20) - 1) >> 20));
        return VG_ERR_UNSUPPORTED;
    }

    clGetDeviceInfo(dev->id, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS, sizeof dims,
                    &dims, NULL);
    size_t local[2];
    vg_ocl_local_size(dev->id, 0, local);
    if (dims < 2) {
        snprintf(reason, reason_size,
                 "OpenCL device '%s' launches %u-dimensional work only; the "
                 "kernels need 2 dimensions",
                 name, dims);
        return VG_ERR_UNSUPPORTED;
    }
    /* The launch covers the frame rounded up to whole work-groups; that
     * count must fit the device's size_t (32-bit devices exist). */
    cl_uint address_bits = 32;
    clGetDeviceInfo(dev->id, CL_DEVICE_ADDRESS_BITS, sizeof address_bits,
                    &address_bits, NULL);
    uint64_t items = ((uint64_t)limits->max_width + local[0]) *
                     ((uint64_t)limits->max_height + local[1]);
    if (address_bits < 64 && (items >> address_bits) != 0) {
        snprintf(reason, reason_size,
                 "OpenCL device '%s' is %u-bit: a %dx%d launch does not fit "
                 "its work-item range",
                 name, address_bits, limits->max_width, limits->max_height);
        return VG_ERR_UNSUPPORTED;
    }
    return 0;
}

int vg_ocl_check_device(const vg_option_value *options, uint32_t device,
                        const vg_job_limits *limits, char *reason,
                        size_t reason_size)
{
    vg_ocl_device dev;
    cl_int status;
    cl_program program = NULL;

    int rc = vg_ocl_find_device(options, device, &dev, reason, reason_size);
    if (rc == 0)
        rc = vg_ocl_check_limits(&dev, limits, reason, reason_size);
    if (rc != 0)
        return rc;

    cl_context context = clCreateContext(NULL, 1, &dev.id, NULL, NULL, &status);
    if (status != CL_SUCCESS) {
        snprintf(reason, reason_size,
                 "cannot create an OpenCL context on '%s': %s", dev.info.name,
                 vg_ocl_status_name(status));
        return VG_ERR_DRIVER;
    }
    char note[VG_TEXT_MAX * 2];
    rc = vg_ocl_program_build(context, &dev, &program, NULL, 0, note,
                              sizeof note, reason, reason_size);
    if (rc == 0) {
        snprintf(reason, reason_size, "%s", note);
        clReleaseProgram(program);
    }
    clReleaseContext(context);
    return rc;
}

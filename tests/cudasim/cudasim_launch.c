/*
 * cudasim_launch.c - what nvcc's generated host code calls: fatbinary and
 * kernel registration, launch configuration, launches; and the attribute
 * query the capability check makes.
 *
 * Every __global__ function of the plugin is registered with its host stub
 * and its mangled device name.  An attribute query or a launch looks up the
 * image the driver would choose for the current device in the registered
 * fatbinary; a launch then runs the host build of the kernel of that name
 * (cudasim_kernels.cpp) over the grid it was given.
 */
#include "cudasim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct module {
    cudasim_image images[CUDASIM_MAX_IMAGES];
    int image_count; /* -1: the fatbinary could not be read */
} module;

typedef struct kernel {
    const void *host_stub;
    char name[64]; /* "pattern_kernel" */
    cudasim_host_kernel run;
    module *module;
} kernel;

static module modules[4];
static int module_count;
static kernel kernels[CUDASIM_MAX_KERNELS];
static int kernel_count;

/* The launch configuration nvcc pushes before calling a kernel's stub. */
static struct {
    dim3 grid, block;
    size_t shared;
    cudaStream_t stream;
} pushed;

void **__cudaRegisterFatBinary(void *fat_cubin);
void __cudaRegisterFatBinaryEnd(void **handle);
void __cudaUnregisterFatBinary(void **handle);
char __cudaInitModule(void **handle);
void __cudaRegisterFunction(void **handle, const char *host_fun,
                            char *device_fun, const char *device_name,
                            int thread_limit, uint3 *tid, uint3 *bid,
                            dim3 *block_dim, dim3 *grid_dim, int *warp_size);
unsigned __cudaPushCallConfiguration(dim3 grid, dim3 block, size_t shared,
                                     struct CUstream_st *stream);
cudaError_t __cudaPopCallConfiguration(dim3 *grid, dim3 *block, size_t *shared,
                                       void *stream);
cudaError_t __cudaGetKernel(cudaKernel_t *out, const void *host_stub);
cudaError_t __cudaLaunchKernel(cudaKernel_t k, dim3 grid, dim3 block,
                               void **args, size_t shared, cudaStream_t stream);

void **__cudaRegisterFatBinary(void *fat_cubin)
{
    if (module_count == (int)(sizeof modules / sizeof modules[0])) {
        fprintf(stderr, "cudasim: too many fatbinaries\n");
        abort();
    }
    module *m = &modules[module_count++];
    m->image_count =
        cudasim_fatbin_images(fat_cubin, m->images, CUDASIM_MAX_IMAGES);
    return (void **)m;
}

void __cudaRegisterFatBinaryEnd(void **handle)
{
    (void)handle;
}

void __cudaUnregisterFatBinary(void **handle)
{
    (void)handle;
}

char __cudaInitModule(void **handle)
{
    (void)handle;
    return 1;
}

/* The function's own name from its mangled name: the last component of
 * "_ZN<len><ns>...<len><name>E<params>", or "_Z<len><name><params>". */
static void demangled_name(const char *mangled, char *out, size_t out_size)
{
    const char *p = mangled;
    out[0] = '\0';
    if (strncmp(p, "_Z", 2) != 0)
        return;
    p += 2;
    bool nested = *p == 'N';
    if (nested)
        p++;
    while (*p >= '0' && *p <= '9') {
        char *end;
        unsigned long len = strtoul(p, &end, 10);
        if (strlen(end) < len)
            return;
        snprintf(out, out_size, "%.*s", (int)len, end);
        p = end + len;
        if (!nested)
            return;
    }
}

void __cudaRegisterFunction(void **handle, const char *host_fun,
                            char *device_fun, const char *device_name,
                            int thread_limit, uint3 *tid, uint3 *bid,
                            dim3 *block_dim, dim3 *grid_dim, int *warp_size)
{
    (void)device_fun, (void)thread_limit, (void)tid, (void)bid;
    (void)block_dim, (void)grid_dim, (void)warp_size;
    if (kernel_count == CUDASIM_MAX_KERNELS) {
        fprintf(stderr, "cudasim: too many kernels\n");
        abort();
    }
    kernel *k = &kernels[kernel_count++];
    k->host_stub = host_fun;
    k->module = (module *)handle;
    demangled_name(device_name, k->name, sizeof k->name);
    /* Every kernel the plugin registers must have a host build: a kernel
     * added to the .cu but not to VG_CUDA_KERNEL_LIST stops here. */
    k->run = cudasim_find_host_kernel(k->name);
    if (!k->run) {
        fprintf(stderr, "cudasim: no host build of kernel %s (%s)\n", k->name,
                device_name);
        abort();
    }
}

unsigned __cudaPushCallConfiguration(dim3 grid, dim3 block, size_t shared,
                                     struct CUstream_st *stream)
{
    pushed.grid = grid;
    pushed.block = block;
    pushed.shared = shared;
    pushed.stream = stream;
    return 0;
}

cudaError_t __cudaPopCallConfiguration(dim3 *grid, dim3 *block, size_t *shared,
                                       void *stream)
{
    *grid = pushed.grid;
    *block = pushed.block;
    *shared = pushed.shared;
    *(cudaStream_t *)stream = pushed.stream;
    return cudaSuccess;
}

static kernel *find_kernel(const void *host_stub)
{
    for (int i = 0; i < kernel_count; i++)
        if (kernels[i].host_stub == host_stub)
            return &kernels[i];
    return NULL;
}

cudaError_t __cudaGetKernel(cudaKernel_t *out, const void *host_stub)
{
    kernel *k = find_kernel(host_stub);
    *out = (cudaKernel_t)k;
    return k ? cudaSuccess : cudasim_status(cudaErrorInvalidDeviceFunction);
}

/* The image of k the driver would load on the current device. */
static cudaError_t load(const kernel *k, const cudasim_device *dev,
                        const cudasim_image **image)
{
    if (k->module->image_count < 0) {
        fprintf(stderr, "cudasim: the plugin's fatbinary is unreadable\n");
        abort();
    }
    *image = cudasim_choose_image(k->module->images, k->module->image_count,
                                  dev->cc);
    return *image ? cudaSuccess : cudaErrorNoKernelImageForDevice;
}

cudaError_t cudaFuncGetAttributes(struct cudaFuncAttributes *attr,
                                  const void *func)
{
    cudaError_t err;
    cudasim_device *dev = cudasim_current(&err);
    if (!dev || err)
        return err;
    const kernel *k = find_kernel(func);
    if (!k)
        return cudasim_status(cudaErrorInvalidDeviceFunction);
    memset(attr, 0, sizeof *attr);
    attr->maxThreadsPerBlock = 1024;
    if (strcmp(dev->lazy_missing, k->name) == 0) {
        /* Lazy loading: nothing is loaded, so nothing is found missing. */
        attr->binaryVersion = attr->ptxVersion = dev->cc;
        return cudaSuccess;
    }
    const cudasim_image *image;
    err = load(k, dev, &image);
    if (err)
        return cudasim_status(err);
    /* JIT compiles the PTX for this very device. */
    attr->binaryVersion = image->ptx ? dev->cc : image->cc;
    attr->ptxVersion = image->cc;
    return cudaSuccess;
}

/* Launch faults: the kernel never completes, and the error is the
 * asynchronous kind, seen by the next call that waits. */
static bool launch_faults(cudasim_device *dev)
{
    dev->launches++;
    if (dev->pending)
        return true; /* the context is already lost */
    if (dev->launches != dev->fault_at)
        return false;
    if (dev->fault == CUDASIM_FAULT_ILLEGAL_ADDRESS)
        dev->pending = cudaErrorIllegalAddress;
    else if (dev->fault == CUDASIM_FAULT_DEVICE_LOST)
        dev->pending = cudaErrorLaunchFailure;
    return dev->pending != cudaSuccess;
}

cudaError_t __cudaLaunchKernel(cudaKernel_t handle, dim3 grid, dim3 block,
                               void **args, size_t shared, cudaStream_t stream)
{
    (void)shared;
    (void)stream;
    cudaError_t err;
    cudasim_device *dev = cudasim_current(&err);
    if (!dev || err)
        return err;
    const kernel *k = (const kernel *)handle;
    if (!k)
        return cudasim_status(cudaErrorInvalidDeviceFunction);
    const cudasim_image *image;
    err = strcmp(dev->lazy_missing, k->name) == 0
              ? cudaErrorNoKernelImageForDevice
              : load(k, dev, &image);
    if (err)
        return cudasim_status(err);
    if (block.x * block.y * block.z > 1024 || grid.x == 0 || grid.y == 0 ||
        grid.z == 0)
        return cudasim_status(cudaErrorInvalidValue);
    if (!launch_faults(dev))
        k->run(grid, block, args);
    return cudaSuccess;
}

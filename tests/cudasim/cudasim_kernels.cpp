/*
 * cudasim_kernels.cpp - the plugin's kernels compiled for the host, and the
 * grid loop that runs them.
 *
 * plugins/cuda/cuda_kernels.cuh is the source nvcc compiles into the
 * plugin; here the host compiler compiles the same text, with the few CUDA
 * built-ins it uses (blockIdx, threadIdx, blockDim, the vector types)
 * supplied below.  A launch runs every thread of every block, one after
 * another, with the grid and block the plugin asked for: the kernels have
 * no shared memory and no barriers, so any order of threads is one the GPU
 * could have chosen.
 */
#include <tuple>
#include <utility>

#include <cstring>

#include <vector_functions.h>
#include <vector_types.h>

#include "cudasim.h"

namespace
{
/* What the CUDA compiler provides to device code. */
uint3 sim_block_idx, sim_thread_idx;
dim3 sim_block_dim, sim_grid_dim;
} // namespace

#define blockIdx sim_block_idx
#define threadIdx sim_thread_idx
#define blockDim sim_block_dim
#define gridDim sim_grid_dim

#include "cuda_kernels.cuh"

namespace
{

template <typename... A, std::size_t... I>
void run_grid(void (*kernel)(A...), dim3 grid, dim3 block, void **args,
              std::index_sequence<I...>)
{
    /* Arguments are passed by value, as a launch copies them. */
    std::tuple<A...> values(*static_cast<A *>(args[I])...);
    sim_grid_dim = grid;
    sim_block_dim = block;
    for (unsigned bz = 0; bz < grid.z; bz++)
        for (unsigned by = 0; by < grid.y; by++)
            for (unsigned bx = 0; bx < grid.x; bx++)
                for (unsigned tz = 0; tz < block.z; tz++)
                    for (unsigned ty = 0; ty < block.y; ty++)
                        for (unsigned tx = 0; tx < block.x; tx++) {
                            sim_block_idx = make_uint3(bx, by, bz);
                            sim_thread_idx = make_uint3(tx, ty, tz);
                            kernel(std::get<I>(values)...);
                        }
}

template <typename... A>
void run_kernel(void (*kernel)(A...), dim3 grid, dim3 block, void **args)
{
    run_grid(kernel, grid, block, args, std::index_sequence_for<A...>{});
}

template <auto Kernel> void host_kernel(dim3 grid, dim3 block, void **args)
{
    run_kernel(Kernel, grid, block, args);
}

const struct {
    const char *name;
    cudasim_host_kernel run;
} host_kernels[] = {
#define CUDASIM_HOST_KERNEL_(name, fn) {#fn, host_kernel<fn>},
    VG_CUDA_KERNEL_LIST(CUDASIM_HOST_KERNEL_)
#undef CUDASIM_HOST_KERNEL_
};

} // namespace

extern "C" cudasim_host_kernel cudasim_find_host_kernel(const char *name)
{
    for (const auto &k : host_kernels)
        if (std::strcmp(k.name, name) == 0)
            return k.run;
    return nullptr;
}

#!/bin/sh
# scripts/gpu-check.sh - check the CUDA backend on a machine with an NVIDIA
# GPU (CI has none).  Steps:
#   1. the driver and GPU as nvidia-smi sees them;
#   2. build everything with the default CUDA architectures (every SM the
#      toolkit supports plus PTX) and show --list-backends;
#   3. the CUDA test suites (probe, decision table, every kernel byte for
#      byte against the reference on this GPU) and the backend conformance
#      suite;
#   4. the same job on cuda and on cpu must give identical Y4M bytes;
#   5. a single-architecture build for another GPU generation (SASS only,
#      no PTX): the capability check must report "no kernel image" and the
#      job must fall through to the CPU;
#   6. benchmark figures: GB/s per kernel at 1920x1080 against the device's
#      peak memory bandwidth, and frames per second for the default job.
#
# Usage: scripts/gpu-check.sh [BUILD_DIR]   (default: build-gpu-check)
# Needs cmake, a C compiler, the CUDA toolkit (nvcc), Criterion and
# libyaml, like any vg build.  Exits non-zero at the first failed step.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build-gpu-check"}
single="$build-single-arch"
jobs=$(nproc 2>/dev/null || echo 2)
vgrun="$build/tools/vgrun/vgrun"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() {
    printf '\n== %s\n' "$*"
}

fail() {
    printf 'gpu-check: FAILED: %s\n' "$*" >&2
    exit 1
}

step "1. driver and GPU"
command -v nvidia-smi >/dev/null || fail "nvidia-smi not found: no NVIDIA driver"
nvidia-smi --query-gpu=index,name,compute_cap,driver_version,memory.total \
    --format=csv || fail "nvidia-smi cannot talk to the driver"
cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -n 1)
major=${cc%%.*}
echo "device 0: compute capability $cc"

step "2. build with the default architectures"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVG_WERROR=ON
cmake --build "$build" -j "$jobs"
[ -f "$build/vg-plugins/vg_cuda.so" ] || fail "the CUDA plugin was not built"
"$vgrun" --list-backends

step "3. CUDA suites and the backend conformance suite"
ctest --test-dir "$build" --output-on-failure -R 'cuda|conformance' ||
    fail "tests"
# The kernel suite skips without a device: here it must have run.
"$build/tests/test_cuda_kernels" --verbose 2>&1 | tee "$tmp/kernels.log" |
    tail -n 3
grep -q 'SKIP' "$tmp/kernels.log" && fail "test_cuda_kernels skipped on a GPU machine"

step "4. cuda and cpu give the same bytes"
"$vgrun" --backend cuda --frames 0:30 -o "$tmp/cuda.y4m"
"$vgrun" --backend cpu --frames 0:30 -o "$tmp/cpu.y4m"
cmp "$tmp/cuda.y4m" "$tmp/cpu.y4m" || fail "cuda output differs from cpu"
echo "30 frames identical"

step "5. single-architecture build: no kernel image, fall-through"
# SASS for a generation this GPU is not: sm_80 (Ampere) unless the GPU is
# an 8.x, then sm_90 (Hopper).  SASS never crosses a major version, and
# there is no PTX to JIT.
if [ "$major" = 8 ]; then arch=90; else arch=80; fi
cmake -S "$root" -B "$single" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CUDA_ARCHITECTURES="$arch-real" -DVG_BUILD_TESTS=OFF
cmake --build "$single" -j "$jobs" --target vg_plugin_cuda vg_plugin_cpu vgrun
"$single/tools/vgrun/vgrun" --list-backends | tee "$tmp/single.txt"
grep -q "no kernel image for compute capability $cc" "$tmp/single.txt" ||
    fail "the sm_$arch build did not report 'no kernel image' for $cc"
"$single/tools/vgrun/vgrun" --backend cuda,cpu --frames 0:5 \
    -o "$tmp/single.y4m" 2>&1 | tee "$tmp/single-run.txt"
"$vgrun" --backend cpu --frames 0:5 -o "$tmp/cpu5.y4m" 2>/dev/null
cmp "$tmp/single.y4m" "$tmp/cpu5.y4m" || fail "fall-through output differs"
echo "fell through to cpu with the reason above; output identical"

step "6. benchmarks"
cat >"$tmp/bench.c" <<'EOF'
/* GB/s of each kernel at 1920x1080 on one backend, through the core's
 * checked wrappers; bytes counted are those each kernel must read and
 * write once (blur counts its 16-bit intermediate). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vg/params.h"
#include "vg/select.h"

#define W 1920
#define H 1080
#define RUNS 200

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    char err[1024];
    vg_config *cfg = NULL;
    vg_selector *sel = NULL;
    vg_backend *be = NULL;
    const vg_job_limits limits = {W, H};
    if (vg_config_create_default(&cfg) ||
        vg_config_set_backends(cfg, argc > 1 ? argv[1] : "cuda", "bench",
                               err, sizeof err) ||
        vg_selector_create(cfg, &limits, &sel) ||
        vg_selector_next(sel, &be, err, sizeof err)) {
        fprintf(stderr, "bench: no backend: %s\n",
                sel ? vg_selector_attempt(sel, 0)->reason : err);
        return 1;
    }
    vg_backend_frame *a, *b, *d, *y;
    vg_backend_frame_alloc(be, VG_FORMAT_RGBA8, W, H, &a);
    vg_backend_frame_alloc(be, VG_FORMAT_RGBA8, W, H, &b);
    vg_backend_frame_alloc(be, VG_FORMAT_RGBA8, W, H, &d);
    vg_backend_frame_alloc(be, VG_FORMAT_I420, W, H, &y);
    vg_pattern_params pp = {VG_PATTERN_TESTSRC, 7, 0};
    vg_backend_fill_pattern(be, a, &pp);
    vg_backend_fill_pattern(be, b, &pp);
    vg_warp_params wp;
    vg_affine m = vg_affine_camera(W, H, W, H, 1.2, 5.0, W / 2.0, H / 2.0);
    vg_warp_params_from_affine(&m, W, H, VG_EDGE_CLAMP, 0, &wp);
    vg_blend_params bl = {VG_BLEND_CROSSFADE, 100, 0};
    vg_blur_params bp;
    vg_blur_params_from_sigma(3.0, &bp);
    vg_color_params cp;
    vg_color_params_init(VG_MATRIX_BT709, VG_RANGE_LIMITED, &cp);
    const double px = (double)W * H;
    printf("%s on %s\n", vg_backend_name(be),
           vg_selector_attempt(sel, vg_selector_attempt_count(sel) - 1)
               ->device_name);
    for (int k = 0; k < 6; k++) {
        static const char *names[] = {"pattern", "warp", "blend", "blur",
                                      "rgba_to_i420", "i420_to_rgba"};
        static const double bytes[] = {4, 8, 12, 24, 5.5, 5.5};
        int rc = 0;
        double t0 = 0;
        for (int i = -5; i < RUNS && rc == 0; i++) {
            if (i == 0) {
                vg_backend_sync(be);
                t0 = now();
            }
            switch (k) {
            case 0: rc = vg_backend_fill_pattern(be, d, &pp); break;
            case 1: rc = vg_backend_warp_affine(be, d, a, &wp); break;
            case 2: rc = vg_backend_blend(be, d, a, b, &bl); break;
            case 3: rc = vg_backend_blur(be, d, a, &bp); break;
            case 4: rc = vg_backend_rgba_to_i420(be, y, a, &cp); break;
            default: rc = vg_backend_i420_to_rgba(be, d, y, &cp); break;
            }
        }
        if (rc == 0)
            rc = vg_backend_sync(be);
        if (rc != 0) {
            fprintf(stderr, "bench: %s\n", vg_backend_last_error(be));
            return 1;
        }
        double s = (now() - t0) / RUNS;
        printf("  %-13s %8.3f ms  %7.1f GB/s\n", names[k], s * 1e3,
               bytes[k] * px / s / 1e9);
    }
    vg_backend_close(&be);
    vg_selector_destroy(&sel);
    vg_config_destroy(&cfg);
    return 0;
}
EOF
${CC:-cc} -std=c11 -O2 -I"$root/core/include" "$tmp/bench.c" \
    -L"$build/core" -Wl,-rpath,"$build/core" -lvg -o "$tmp/bench"
"$tmp/bench" cuda || fail "benchmark"
"$vgrun" --list-backends | grep -o 'peak [0-9]* GB/s' | head -n 1 |
    sed 's/^/  device memory bandwidth: /'
echo "default job (300 frames of 1920x1080, two frames in flight):"
# -v: off a terminal the summary line is printed only when asked for.
"$vgrun" --backend cuda -v -o /dev/null 2>"$tmp/job.txt"
grep 'frames in' "$tmp/job.txt" || fail "default job: $(cat "$tmp/job.txt")"

printf '\ngpu-check: all steps passed\n'

#!/usr/bin/env bash
# scripts/gpu-check.sh - prove the CUDA backend on a machine with an NVIDIA
# GPU, from a bare checkout, in a few minutes.  It asserts, not just
# compares, and ends with one summary table; the exit status is non-zero
# when any assertion failed.
#
#   1. dependencies (scripts/install-deps.sh) and the GPU as nvidia-smi sees it
#   2. a build with the default CUDA architectures, and the test suites that
#      touch CUDA (on a GPU, test_cuda_kernels runs there, not on the simulator)
#   3. cuda is selected, with the image this GPU's compute capability needs
#      (its own SASS, or JIT from PTX)
#   4. cuda's bytes equal cpu's
#   5. a single-architecture build (sm_80 only; sm_90 only on an 8.x GPU)
#      reproduces "no kernel image is available" in the reason and falls
#      through to opencl (the NVIDIA ICD) or cpu, with the same bytes
#   6. a mid-job failure of the faulty test plugin hands over to cuda, with
#      the same bytes
#   7. vgbench figures for cuda, opencl and cpu; each cuda kernel's GB/s as a
#      share of the GPU's peak memory bandwidth
#
# Usage: scripts/gpu-check.sh [--dry-run] [BUILD_DIR]
#   BUILD_DIR defaults to build-gpu-check (the single-architecture build goes
#   to BUILD_DIR-single-arch).
#   --dry-run needs no GPU: it installs and builds nothing, takes an existing
#   build (BUILD_DIR, default build/) with the CUDA simulator
#   (tests/cudasim), and runs every step against a simulated H200 with
#   fewer frames and shorter benchmarks.  CI runs it, so the script cannot
#   rot between GPU runs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dry_run=0
if [[ "${1:-}" == "--dry-run" ]]; then
    dry_run=1
    shift
fi
if ((dry_run)); then
    build=$(cd "${1:-"$root/build"}" && pwd)
    frames=3
    bench_args=(--samples 1 --min-time 0.01 --kernels crossfade)
else
    build=${1:-"$root/build-gpu-check"}
    frames=30
    bench_args=(--samples 5)
fi
single="$build-single-arch"
vgrun="$build/tools/vgrun/vgrun"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------------------
# Results: one row per assertion, printed as a table at the end.
# ---------------------------------------------------------------------------
rows=()
failed=0
record() { # record STATUS STEP DETAIL
    rows+=("$1|$2|$3")
    [[ "$1" == FAIL ]] && failed=$((failed + 1))
    printf 'gpu-check: %-4s %s: %s\n' "$1" "$2" "$3" >&2
}
pass() { record PASS "$1" "$2"; }
fail() { record FAIL "$1" "$2"; }
skip() { record SKIP "$1" "$2"; }

summary() {
    printf '\n%-4s  %-34s  %s\n' result step detail
    printf '%-4s  %-34s  %s\n' ---- ---------------------------------- ------
    local row status step detail
    for row in "${rows[@]}"; do
        IFS='|' read -r status step detail <<<"$row"
        printf '%-4s  %-34s  %s\n' "$status" "$step" "$detail"
    done
    if ((failed)); then
        printf '\ngpu-check: %d assertion(s) FAILED%s\n' "$failed" \
            "$( ((dry_run)) && echo ' (dry run, simulated GPU)')"
        exit 1
    fi
    printf '\ngpu-check: all assertions passed%s\n' \
        "$( ((dry_run)) && echo ' (dry run, simulated GPU)')"
}

step() { printf '\n== %s\n' "$*" >&2; }

# Does file $1 contain the fixed string $2?
has() { grep -qF -- "$2" "$1"; }

# The line of file $1 that contains $2, for the table.
line_of() { grep -F -- "$2" "$1" | head -n 1 | cut -c1-150; }

# The image the driver runs for compute capability $1 (10*major+minor) from
# the record "sm_75 sm_80 ... compute_75": SASS of the same major with the
# highest minor not above the device's, else the newest PTX not above it.
expected_image() {
    local cc=$1 record=$2 best="" best_cc=0 ptx="" ptx_cc=0 image n
    for image in $record; do
        n=${image#*_}
        n=${n%[af]}
        case "$image" in
        sm_*)
            if ((n / 10 == cc / 10 && n <= cc && n > best_cc)); then
                best=$image best_cc=$n
            fi
            ;;
        compute_*)
            if ((n <= cc && n > ptx_cc)); then
                ptx=$image ptx_cc=$n
            fi
            ;;
        esac
    done
    if [[ -n "$best" ]]; then
        echo "runs SASS $best"
    elif [[ -n "$ptx" ]]; then
        echo "will JIT from $ptx"
    else
        echo "no kernel image"
    fi
}

# Plugins come from the build under test only (config plugin_dirs are
# searched first): an installed vg elsewhere on the machine must not stand
# in for it.  $1: the directory with vg_cuda.so (the build's own, or a
# simulator build), $2: the build whose other plugins go with it.
use_plugins() {
    printf 'plugin_dirs: [%s, %s/vg-plugins]\n' "$1" "$2" >"$config"
}

# vgrun with the environment of this run; $1: output file, then arguments.
run_vgrun() {
    local out=$1
    shift
    "$vgrun" "$@" -o "$out" -v
}

# ---------------------------------------------------------------------------
step "1. dependencies and the GPU"
# ---------------------------------------------------------------------------
job_args=(--frames "0:$frames")
config="$tmp/config.yaml"
export VG_CONFIG="$config"
unset VG_BACKENDS VG_PLUGIN_PATH
if ((dry_run)); then
    skip "dependencies" "dry run: would run scripts/install-deps.sh"
    [[ -x "$vgrun" && -f "$build/cudasim/shipped/vg_cuda.so" ]] || {
        fail "simulator build" "$build has no vgrun or no CUDA simulator: build with the CUDA toolkit first"
        summary
    }
    name="NVIDIA H200 (simulated)"
    cc_text=9.0
    export VG_CUDASIM="driver=13.0;device=$name,cc=$cc_text,memory=141GiB,sms=132"
    use_plugins "$build/cudasim/shipped" "$build"
    pass "GPU" "$name, compute capability $cc_text (VG_CUDASIM)"
else
    bash "$root/scripts/install-deps.sh"
    pass "dependencies" "scripts/install-deps.sh"
    if ! command -v nvidia-smi >/dev/null; then
        fail "GPU" "nvidia-smi not found: no NVIDIA driver"
        summary
    fi
    if ! gpu=$(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total \
        --format=csv,noheader | head -n 1) || [[ -z "$gpu" ]]; then
        fail "GPU" "nvidia-smi cannot talk to the driver"
        summary
    fi
    IFS=',' read -r name cc_text driver memory <<<"$gpu"
    cc_text=${cc_text// /}
    pass "GPU" "$name, compute capability $cc_text, driver$driver,$memory"
    use_plugins "$build/vg-plugins" "$build"
fi
cc=$((${cc_text%%.*} * 10 + ${cc_text#*.}))
major=${cc_text%%.*}

# ---------------------------------------------------------------------------
step "2. build with the default architectures, CUDA suites"
# ---------------------------------------------------------------------------
if ((dry_run)); then
    skip "build" "dry run: using $build"
    skip "CUDA suites" "dry run: ctest runs them on the simulator"
else
    [[ -x /usr/local/cuda/bin/nvcc ]] && export PATH="/usr/local/cuda/bin:$PATH"
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVG_WERROR=ON >/dev/null
    cmake --build "$build" -j "$(nproc)" >/dev/null
    if [[ -f "$build/vg-plugins/vg_cuda.so" ]]; then
        pass "build" "$build/vg-plugins/vg_cuda.so"
    else
        fail "build" "the CUDA plugin was not built (no nvcc?)"
        summary
    fi
    if ctest --test-dir "$build" --output-on-failure -R 'cuda|conformance' \
        >"$tmp/ctest.txt" 2>&1; then
        pass "CUDA suites" "$(grep -o '[0-9]*% tests passed.*' "$tmp/ctest.txt")"
    else
        fail "CUDA suites" "ctest failed: $(grep -c 'Failed' "$tmp/ctest.txt") failing"
    fi
    "$build/tests/test_cuda_kernels" --verbose >"$tmp/kernels.txt" 2>&1 || true
    if has "$tmp/kernels.txt" "running on the simulator"; then
        fail "kernels on the GPU" "test_cuda_kernels fell back to the simulator"
    else
        pass "kernels on the GPU" "$(grep -o 'Tested: .*' "$tmp/kernels.txt")"
    fi
fi
"$vgrun" --list-backends >"$tmp/list.txt" 2>&1 || true
record=$(sed -n 's/.*; built for \([^;]*\);.*/\1/p' "$tmp/list.txt" | head -n 1)
peak=$(sed -n 's/.*peak \([0-9]*\) GB\/s.*/\1/p' "$tmp/list.txt" | head -n 1)

# ---------------------------------------------------------------------------
step "3. cuda is selected with the right image"
# ---------------------------------------------------------------------------
want=$(expected_image "$cc" "$record")
run_vgrun "$tmp/cuda.y4m" --backend cuda "${job_args[@]}" 2>"$tmp/cuda.txt" || true
if has "$tmp/cuda.txt" "vgrun: using cuda (" && has "$tmp/cuda.txt" "$want"; then
    pass "cuda selected" "$(line_of "$tmp/cuda.txt" "vgrun: using cuda")"
else
    fail "cuda selected" "expected 'using cuda' with '$want' for $cc_text: $(head -c 300 "$tmp/cuda.txt")"
fi

# ---------------------------------------------------------------------------
step "4. cuda and cpu give the same bytes"
# ---------------------------------------------------------------------------
run_vgrun "$tmp/cpu.y4m" --backend cpu "${job_args[@]}" 2>"$tmp/cpu.txt" || true
if [[ -s "$tmp/cpu.y4m" ]] && cmp -s "$tmp/cuda.y4m" "$tmp/cpu.y4m"; then
    pass "cuda bytes = cpu bytes" "$frames frames, $(wc -c <"$tmp/cpu.y4m") bytes"
else
    fail "cuda bytes = cpu bytes" "outputs differ or are missing"
fi

# ---------------------------------------------------------------------------
step "5. single-architecture build: no kernel image, fall-through"
# ---------------------------------------------------------------------------
# SASS of another generation, no PTX: SASS never crosses a major version.
if [[ "$major" == 8 ]]; then arch=90; else arch=80; fi
if ((dry_run)); then
    arch=80 # the simulator's single-architecture build
    use_plugins "$build/cudasim/sm80" "$build"
    single_vgrun=$vgrun
    skip "single-arch build" "dry run: using $build/cudasim/sm80"
else
    cmake -S "$root" -B "$single" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CUDA_ARCHITECTURES="$arch-real" -DVG_BUILD_TESTS=OFF >/dev/null
    cmake --build "$single" -j "$(nproc)" --target vg_plugin_cuda \
        vg_plugin_cpu vgrun >/dev/null
    cmake --build "$single" -j "$(nproc)" --target vg_plugin_opencl \
        >/dev/null 2>&1 || true
    single_vgrun="$single/tools/vgrun/vgrun"
    use_plugins "$single/vg-plugins" "$single"
    pass "single-arch build" "-DCMAKE_CUDA_ARCHITECTURES=$arch-real"
fi
"$single_vgrun" --backend cuda,opencl,cpu "${job_args[@]}" -o "$tmp/single.y4m" \
    -v 2>"$tmp/single.txt" || true
if has "$tmp/single.txt" "skipped cuda (capability check)" &&
    has "$tmp/single.txt" "no kernel image for compute capability $cc_text" &&
    has "$tmp/single.txt" "no kernel image is available for execution on the device"; then
    pass "no kernel image (sm_$arch build)" "$(line_of "$tmp/single.txt" "skipped cuda")"
else
    fail "no kernel image (sm_$arch build)" "$(head -c 400 "$tmp/single.txt")"
fi
if has "$tmp/single.txt" "vgrun: using opencl (" || has "$tmp/single.txt" "vgrun: using cpu ("; then
    pass "fall-through" "$(line_of "$tmp/single.txt" "vgrun: using")"
else
    fail "fall-through" "neither opencl nor cpu took over"
fi
if cmp -s "$tmp/single.y4m" "$tmp/cpu.y4m"; then
    pass "fall-through bytes = cpu bytes" "$frames frames"
else
    fail "fall-through bytes = cpu bytes" "outputs differ or are missing"
fi
if ((dry_run)); then
    use_plugins "$build/cudasim/shipped" "$build"
else
    use_plugins "$build/vg-plugins" "$build"
fi

# ---------------------------------------------------------------------------
step "6. mid-job failover from the faulty plugin to cuda"
# ---------------------------------------------------------------------------
# The self-test makes 10 kernel calls; frame 0 makes 3 (no warp at zoom
# 1.0), so call 16 is frame 1's.
VG_FAULTY=kernel_fail_at=16 run_vgrun "$tmp/failover.y4m" --backend faulty,cuda \
    "${job_args[@]}" 2>"$tmp/failover.txt" || true
if has "$tmp/failover.txt" "vgrun: faulty failed at frame 1" &&
    has "$tmp/failover.txt" "vgrun: using cuda (" &&
    cmp -s "$tmp/failover.y4m" "$tmp/cpu.y4m"; then
    pass "failover faulty -> cuda" "frame 1 rendered again on cuda, bytes = cpu"
else
    fail "failover faulty -> cuda" "$(head -c 400 "$tmp/failover.txt")"
fi

# ---------------------------------------------------------------------------
step "7. benchmarks"
# ---------------------------------------------------------------------------
bench="$build/tools/vgbench/vgbench"
for backend in cuda opencl cpu; do
    if ! "$bench" --backends "$backend" --no-peers "${bench_args[@]}" \
        >"$tmp/bench-$backend.txt" 2>&1; then
        if [[ "$backend" == cuda ]]; then
            fail "vgbench cuda" "$(tail -n 1 "$tmp/bench-$backend.txt")"
        else
            skip "vgbench $backend" "$(tail -n 1 "$tmp/bench-$backend.txt")"
        fi
        continue
    fi
    cat "$tmp/bench-$backend.txt" >&2
    lines=$(grep -c "vg $backend" "$tmp/bench-$backend.txt" || true)
    if ((lines == 0)); then
        skip "vgbench $backend" "no $backend figures (not usable here)"
        continue
    fi
    # GB/s is the column before memcpy% (the cpu lines have an ISA column).
    # shellcheck disable=SC2016 # awk code: its $ are awk's
    gbs='function gbs(   i) { for (i = 2; i <= NF; i++) if ($i ~ /%$/) return $(i - 1) }'
    best=$(awk -v b="vg $backend" "$gbs"' index($0, b) {
               if (gbs() + 0 > max) { max = gbs() + 0; k = $1 } }
               END { printf "%s %.1f GB/s", k, max }' "$tmp/bench-$backend.txt")
    if [[ "$backend" == cuda && -n "$peak" ]]; then
        share=$(awk -v b="vg cuda" -v peak="$peak" "$gbs"' index($0, b) {
                    printf "%s %.1f GB/s = %.1f%%, ", $1, gbs(), 100 * gbs() / peak }' \
            "$tmp/bench-cuda.txt")
        pass "vgbench cuda" "${share%, } of $peak GB/s peak"
    else
        pass "vgbench $backend" "$lines lines, best $best"
    fi
done

summary

#!/usr/bin/env bash
# Install the Debian packages vg needs to build, run and test.
#
# Safe to run on every build: when everything is present it only checks and
# exits (no apt-get update).  Works as root on a fresh Debian machine, or as
# a user with sudo.  The CUDA toolkit is not a Debian package: it is used
# from /usr/local/cuda when present, and the CUDA plugin is skipped when not.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libyaml-dev                 # config and job files
  libcriterion-dev            # test suites
  ocl-icd-opencl-dev opencl-headers  # OpenCL plugin: ICD loader and headers
  pocl-opencl-icd             # OpenCL on the CPU, for the OpenCL tests
  libpng-dev libjpeg62-turbo-dev     # image sources in jobs
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev  # libvg_encode
  ffmpeg x264                 # tests read encoded output back; pipe examples
  man-db groff-base           # man pages: `man vgrun`, and their formatting test
  shellcheck                  # CI lints scripts/gpu-check.sh
  slurm-wlm munge             # the live Slurm test of deploy/slurm
)
# Optional peers for vgbench's side-by-side figures: VG_BENCH_PEERS=1.
if [[ "${VG_BENCH_PEERS:-0}" == 1 ]]; then
  packages+=(libyuv-dev libswscale-dev libopencv-dev ffmpeg bc)
fi
# The format check of scripts/check-tree.sh: VG_CHECK_FORMAT=1.
if [[ "${VG_CHECK_FORMAT:-0}" == 1 ]]; then
  packages+=(clang-format)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# check-install.sh BUILD_DIR: install vg from BUILD_DIR the way a packager
# and a plugin author would, and check that the installed tree stands alone.
#
#   1. A DESTDIR install lands entirely under DESTDIR; the staged tree, moved
#      to another directory, still works (nothing absolute is baked in).
#   2. From a directory outside the build tree, with an empty environment,
#      the installed vgrun finds libvg ($ORIGIN runpath) and its plugins
#      (beside libvg), never the build tree, and renders the default job to
#      the same bytes as the build tree's vgrun.  `man vgrun` works.
#   3. A program using libvg builds with find_package(vg) (vg::vg) and with
#      pkg-config, and runs.
#   4. The example plugin, taken from the installed examples, builds with
#      find_package(vg) and with pkg-config, exports only its entry point,
#      passes vg-conformance, and, first in a config's backends list, is
#      selected by vgrun and writes the same bytes as the cpu backend.
#
# Run by CTest (test install_and_example_plugin) after every build.
set -euo pipefail

build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vg-check-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
frames=0:3

fail() {
  echo "check-install: FAIL: $*" >&2
  exit 1
}
step() { echo "check-install: $*"; }

# An empty environment: no LD_LIBRARY_PATH, VG_*, or user configuration.
clean() { env -i PATH=/usr/bin:/bin HOME="$work/home" "$@"; }
mkdir -p "$work/home" "$work/run"
cd "$work/run"

step "DESTDIR install to /opt/vg"
DESTDIR="$work/stage" cmake --install "$build" --prefix /opt/vg >/dev/null
[[ "$(ls "$work/stage")" == opt && "$(ls "$work/stage/opt")" == vg ]] ||
  fail "DESTDIR install wrote outside DESTDIR/opt/vg: $(find "$work/stage" -maxdepth 3 | head)"
mv "$work/stage/opt/vg" "$work/moved"

step "install to a plain prefix"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

step "reference bytes from the build tree"
clean "$build/tools/vgrun/vgrun" --backend cpu --frames "$frames" -o "$work/reference.y4m"

for p in "$work/moved" "$prefix"; do
  step "installed vgrun in $p"
  listing=$(clean "$p/bin/vgrun" --list-backends)
  grep -qF "$p/lib/vg/plugins (install)" <<<"$listing" ||
    fail "the installed plugin directory is not searched: $listing"
  if grep -qF "$build" <<<"$listing"; then
    fail "the installed vgrun searches the build tree: $listing"
  fi
  clean "$p/bin/vgrun" -y --frames "$frames" -o "$work/run/installed.y4m"
  cmp "$work/reference.y4m" "$work/run/installed.y4m" ||
    fail "the installed vgrun wrote other bytes than the build tree's"
  clean MANPATH="$p/share/man" man -P cat vgrun | grep -q "vgrun - render a video job" ||
    fail "man vgrun does not show the installed page"
  clean MANPATH="$p/share/man" man -P cat vg-conformance | grep -q "check a vg backend plugin" ||
    fail "man vg-conformance does not show the installed page"
  clean MANPATH="$p/share/man" man -P cat vgjoin | grep -q "join the pieces of a vg job" ||
    fail "man vgjoin does not show the installed page"
  clean MANPATH="$p/share/man" man -P cat 7 vg-plugin | grep -q "vg_plugin_entry" ||
    fail "man 7 vg-plugin does not show the installed page"
  [[ -f "$p/share/vg/config.yaml" && -f "$p/share/doc/vg/docs/writing-a-plugin.md" ]] ||
    fail "config.yaml or the docs are not installed"
done

step "a program using libvg, with find_package(vg) and with pkg-config"
mkdir -p "$work/consumer"
cat >"$work/consumer/main.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "vg/config.h"
#include "vg/version.h"
int main(void)
{
    vg_config *cfg = NULL;
    if (vg_config_create_default(&cfg) != 0)
        return 1;
    vg_config_destroy(&cfg);
    printf("libvg %s\n", vg_version());
    return strcmp(vg_version(), VG_VERSION_STRING) != 0;
}
C
cat >"$work/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(consumer C)
find_package(vg 0.1 REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE vg::vg)
CMAKE
# A sanitizer build's libvg needs its programs built with the sanitizers.
sanitize=()
if readelf -d "$prefix/lib/libvg.so" | grep -q 'libasan'; then
  sanitize=('-fsanitize=address,undefined')
fi
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="${sanitize[*]}" >/dev/null
cmake --build "$work/consumer/build" >/dev/null
clean "$work/consumer/build/consumer" | grep -q "^libvg " || fail "the find_package(vg) program does not run"
read -r -a flags <<<"$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs vg)"
"${CC:-cc}" -std=c11 -Wall -Werror "${sanitize[@]}" -o "$work/consumer/pc" "$work/consumer/main.c" \
  "${flags[@]}" -Wl,-rpath,"$prefix/lib"
clean "$work/consumer/pc" | grep -q "^libvg " || fail "the pkg-config program does not run"

example="$prefix/share/vg/examples/plugin"
[[ -f "$example/CMakeLists.txt" ]] || fail "the example plugin is not installed"

step "example plugin with find_package(vg)"
# Warnings are errors here, so the example stays clean.
cmake -S "$example" -B "$work/example-cmake" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS=-Werror -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/example-cmake" >/dev/null
cmake --install "$work/example-cmake" >/dev/null
[[ -f "$prefix/lib/vg/plugins/vg_example.so" ]] ||
  fail "cmake --install did not put vg_example.so into the plugin directory"

step "example plugin with pkg-config"
mkdir -p "$work/pc-plugins"
read -r -a cflags <<<"$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags vg)"
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -Werror -fPIC -fvisibility=hidden "${cflags[@]}" -shared \
  -Wl,--no-undefined -o "$work/pc-plugins/vg_example.so" "$example"/example_*.c
plugindir=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --variable=plugindir vg)
[[ "$(cd "$plugindir" && pwd)" == "$prefix/lib/vg/plugins" ]] ||
  fail "pkg-config plugindir is $plugindir"

step "cpu bytes for the example's comparison"
clean "$prefix/bin/vgrun" --backend cpu --frames "$frames" -o "$work/cpu.y4m"

for so in "$prefix/lib/vg/plugins/vg_example.so" "$work/pc-plugins/vg_example.so"; do
  exports=$(nm -D --defined-only "$so" | awk '{print $3}')
  [[ "$exports" == vg_plugin_entry ]] || fail "$so exports more than its entry point: $exports"
  clean "$prefix/bin/vg-conformance" "$so" >"$work/conformance.txt" ||
    fail "vg-conformance rejects $so: $(cat "$work/conformance.txt")"
  printf 'backends: [example, cpu]\nplugin_dirs: [%s]\n' "$(dirname "$so")" >"$work/example.yaml"
  clean "$prefix/bin/vgrun" -y -v --config "$work/example.yaml" --frames "$frames" \
    -o "$work/example.y4m" 2>"$work/example.log" ||
    fail "vgrun with the example failed: $(cat "$work/example.log")"
  grep -q "^vgrun: using example " "$work/example.log" ||
    fail "vgrun did not select the example: $(cat "$work/example.log")"
  cmp "$work/cpu.y4m" "$work/example.y4m" ||
    fail "the example ($so) wrote other bytes than the cpu backend"
  step "  $so: conforms, selected, same bytes as cpu"
done
step "OK"

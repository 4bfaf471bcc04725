#!/usr/bin/env bash
# Structural checks that keep the tree honest; scripts/test.sh runs them and
# fails on any finding.
#
# Layers: core/src is folded by layer, and a folder may include only its own
# headers and those of the folders below it:
#     common < io < loader < backend < job < config
# (config is on top because config.yaml's `job:` section is parsed by the job
# layer.)  Internal includes are always written folder-qualified
# ("loader/loaded_plugin.h"), so the folder of every include is visible.
#
# The slot list: the plugin descriptor's slots are listed once, in
# VG_PLUGIN_SLOTS (core/include/vg/plugin.h); a file using vg_plugin that
# spells out three or more of them as designated initialisers, or a plugin
# header that declares three or more of them by hand, is a second copy.
#
# Links: every relative link in a tracked Markdown file (README.md, docs/...)
# names a file or directory that exists, and a #fragment into a Markdown file
# names one of its headings.
#
# Format (VG_CHECK_FORMAT=1, which scripts/test.sh and so CI set): every
# tracked C source and header follows .clang-format (clang-format
# --dry-run --Werror).
#
# VG_CHECK_ROOT checks another tree (the tests use it on small broken trees).
set -euo pipefail
root=${VG_CHECK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$root"

layers=(common io loader backend job config)
rank_of() {
  local i
  for i in "${!layers[@]}"; do
    [[ "${layers[$i]}" == "$1" ]] && { echo "$i"; return; }
  done
  echo -1
}

failures=0
fail() {
  echo "check-tree: $*" >&2
  failures=$((failures + 1))
}

for dir in core/src/*/; do
  folder=$(basename "$dir")
  [[ $(rank_of "$folder") -ge 0 ]] || fail "core/src/$folder is not a known layer (${layers[*]})"
done

while IFS= read -r file; do
  folder=$(basename "$(dirname "$file")")
  own=$(rank_of "$folder")
  while IFS=: read -r line header; do
    case "$header" in
      vg/* | vg_reference.h | vg_kernel_cases.h) continue ;; # public headers, the reference kernels and their cases
    esac
    target=${header%%/*}
    if [[ "$target" == "$header" ]]; then
      fail "$file:$line: include \"$header\" must name its folder"
      continue
    fi
    rank=$(rank_of "$target")
    if ((rank < 0)); then
      fail "$file:$line: include \"$header\" is not under a core/src layer"
    elif ((rank > own)); then
      fail "$file:$line: $folder/ includes \"$header\" from a higher layer ($target/)"
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" |
    sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/')
done < <(find core/src -name '*.[ch]' | sort)

# Internal headers are for libvg and its white-box tests only.
if grep -rnE '#[[:space:]]*include[[:space:]]*"(common|io|loader|backend|job|config)/' plugins tools 2>/dev/null; then
  fail "plugins/ and tools/ include core/src internals (use the public vg/ headers)"
fi

# The files of the tree: tracked ones when the root is a git checkout, else
# every file outside build directories.
tree_files() {
  if [[ "$(git rev-parse --show-toplevel 2>/dev/null)" == "$PWD" ]]; then
    git ls-files -- "$@"
  else
    local patterns=() p
    for p in "$@"; do patterns+=(-o -name "$p"); done
    find . -type f \( "${patterns[@]:1}" \) -not -path './build*' | sed 's|^\./||' | sort
  fi
}

# --- the slot list is written once ---------------------------------------
slot_table=core/include/vg/plugin.h
if [[ -f "$slot_table" ]]; then
  slots=$(sed -n 's/^[[:space:]]*\(SLOT\|KERNEL\)(x, \([a-z0-9_]*\),.*/\2/p' "$slot_table" | paste -sd'|' -)
  [[ -n "$slots" ]] || fail "$slot_table: no SLOT/KERNEL rows found in VG_PLUGIN_SLOTS"
  while IFS= read -r file; do
    [[ "$file" == "$slot_table" ]] && continue
    # Only descriptor code: a table of other functions (the CPU backend's
    # per-ISA DSP table) may share the kernels' names.
    if grep -qE 'vg_plugin\b' "$file"; then
      n=$(grep -cE "^[[:space:]]*\.($slots)[[:space:]]*=" "$file" || true)
      ((n < 3)) || fail "$file: assigns $n descriptor slots by hand; use VG_PLUGIN_SLOT_INITIALIZERS (vg/plugin.h)"
    fi
    case "$file" in
      plugins/*.h | tests/plugins/*.h)
        n=$(grep -cE "^[[:space:]]*(int|void|const char \*)[[:space:]]*[a-z0-9_]*_($slots)\(" "$file" || true)
        ((n < 3)) || fail "$file: declares $n slots by hand; use VG_PLUGIN_DECLARE_SLOTS (vg/plugin.h)"
        ;;
    esac
  done < <(tree_files '*.c' '*.h' '*.cu')
fi

# --- relative links in Markdown resolve -----------------------------------
# GitHub's anchor for a heading: lower case, punctuation dropped, spaces to -.
heading_anchors() {
  awk '/^[[:space:]]*```/ { code = !code; next } !code && /^#+[[:space:]]/' "$1" |
    sed -e 's/^#*[[:space:]]*//' -e 's/[[:space:]]*$//' |
    tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}
# LINE:TARGET for every inline link of a Markdown file.  Code blocks and
# code spans are not links: they are blanked first, keeping line numbers.
# shellcheck disable=SC2016 # the backquotes are Markdown, not shell
markdown_links() {
  awk '/^[[:space:]]*```/ { code = !code; print ""; next } { print code ? "" : $0 }' "$1" |
    sed 's/`[^`]*`//g' | grep -noE '\]\([^)[:space:]]+\)' | sed 's/:\](\(.*\))$/:\1/'
}
while IFS= read -r md; do
  dir=$(dirname "$md")
  while IFS=: read -r line link; do
    case "$link" in
      http://* | https://* | mailto:* | ftp://*) continue ;;
    esac
    path=${link%%#*}
    fragment=
    [[ "$link" == *"#"* ]] && fragment=${link#*#}
    target=$md
    if [[ -n "$path" ]]; then
      target=$dir/$path
      if [[ ! -e "$target" ]]; then
        fail "$md:$line: link to $link: $path does not exist"
        continue
      fi
    fi
    if [[ -n "$fragment" && "$target" == *.md && -f "$target" ]]; then
      heading_anchors "$target" | grep -qxF -- "$fragment" ||
        fail "$md:$line: link to $link: no heading '#$fragment' in $target"
    fi
  done < <(markdown_links "$md")
done < <(tree_files '*.md')

# --- every C file follows .clang-format (VG_CHECK_FORMAT=1) ---------------
if [[ "${VG_CHECK_FORMAT:-0}" == 1 ]]; then
  if ! command -v clang-format >/dev/null; then
    fail "VG_CHECK_FORMAT=1 but clang-format is not installed (scripts/install-deps.sh installs it when VG_CHECK_FORMAT=1)"
  else
    while IFS= read -r file; do
      clang-format --dry-run --Werror "$file" >/dev/null 2>&1 ||
        fail "$file: does not follow .clang-format (run clang-format -i $file)"
    done < <(tree_files '*.c' '*.h')
  fi
fi

if ((failures > 0)); then
  echo "check-tree: $failures problem(s)" >&2
  exit 1
fi
echo "check-tree: ok"

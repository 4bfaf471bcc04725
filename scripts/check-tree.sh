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
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
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
      vg/* | vg_reference.h) continue ;; # public headers and the reference kernels
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

if ((failures > 0)); then
  echo "check-tree: $failures problem(s)" >&2
  exit 1
fi
echo "check-tree: ok"

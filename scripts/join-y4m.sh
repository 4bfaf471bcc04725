#!/usr/bin/env bash
# Join Y4M pieces rendered with `vgrun --frames A:B` into one stream.
#
#   scripts/join-y4m.sh OUT.y4m PIECE.y4m...     (OUT may be - for stdout)
#
# Pieces must be given in frame order.  The first piece keeps its header;
# every later piece must have the very same header line (same job, same
# size, rate and range), which is dropped, and its frames are appended.
# Consecutive ranges joined this way are byte-identical to rendering the
# whole job at once (docs/distributed.md).  A file OUT is written under a
# temporary name and renamed when complete.
set -euo pipefail
export LC_ALL=C

if (($# < 2)); then
  echo "usage: $0 OUT.y4m PIECE.y4m..." >&2
  exit 2
fi
out=$1
shift

header=$(head -n 1 -- "$1")
if [[ $header != YUV4MPEG2\ * ]]; then
  echo "join-y4m: $1: not a Y4M file" >&2
  exit 1
fi

emit() {
  cat -- "$1"
  shift
  local piece line
  for piece in "$@"; do
    line=$(head -n 1 -- "$piece")
    if [[ $line != "$header" ]]; then
      echo "join-y4m: $piece: header '$line' differs from '$header'" >&2
      return 1
    fi
    tail -c +$((${#line} + 2)) -- "$piece" # skip the header and its newline
  done
}

if [[ $out == - ]]; then
  emit "$@"
  exit
fi
tmp=$(mktemp "$out.partial-XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
emit "$@" >"$tmp"
chmod 0644 -- "$tmp"
mv -- "$tmp" "$out"
trap - EXIT

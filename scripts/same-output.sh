#!/usr/bin/env bash
# Compare the CLI's output at another commit with the working tree's, byte for byte: for a
# change that must not change any result (a refactor, a speed-up).
#   scripts/same-output.sh [REF] [SIZES]     REF default HEAD, SIZES default "1000 10000"
# Corpora: test-data/seeds, ../shared/realdev/docs when it exists, and the bench corpora
# (bench/corpus.ts, seed 1) as a directory of .txt files and as JSONL. Outputs: --format json,
# --format jsonl, --diff --format json, --boilerplate auto --format json, and --out's
# mapping.jsonl plus every file written. Prints one line per comparison; exits 1 on a difference.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-HEAD}
sizes=${2:-"1000 10000"}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git worktree add --detach "$work/old" "$ref" >/dev/null 2>&1
ln -s "$PWD/node_modules" "$work/old/node_modules"
(cd "$work/old" && npx tsc -p tsconfig.json)
npx tsc -p tsconfig.json

mkdir -p "$work/corpora"
corpora=("seeds:test-data/seeds")
[ -d ../shared/realdev/docs ] && corpora+=("realdev:../shared/realdev/docs")
for size in $sizes; do
  node --import tsx -e "
    import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
    import { generateCorpus } from './bench/corpus.ts';
    mkdirSync('$work/corpora/corpus-$size', { recursive: true });
    generateCorpus({ size: $size, seed: 1 }, (d) => {
      writeFileSync('$work/corpora/corpus-$size/' + d.id + '.txt', d.text);
      appendFileSync('$work/corpora/corpus-$size.jsonl', JSON.stringify({ id: d.id, text: d.text }) + '\\n');
    });
  "
  corpora+=("bench-$size-dir:$work/corpora/corpus-$size" "bench-$size-jsonl:$work/corpora/corpus-$size.jsonl")
done

status=0
run() { # name, flags...
  local name=$1; shift
  for side in old new; do
    local bin=bin/news-dedupe.js
    [ "$side" = old ] && bin="$work/old/bin/news-dedupe.js"
    node "$bin" --no-progress "$@" >"$work/$side.$name" 2>"$work/$side.$name.err" || echo "exit $?" >>"$work/$side.$name"
  done
  if cmp -s "$work/old.$name" "$work/new.$name" && cmp -s "$work/old.$name.err" "$work/new.$name.err"; then
    echo "same       $name ($(wc -c <"$work/new.$name") bytes, sha256 $(sha256sum <"$work/new.$name" | cut -c1-12))"
  else
    echo "DIFFERENT  $name"; status=1
  fi
}
for entry in "${corpora[@]}"; do
  name=${entry%%:*}; path=${entry#*:}
  run "$name.json" "$path" --format json
  run "$name.jsonl" "$path" --format jsonl
  run "$name.diff.json" "$path" --diff --format json
  run "$name.auto.json" "$path" --boilerplate auto --format json
  for side in old new; do
    bin=bin/news-dedupe.js; [ "$side" = old ] && bin="$work/old/bin/news-dedupe.js"
    node "$bin" --no-progress "$path" --out "$work/out-$side-$name" >/dev/null 2>&1 || true
  done
  if diff -r "$work/out-old-$name" "$work/out-new-$name" >/dev/null; then
    echo "same       $name --out ($(find "$work/out-new-$name" -type f | wc -l) files, mapping sha256 $(sha256sum <"$work/out-new-$name/mapping.jsonl" | cut -c1-12))"
  else
    echo "DIFFERENT  $name --out"; status=1
  fi
  rm -rf "$work/out-old-$name" "$work/out-new-$name"
done
exit $status

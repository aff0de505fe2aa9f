#!/usr/bin/env bash
# Runs fuzz targets for SECONDS each (default 600), at most JOBS (default 2) at a time, at the
# lowest CPU priority. New corpus entries go to $FUZZ_WORK/corpus/<target> (default
# /tmp/nuages-fuzz), never into the committed seeds; logs to $FUZZ_WORK/logs/<target>.log;
# crashes to fuzz/artifacts/<target>/.
#   fuzz/scripts/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then mapfile -t TARGETS < <(cargo +nightly fuzz list); fi
WORK=${FUZZ_WORK:-/tmp/nuages-fuzz}
JOBS=${JOBS:-2}
# libsqlite3-sys's bundled SQLite trips ASan's ODR check (a global defined twice in one
# binary); it is not reachable from the targets.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}
mkdir -p "$WORK/logs"
cargo +nightly fuzz build
for t in "${TARGETS[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  mkdir -p "$WORK/corpus/$t"
  dict=()
  [ -f "dict/$t.dict" ] && dict=("-dict=dict/$t.dict")
  echo "== $t: ${SECONDS_EACH}s, log $WORK/logs/$t.log"
  nice -n 19 cargo +nightly fuzz run "$t" "$WORK/corpus/$t" "corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
    >"$WORK/logs/$t.log" 2>&1 &
done
wait
for t in "${TARGETS[@]}"; do
  echo "$t: $(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$WORK/logs/$t.log" | tail -n 1)"
  grep -E 'stat::number_of_executed_units|SUMMARY|panicked' "$WORK/logs/$t.log" || true
done

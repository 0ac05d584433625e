#!/usr/bin/env bash
# Builds the libFuzzer target for goro::http's request reader with clang++
# (ASan + UBSan + libFuzzer) and runs it for a while.
#   tests/fuzz/run.sh [seconds=25] [build-dir=build-fuzz]
# goro itself needs g++ (std::expected); the fuzzed layer (src/http/
# parser_core.cpp) has no goro dependency, so clang++ 14 can build it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
secs=${1:-25}
out=${2:-build-fuzz}
CXX=${FUZZ_CXX:-clang++}
if ! command -v "$CXX" >/dev/null; then
  echo "fuzz: $CXX not found; skipping (install clang and libclang-rt-dev)" >&2
  exit 0
fi
mkdir -p "$out/corpus"
"$CXX" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I src tests/fuzz/request_reader_fuzz.cpp src/http/parser_core.cpp -lhttp_parser \
  -o "$out/fuzz_request_reader"
cp -n tests/fuzz/corpus/request_reader/* "$out/corpus/" 2>/dev/null || true
echo "fuzz: running fuzz_request_reader for ${secs}s"
"$out/fuzz_request_reader" -max_total_time="$secs" -max_len=4096 -timeout=10 \
  -print_final_stats=1 "$out/corpus" 2>&1 | tail -n 25

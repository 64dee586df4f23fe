#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script. Uses the standard variables:
#   $CC $CFLAGS $CXX $CXXFLAGS
#                        compilers and flags (sanitizer + -fsanitize=fuzzer-no-link;
#                        C only for the plug-in ABI's test plug-ins, not built here)
#   $LIB_FUZZING_ENGINE  what the fuzzers link with (e.g. -fsanitize=fuzzer)
#   $OUT                 where fuzzers, .options, .dict and <fuzzer>_seed_corpus.zip go
#   $SRC, $WORK          the checkout's parent (optional) and a scratch directory
# attack_fuzzer is left out: it runs f+1 faulty replicas and is expected to crash.
#
# Local test (no Docker), from the repository root:
#   CC=clang-14 CXX=clang++-14 CXXFLAGS="-O1 -g -fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/cflite-out WORK=/tmp/cflite-work .clusterfuzzlite/build.sh
# The checkout: next to this script (.clusterfuzzlite/), or the working
# directory (the Dockerfile copies build.sh to $SRC and works in $SRC/pbftsim).
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -f "$src/fuzz/CMakeLists.txt" ] || src=$PWD
[ -f "$src/fuzz/CMakeLists.txt" ] || src=$SRC/pbftsim
work=${WORK:-/tmp}/pbftsim-cflite
mkdir -p "$work" "$OUT"

# Dependencies the Docker image builds from source go to $WORK/deps; fmt is
# compiled here with $CXX and $CXXFLAGS (OSS-Fuzz builds against libc++, so a
# prebuilt libstdc++ fmt would not link).
prefix_path=""
if [ -d "${SRC:-/nonexistent}/fmt" ]; then
  cmake -S "$SRC/fmt" -B "$work/fmt" -G Ninja -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
    -DFMT_DOC=OFF -DFMT_TEST=OFF -DCMAKE_INSTALL_PREFIX="$work/deps" >/dev/null
  cmake --build "$work/fmt" --target install >/dev/null
  prefix_path="$work/deps;/usr/local"
fi

fuzzers=(schedule replica trace wire)
cmake -S "$src" -B "$work/build" -G Ninja \
  -DCMAKE_BUILD_TYPE= \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${CFLAGS:-}" \
  -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_PREFIX_PATH="$prefix_path" \
  -DPBFTSIM_BUILD_TESTS=OFF -DPBFTSIM_FUZZ=OFF -DPBFTSIM_SANITIZE=OFF \
  -DPBFTSIM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
targets=()
for f in "${fuzzers[@]}"; do targets+=("${f}_fuzzer"); done
cmake --build "$work/build" --target "${targets[@]}"

for f in "${fuzzers[@]}"; do
  cp "$work/build/fuzz/${f}_fuzzer" "$OUT/"
  cp "$src/fuzz/${f}_fuzzer.options" "$OUT/"
  [ -f "$src/fuzz/${f}_fuzzer.dict" ] && cp "$src/fuzz/${f}_fuzzer.dict" "$OUT/"
  seeds=("$src/corpus/$f"/*)
  # Stored counterexample traces are trace_fuzzer inputs too.
  [ "$f" = trace ] && seeds+=("$src/corpus/regressions"/*.jsonl)
  rm -f "$OUT/${f}_fuzzer_seed_corpus.zip"
  zip -q -j "$OUT/${f}_fuzzer_seed_corpus.zip" "${seeds[@]}"
done
echo "built ${targets[*]} with their options, dictionaries and seed corpora in $OUT"

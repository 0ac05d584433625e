# bench/compare's build step: goro's bench programs and Boost.Fiber twins in
# one CMake build dir, the Go twins with `go build` (offline, caches inside
# the build dir so CI's root without a HOME works).
# shellcheck shell=bash

gobin=""        # the Go twins' binary, once built
have_fiber=0    # the Boost.Fiber twins were built

build_all() {
  local jobs=2
  if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
    echo "==> compare: configure $build_dir (Release)"
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DGORO_BUILD_TESTS=OFF -DGORO_BUILD_FIBER_BENCH=ON >"$out/configure.log" ||
      { cat "$out/configure.log"; return 1; }
  else
    echo "==> compare: reconfigure $build_dir (+ Boost.Fiber twins)"
    cmake -S "$root" -B "$build_dir" -DGORO_BUILD_BENCH=ON -DGORO_BUILD_FIBER_BENCH=ON \
      >"$out/configure.log" || { cat "$out/configure.log"; return 1; }
  fi
  local targets=() src stem
  for src in "$root"/bench/*.cpp; do
    stem=$(basename "$src" .cpp)
    targets+=("bench_$stem")
  done
  if grep -q "fiber_spawn" "$build_dir/build.ninja"; then
    have_fiber=1
    for src in "$root"/bench/fiber/*.cpp; do
      targets+=("fiber_$(basename "$src" .cpp)")
    done
  else
    echo "compare: Boost.Fiber not found; no fiber twins" >&2
  fi
  [[ -f "$root/examples/hello/main.cpp" ]] && targets+=(hello)
  echo "==> compare: build ${#targets[@]} targets"
  cmake --build "$build_dir" -j "$jobs" --target "${targets[@]}" >"$out/build.log" 2>&1 ||
    { tail -50 "$out/build.log"; return 1; }

  if command -v go >/dev/null; then
    echo "==> compare: go build bench/go ($(go version | awk '{print $3}'))"
    mkdir -p "$build_dir/bench/go"
    (
      cd "$root/bench/go"
      export GOCACHE="${GOCACHE:-$build_dir/go-cache}" GOPATH="${GOPATH:-$build_dir/go-path}"
      export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
      [[ -n ${HOME:-} ]] || export HOME="$build_dir"
      go build -o "$build_dir/bench/go/bench-go" .
    ) || return 1
    gobin="$build_dir/bench/go/bench-go"
  else
    echo "compare: no go toolchain; no Go twins" >&2
  fi
}

# bench/compare's runner: one run of one implementation of one case, its
# output checked line by line and appended to $results as
#   case <TAB> impl <TAB> metric <TAB> round <TAB> value
# shellcheck shell=bash

json_re='^\{"bench":"([a-z0-9-]+)","impl":"(goro|go|fiber)","procs":([0-9]+),"n":([0-9]+),"metric":"([a-z0-9_]+)","value":(-?[0-9]+(\.[0-9]+)?)\}$'

# unavailable <impl> <cmd>: prints why the command cannot run (and succeeds),
# or fails when it can.
unavailable() {
  local impl=$1 cmd=$2
  case $cmd in
    -) echo "no $impl twin of this workload" ;;
    bench_*) [[ -x "$build_dir/bench/$cmd" ]] && return 1
      echo "no bench/$cmd program yet" ;;
    fiber_*) [[ -x "$build_dir/bench/fiber/$cmd" ]] && return 1
      echo "Boost.Fiber twin not built" ;;
    go:*)
      if [[ -z $gobin ]]; then
        echo "no Go toolchain"
      elif ! grep -qs "\"${cmd#go:}\":" "$root"/bench/go/*.go; then
        echo "no Go subcommand ${cmd#go:} yet"
      else
        return 1
      fi ;;
    tcp:*)
      if [[ -z $gobin ]]; then
        echo "no Go toolchain (the echo client is Go's)"
      elif [[ $impl = goro && ! -x "$build_dir/bench/bench_tcp_echo" ]]; then
        echo "no bench/bench_tcp_echo server"
      else
        return 1
      fi ;;
    http:*)
      if ! command -v wrk >/dev/null; then
        echo "no wrk"
      elif [[ $impl = goro && ! -x "$build_dir/examples/hello" ]]; then
        echo "no examples/hello server yet"
      elif [[ $impl = go && -z $gobin ]]; then
        echo "no Go toolchain"
      else
        return 1
      fi ;;
    *) echo "unknown command $cmd" ;;
  esac
  return 0
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_server <what> <port> <env...> -- <argv...>: starts a server in the
# background and waits until it listens on port; sets server_pid.
start_server() {
  local what=$1 port=$2 i
  shift 2
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  if port_open "$port"; then
    echo "compare: port $port is already in use" >&2
    return 1
  fi
  env "${envs[@]}" "$@" >/dev/null 2>&1 &
  server_pid=$!
  for ((i = 0; i < 100; i++)); do
    port_open "$port" && return 0
    sleep 0.05
  done
  stop_server
  echo "compare: the $what did not listen on port $port" >&2
  return 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null || true
}

# run_http <impl> <procs> <seconds>: wrk -t1 -c50 against the impl's hello
# server on port GORO_BENCH_PORT (default 18080); prints the JSON lines.
run_http() {
  local impl=$1 procs=$2 secs=$3 port=${GORO_BENCH_PORT:-18080} rps
  local server=("$gobin" http-hello-server)
  [[ $impl = goro ]] && server=("$build_dir/examples/hello" -port "$port")
  start_server "$impl hello server" "$port" GORO_MAXPROCS="$procs" GOMAXPROCS="$procs" \
    GORO_BENCH_PORT="$port" PORT="$port" -- "${server[@]}" || return 1
  local report p99
  report=$(wrk -t1 -c50 -d"${secs}s" --latency "http://127.0.0.1:$port/")
  stop_server
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")
  # The 99% line of --latency's distribution, e.g. "99%    5.12ms", in µs.
  p99=$(awk '$1 == "99%" {v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : -1;
        if (f > 0) print v * f}' <<<"$report")
  [[ -n $rps ]] || { echo "compare: wrk printed no Requests/sec" >&2; return 1; }
  [[ -n $p99 ]] || { echo "compare: wrk printed no 99% latency" >&2; return 1; }
  printf '{"bench":"http-hello","impl":"%s","procs":%d,"n":%d,"metric":"requests_per_s","value":%.1f}\n' \
    "$impl" "$procs" "$secs" "$rps"
  printf '{"bench":"http-hello","impl":"%s","procs":%d,"n":%d,"metric":"latency_p99_us","value":%.1f}\n' \
    "$impl" "$procs" "$secs" "$p99"
}

# run_tcp <impl> <procs> <n> <time limit>: the Go echo client (50
# connections, n round trips) against the impl's echo server on port GORO_BENCH_PORT (default
# 18081); the client prints the JSON lines, labelled with impl.
run_tcp() {
  local impl=$1 procs=$2 n=$3 limit=$4 port=${GORO_BENCH_PORT:-18081} rc=0
  local server=("$gobin" tcp-echo-server)
  [[ $impl = goro ]] && server=("$build_dir/bench/bench_tcp_echo")
  start_server "$impl echo server" "$port" GORO_MAXPROCS="$procs" GOMAXPROCS="$procs" \
    GORO_BENCH_PORT="$port" -- "${server[@]}" || return 1
  timeout "$limit" env GOMAXPROCS="$procs" GORO_BENCH_PORT="$port" GORO_BENCH_N="$n" GORO_BENCH_IMPL="$impl" \
    "$gobin" tcp-echo-client || rc=$?
  stop_server
  return $rc
}

# run_case <case> <bench> <impl> <procs> <n> <env> <metrics> <cmd> <round>
run_case() {
  local case=$1 bench=$2 impl=$3 procs=$4 n=$5 env=$6 metrics=$7 cmd=$8 round=$9
  local stdout="$out/last.out" stderr="$out/last.err" rc=0 limit=600
  ((smoke)) && limit=60
  local envs=(GORO_MAXPROCS="$procs" GOMAXPROCS="$procs")
  [[ $n != - ]] && envs+=(GORO_BENCH_N="$n")
  [[ -n $env ]] && envs+=("$env")
  local argv=()
  case $cmd in
    bench_*) argv=("$build_dir/bench/$cmd") ;;
    fiber_*) argv=("$build_dir/bench/fiber/$cmd") ;;
    go:*) argv=("$gobin" "${cmd#go:}") ;;
  esac
  if [[ $cmd = http:* ]]; then
    run_http "$impl" "$procs" "$n" >"$stdout" 2>"$stderr" || rc=$?
  elif [[ $cmd = tcp:* ]]; then
    run_tcp "$impl" "$procs" "$n" "$limit" >"$stdout" 2>"$stderr" || rc=$?
  else
    timeout "$limit" env "${envs[@]}" "${argv[@]}" >"$stdout" 2>"$stderr" || rc=$?
  fi
  if ((rc != 0)); then
    local note=""
    ((rc == 124)) && note=" (timed out after ${limit}s)"
    echo "compare: $case/$impl round $round: exit status $rc$note" >&2
    tail -20 "$stderr" >&2
    return 1
  fi
  local line bad=0 seen="," summary=""
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ ! $line =~ $json_re ]]; then
      echo "compare: $case/$impl: malformed line: $line" >&2
      bad=1
      continue
    fi
    local b=${BASH_REMATCH[1]} i=${BASH_REMATCH[2]} p=${BASH_REMATCH[3]} got_n=${BASH_REMATCH[4]}
    local m=${BASH_REMATCH[5]} v=${BASH_REMATCH[6]}
    if [[ $b != "$bench" || $i != "$impl" || $p != "$procs" ]] ||
      [[ $n != - && $metrics != '*' && $cmd != http:* && $got_n != "$n" ]]; then
      echo "compare: $case/$impl: expected bench $bench impl $impl procs $procs n $n: $line" >&2
      bad=1
      continue
    fi
    seen+="$m,"
    summary+=" $m=$v"
    printf '%s\t%s\t%s\t%s\t%s\n' "$case" "$impl" "$m" "$round" "$v" >>"$results"
    echo "$line" >>"$out/raw.jsonl"
  done <"$stdout"
  if [[ $seen = , ]]; then
    echo "compare: $case/$impl: no result line" >&2
    bad=1
  elif [[ $metrics != '*' ]]; then
    local m
    for m in ${metrics//,/ }; do
      [[ $seen = *",$m,"* ]] || { echo "compare: $case/$impl: missing metric $m" >&2; bad=1; }
    done
  fi
  printf '  %-13s %-5s round %d:%s\n' "$case" "$impl" "$round" "$summary"
  return $bad
}

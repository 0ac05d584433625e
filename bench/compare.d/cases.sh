# The workloads of bench/compare, one a line:
#   case|bench|procs|n|smoke n|extra env|metrics|goro|go|fiber
# procs: a number or "all" (the machine's CPUs), set as GORO_MAXPROCS and
# GOMAXPROCS; n: GORO_BENCH_N ("-": the program's own default, not checked);
# metrics: the metric names every run must print ("*": at least one line).
# Commands: bench_<stem> is <build>/bench/bench_<stem>, go:<name> the Go
# twin's subcommand, fiber_<stem> <build>/bench/fiber/fiber_<stem>,
# http:<impl> a wrk run against that implementation's hello server,
# tcp:<impl> the Go echo client against that implementation's echo server,
# "-" none.
# shellcheck shell=bash

cases() {
  cat <<'TABLE'
spawn|spawn|all|1000000|1000||ns_per_op|bench_spawn|go:spawn|fiber_spawn
skynet|skynet|all|1000000|1000||ms|bench_skynet|go:skynet|fiber_skynet
pingpong-p1|pingpong|1|1000000|1000||ns_per_op|bench_pingpong|go:pingpong|fiber_pingpong
pingpong-p2|pingpong|2|1000000|1000||ns_per_op|bench_pingpong|go:pingpong|fiber_pingpong
chan-cap0|chan-throughput-cap0|all|10000000|10000|GORO_BENCH_CAP=0|msgs_per_s|bench_chan_throughput|go:chan-throughput|fiber_chan_throughput
chan-cap1024|chan-throughput-cap1024|all|10000000|10000|GORO_BENCH_CAP=1024|msgs_per_s|bench_chan_throughput|go:chan-throughput|fiber_chan_throughput
select|select|all|1000000|1000||ns_per_op|bench_select|go:select|-
sieve|sieve|all|3000|100||ms|bench_sieve|go:sieve|fiber_sieve
timers|timers|all|100000|1000||wall_ms,oversleep_p50_us,oversleep_p99_us|bench_timers|go:timers|fiber_timers
memory|memory|all|1000000|1000||bytes_per_goroutine|bench_memory|go:memory|fiber_memory
tcp-echo|tcp-echo|all|200000|1000||round_trips_per_s,latency_p99_us|tcp:goro|tcp:go|-
http-hello|http-hello|all|10|1||requests_per_s,latency_p99_us|http:goro|http:go|-
TABLE
}

# The issue-8 target of a case's metric against Go, as "go <factor>" (goro
# at least <factor> times as fast as Go: time ratio <= 1/factor, rate ratio
# >= factor) or "abs <op> <limit>" (goro's own value), or nothing.
# (Kept in the same order as the table; read by stats.awk through targets.)
targets() {
  cat <<'TABLE'
spawn|ns_per_op|go 2
skynet|ms|go 2
pingpong-p1|ns_per_op|go 4
pingpong-p2|ns_per_op|go 4
chan-cap0|msgs_per_s|go 2
chan-cap1024|msgs_per_s|go 2
select|ns_per_op|go 2
sieve|ms|go 2
timers|wall_ms|abs <= 150
timers|oversleep_p99_us|abs <= 1000
memory|bytes_per_goroutine|abs <= 4608
tcp-echo|round_trips_per_s|go 1.5
http-hello|requests_per_s|go 2
TABLE
}

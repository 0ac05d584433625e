package main

import (
	"os"
	"time"
)

func pingpong() {
	n := envLong("GORO_BENCH_N", 1000000)
	ping, pong := make(chan int), make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			pong <- (<-ping) + 1
		}
	}()
	t0 := time.Now()
	v := 0
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
	}
	if v != n {
		os.Exit(1)
	}
	report("pingpong", n, "ns_per_op", float64(time.Since(t0).Nanoseconds())/float64(n))
}

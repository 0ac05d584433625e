package main

import (
	"sort"
	"sync"
	"time"
)

// delayMicros is bench/sleep_delay.hpp's delay_us: splitmix64(i) % 100001.
func delayMicros(i int) int {
	z := uint64(i) + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int(z % 100001)
}

// timers: n goroutines sleep 0-100 ms each; wall ms and oversleep p50/p99.
func timers() {
	n := envLong("GORO_BENCH_N", 100000)
	over := make([]float64, n)
	var wg sync.WaitGroup
	t0 := time.Now()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			want := time.Duration(delayMicros(i)) * time.Microsecond
			start := time.Now()
			time.Sleep(want)
			over[i] = float64((time.Since(start) - want).Nanoseconds()) / 1e3
			wg.Done()
		}(i)
	}
	wg.Wait()
	wall := time.Since(t0)
	sort.Float64s(over)
	if over[0] < 0 {
		fail("timers: a sleep returned %.1f us early", -over[0])
	}
	report("timers", n, "wall_ms", float64(wall.Nanoseconds())/1e6)
	report("timers", n, "oversleep_p50_us", over[n/2])
	report("timers", n, "oversleep_p99_us", over[n*99/100])
}

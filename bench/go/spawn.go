package main

import (
	"sync"
	"sync/atomic"
	"time"
)

// spawn: n goroutines, each bumping a counter and calling Done on one
// WaitGroup; ns per goroutine.
func spawn() {
	n := envLong("GORO_BENCH_N", 1000000)
	var ran int64
	var wg sync.WaitGroup
	t0 := time.Now()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			atomic.AddInt64(&ran, 1)
			wg.Done()
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	if atomic.LoadInt64(&ran) != int64(n) {
		fail("spawn: %d of %d goroutines ran", ran, n)
	}
	report("spawn", n, "ns_per_op", float64(elapsed.Nanoseconds())/float64(n))
}

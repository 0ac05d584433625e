package main

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

func rssBytes() int64 {
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		fail("memory: %v", err)
	}
	defer f.Close()
	var total, resident int64
	if _, err := fmt.Fscan(f, &total, &resident); err != nil {
		fail("memory: %v", err)
	}
	return resident * int64(os.Getpagesize())
}

// memory: RSS growth per goroutine parked in a long sleep, at n goroutines.
func memory() {
	n := envLong("GORO_BENCH_N", 1000000)
	var parked int64
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	before := rssBytes()
	for i := 0; i < n; i++ {
		go func() {
			atomic.AddInt64(&parked, 1)
			time.Sleep(time.Hour)
		}()
	}
	for atomic.LoadInt64(&parked) < int64(n) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	after := rssBytes()
	report("memory", n, "bytes_per_goroutine", float64(after-before)/float64(n))
	os.Exit(0)
}

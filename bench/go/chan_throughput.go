package main

import (
	"os"
	"strconv"
	"sync"
	"time"
)

func chanThroughput() {
	n := envLong("GORO_BENCH_N", 10000000)
	capacity, _ := strconv.Atoi(os.Getenv("GORO_BENCH_CAP"))
	ch := make(chan int, capacity)
	var sent, received sync.WaitGroup
	var mu sync.Mutex
	sum := 0
	t0 := time.Now()
	for p := 0; p < 4; p++ {
		sent.Add(1)
		go func(p int) {
			for i := p; i < n; i += 4 {
				ch <- i
			}
			sent.Done()
		}(p)
	}
	for c := 0; c < 4; c++ {
		received.Add(1)
		go func() {
			local := 0
			for v := range ch {
				local += v
			}
			mu.Lock()
			sum += local
			mu.Unlock()
			received.Done()
		}()
	}
	sent.Wait()
	close(ch)
	received.Wait()
	seconds := time.Since(t0).Seconds()
	if sum != n*(n-1)/2 {
		os.Exit(1)
	}
	name := "chan-throughput-cap0"
	if capacity != 0 {
		name = "chan-throughput-cap1024"
	}
	report(name, n, "msgs_per_s", float64(n)/seconds)
}

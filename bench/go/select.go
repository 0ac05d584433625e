package main

import (
	"os"
	"time"
)

func selectBench() {
	n := envLong("GORO_BENCH_N", 1000000)
	var chans [4]chan int
	for i := range chans {
		chans[i] = make(chan int)
	}
	for p := 0; p < 4; p++ {
		go func(c chan int, p int) {
			for i := p; i < n; i += 4 {
				c <- i
			}
		}(chans[p], p)
	}
	t0 := time.Now()
	sum := 0
	for i := 0; i < n; i++ {
		select {
		case v := <-chans[0]:
			sum += v
		case v := <-chans[1]:
			sum += v
		case v := <-chans[2]:
			sum += v
		case v := <-chans[3]:
			sum += v
		}
	}
	if sum != n*(n-1)/2 {
		os.Exit(1)
	}
	report("select", n, "ns_per_op", float64(time.Since(t0).Nanoseconds())/float64(n))
}

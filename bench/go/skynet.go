package main

import "time"

func skynet(out chan<- int, num, size int) {
	if size == 1 {
		out <- num
		return
	}
	children := make(chan int)
	step := size / 10
	for i := 0; i < 10; i++ {
		go skynet(children, num+i*step, step)
	}
	sum := 0
	for i := 0; i < 10; i++ {
		sum += <-children
	}
	out <- sum
}

// skynet: a 10-ary tree of goroutines with n leaves (a power of 10); ms.
func skynetBench() {
	n := envLong("GORO_BENCH_N", 1000000)
	t0 := time.Now()
	root := make(chan int)
	go skynet(root, 0, n)
	sum := <-root
	elapsed := time.Since(t0)
	if sum != n*(n-1)/2 {
		fail("skynet: sum %d, want %d", sum, n*(n-1)/2)
	}
	report("skynet", n, "ms", float64(elapsed.Nanoseconds())/1e6)
}

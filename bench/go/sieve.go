package main

import (
	"os"
	"time"
)

// nthPrime is the reference answer: the n-th prime by a sequential sieve.
func nthPrime(n int) int {
	for limit := 64; ; limit *= 2 {
		composite := make([]bool, limit+1)
		count := 0
		for i := 2; i <= limit; i++ {
			if composite[i] {
				continue
			}
			if count++; count == n {
				return i
			}
			for j := i * i; j <= limit; j += i {
				composite[j] = true
			}
		}
	}
}

// sieve: the concurrent prime sieve, first n primes; ms.
func sieve() {
	n := envLong("GORO_BENCH_N", 3000)
	t0 := time.Now()
	ch := make(chan int)
	go func(out chan<- int) {
		for i := 2; ; i++ {
			out <- i
		}
	}(ch)
	prime := 0
	for i := 0; i < n; i++ {
		prime = <-ch
		next := make(chan int)
		go func(in <-chan int, out chan<- int, prime int) {
			for {
				if v := <-in; v%prime != 0 {
					out <- v
				}
			}
		}(ch, next, prime)
		ch = next
	}
	elapsed := time.Since(t0)
	if want := nthPrime(n); prime != want {
		fail("sieve: prime %d is %d, want %d", n, prime, want)
	}
	report("sieve", n, "ms", float64(elapsed.Nanoseconds())/1e6)
	os.Exit(0)
}

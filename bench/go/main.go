// The Go twins of goro's bench programs: same workloads, same sizes (from the
// same environment variables), same one-line JSON output with impl "go".
//
//	go run . pingpong | chan-throughput | select | tcp-echo
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

func envLong(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return fallback
}

func report(bench string, n int, metric string, value float64) {
	fmt.Printf("{\"bench\":%q,\"impl\":\"go\",\"procs\":%d,\"n\":%d,\"metric\":%q,\"value\":%.1f}\n",
		bench, runtime.GOMAXPROCS(0), n, metric, value)
}

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

// tcpEcho: the twin of bench/tcp_echo.cpp: GORO_BENCH_CONNS (50) loopback
// connections, N round trips of a 64-byte request and its echo in all.
func tcpEcho() {
	n := envLong("GORO_BENCH_N", 200000)
	conns := envLong("GORO_BENCH_CONNS", 50)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "tcp-echo:", err)
		os.Exit(1)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				buf := make([]byte, 64)
				for {
					if _, err := io.ReadFull(c, buf); err != nil {
						break
					}
					if _, err := c.Write(buf); err != nil {
						break
					}
				}
				c.Close()
			}(c)
		}
	}()
	clients := make([]net.Conn, conns)
	for i := range clients {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			fmt.Fprintln(os.Stderr, "tcp-echo:", err)
			os.Exit(1)
		}
		clients[i] = c
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	failures := 0
	t0 := time.Now()
	for i, c := range clients {
		trips := n / conns
		if i < n%conns {
			trips++
		}
		wg.Add(1)
		go func(c net.Conn, trips int, i int) {
			defer wg.Done()
			req := make([]byte, 64)
			resp := make([]byte, 64)
			for j := range req {
				req[j] = byte(i)
			}
			for t := 0; t < trips; t++ {
				_, err := c.Write(req)
				if err == nil {
					_, err = io.ReadFull(c, resp)
				}
				if err != nil || string(req) != string(resp) {
					mu.Lock()
					failures++
					mu.Unlock()
					return
				}
			}
		}(c, trips, i)
	}
	wg.Wait()
	seconds := time.Since(t0).Seconds()
	if failures != 0 {
		os.Exit(1)
	}
	report("tcp-echo", n, "round_trips_per_s", float64(n)/seconds)
	for _, c := range clients {
		c.Close()
	}
	ln.Close()
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench pingpong|chan-throughput|select|tcp-echo")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "pingpong":
		pingpong()
	case "chan-throughput":
		chanThroughput()
	case "select":
		selectBench()
	case "tcp-echo":
		tcpEcho()
	default:
		fmt.Fprintln(os.Stderr, "unknown bench", os.Args[1])
		os.Exit(2)
	}
}

package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sort"
	"sync"
	"time"
)

// tcp-echo: a 64-byte echo server (Go's twin of bench/tcp_echo.cpp) and the
// client that measures either server: GORO_BENCH_CONNS (50) connections to
// 127.0.0.1:GORO_BENCH_PORT (18081), N round trips in all, each timed.

const echoSize = 64

func tcpEchoPort() string {
	return fmt.Sprint("127.0.0.1:", envLong("GORO_BENCH_PORT", 18081))
}

func tcpEchoServer() {
	ln, err := net.Listen("tcp", tcpEchoPort())
	if err != nil {
		fail("tcp-echo: %v", err)
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			fail("tcp-echo: %v", err)
		}
		go func(c net.Conn) {
			buf := make([]byte, echoSize)
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
}

// tcpEchoClient reports for the server named by GORO_BENCH_IMPL (goro or go).
func tcpEchoClient() {
	n := envLong("GORO_BENCH_N", 200000)
	conns := envLong("GORO_BENCH_CONNS", 50)
	impl := os.Getenv("GORO_BENCH_IMPL")
	if impl != "goro" && impl != "go" {
		fail("tcp-echo-client: GORO_BENCH_IMPL must be goro or go")
	}
	clients := make([]net.Conn, conns)
	for i := range clients {
		c, err := net.Dial("tcp", tcpEchoPort())
		if err != nil {
			fail("tcp-echo-client: %v", err)
		}
		clients[i] = c
	}
	latencies := make([][]time.Duration, conns)
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
			req := make([]byte, echoSize)
			resp := make([]byte, echoSize)
			for j := range req {
				req[j] = byte(i + j)
			}
			lat := make([]time.Duration, 0, trips)
			for t := 0; t < trips; t++ {
				start := time.Now()
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
				lat = append(lat, time.Since(start))
			}
			latencies[i] = lat
		}(c, trips, i)
	}
	wg.Wait()
	seconds := time.Since(t0).Seconds()
	if failures != 0 {
		fail("tcp-echo-client: %d connections failed", failures)
	}
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	p99 := all[(len(all)*99)/100]
	for _, c := range clients {
		c.Close()
	}
	for _, m := range []struct {
		metric string
		value  float64
	}{{"round_trips_per_s", float64(n) / seconds}, {"latency_p99_us", float64(p99.Nanoseconds()) / 1000}} {
		fmt.Printf("{\"bench\":\"tcp-echo\",\"impl\":%q,\"procs\":%d,\"n\":%d,\"metric\":%q,\"value\":%.1f}\n",
			impl, runtime.GOMAXPROCS(0), n, m.metric, m.value)
	}
}

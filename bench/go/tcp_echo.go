package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

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

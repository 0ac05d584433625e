package main

import (
	"fmt"
	"net/http"
	"os"
)

// httpHelloServer serves "Hello, World!\n" on every path, on port
// GORO_BENCH_PORT (default 8080), until killed: the Go side of http-hello
// (bench/compare drives it with wrk).
func httpHelloServer() {
	addr := fmt.Sprintf("127.0.0.1:%d", envLong("GORO_BENCH_PORT", 8080))
	hello := []byte("Hello, World!\n")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(hello)
	})
	if err := http.ListenAndServe(addr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "http-hello-server:", err)
		os.Exit(1)
	}
}

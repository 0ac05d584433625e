package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
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

// fail reports a wrong result on stderr and exits nonzero.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

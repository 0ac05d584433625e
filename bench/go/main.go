// The Go twins of goro's bench programs: same workloads, same sizes (from the
// same environment variables), same one-line JSON output with impl "go".
//
//	go build -o bench-go . && ./bench-go <workload>
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

var workloads = map[string]func(){
	"pingpong":          pingpong,
	"chan-throughput":   chanThroughput,
	"select":            selectBench,
	"spawn":             spawn,
	"skynet":            skynetBench,
	"sieve":             sieve,
	"timers":            timers,
	"memory":            memory,
	"tcp-echo-server":   tcpEchoServer,
	"tcp-echo-client":   tcpEchoClient,
	"http-hello-server": httpHelloServer,
}

func usage() {
	names := make([]string, 0, len(workloads))
	for name := range workloads {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(os.Stderr, "usage: bench-go", strings.Join(names, "|"))
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	run, ok := workloads[os.Args[1]]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown bench", os.Args[1])
		usage()
	}
	run()
}

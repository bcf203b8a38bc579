// Command searchlat measures search latency through a running lobby server,
// as a resident's browser meets it: HTTP on a kept-alive connection, the
// JSON answer read in full (issues 5 and 8).
//
//	go run ./bench/searchlat [-n 1400] [-q 'word|"a phrase"|…'] http://127.0.0.1:1313
//
// It asks /api/v1/search for each query once to warm up, then n times in
// turn, one request at a time, and prints the median and 99th percentile of
// the time from sending a request to reading the last byte of its answer.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
)

// defaultQueries are those of BenchmarkQuery in search/bench_test.go
// (TestSearchlatAsksTheBenchmarkQueries keeps them so).
const defaultQueries = `停水|电梯|物业费|停车位|"垃圾分类"|充电桩 安装|维修基金 公示|parking|"parking garage"|` +
	`elevator repair|water shutoff|pets noise complaint|电梯 repair|游泳池 open`

func main() {
	n := flag.Int("n", 1400, "number of timed requests")
	qs := flag.String("q", defaultQueries, "queries separated by |")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: searchlat [-n N] [-q QUERIES] BASE-URL")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *n < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), strings.Split(*qs, "|"), *n); err != nil {
		fmt.Fprintln(os.Stderr, "searchlat:", err)
		os.Exit(1)
	}
}

func run(base string, queries []string, n int) error {
	get := func(q string) error {
		resp, err := http.Get(strings.TrimSuffix(base, "/") + "/api/v1/search?q=" + url.QueryEscape(q))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("search %q: %s", q, resp.Status)
		}
		return nil
	}
	for _, q := range queries {
		if err := get(q); err != nil {
			return err
		}
	}
	took := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if err := get(queries[i%len(queries)]); err != nil {
			return err
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	ms := func(p float64) float64 {
		return float64(took[min(int(p*float64(n)), n-1)].Microseconds()) / 1000
	}
	fmt.Printf("%d searches of %d queries: p50 %.2f ms, p99 %.2f ms\n", n, len(queries), ms(0.50), ms(0.99))
	return nil
}

package feedback_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
)

// BenchmarkSubmit measures durable submissions per second over HTTP: JSON
// posts through an httptest.Server into SQLite with synchronous=FULL, each
// answered only after its commit. The parallel run shows what grouping
// concurrent commits into one transaction gives.
func BenchmarkSubmit(b *testing.B) {
	for _, p := range []struct {
		name        string
		parallelism int // goroutines per GOMAXPROCS
	}{{"serial", 0}, {"clients=32", 16}} {
		b.Run(p.name, func(b *testing.B) {
			e := newEnv(b, nil)
			srv := httptest.NewServer(e.h)
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			var n atomic.Int64
			post := func() {
				body, _ := json.Marshal(map[string]any{"category": "repair", "message": "楼道灯不亮，请维修。", "consent": true,
					"key": "bench-key-" + strconv.FormatInt(n.Add(1), 10)})
				resp, err := client.Post(srv.URL+"/api/v1/feedback", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body) // so the connection is reused
				resp.Body.Close()
				if resp.StatusCode != 201 {
					b.Errorf("status %d", resp.StatusCode)
				}
			}
			b.ResetTimer()
			if p.parallelism == 0 {
				for b.Loop() {
					post()
				}
			} else {
				b.SetParallelism(p.parallelism)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						post()
					}
				})
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
		})
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/lobby-community/lobby/feedback/postgres/pgtest"
)

// BenchmarkDurableSubmissions measures acknowledged submissions per second
// through real lobby serve --no-build processes: one server on SQLite, and
// two servers on one PostgreSQL (fsync on), with the same client in the
// same run: 64 concurrent JSON posts, each with a fresh key, spread over
// the servers in turn as a load balancer would. Every 201 comes after its
// commit. Run it with -count to alternate the two:
//
//	go test ./cmd/lobby -run '^$' -bench DurableSubmissions -benchtime 20000x -count 3
func BenchmarkDurableSubmissions(b *testing.B) {
	bin := lobbyBinary(b)
	// A trusted proxy's connections are not capped per address: the
	// client stands for a load balancer in front of the servers.
	const extra = "\ntrusted_proxies = [\"127.0.0.1/32\"]"
	sqliteSite := processSite(b, bin, extra)
	sqliteBase := "http://" + freeAddr(b)
	startServeProcess(b, bin, sqliteSite, sqliteBase[len("http://"):])

	pgSite := processSite(b, bin, extra)
	useStore(b, pgSite, pgtest.NewDatabase(b))
	var pgBases []string
	for range 2 {
		addr := freeAddr(b)
		startServeProcess(b, bin, pgSite, addr)
		pgBases = append(pgBases, "http://"+addr)
	}

	for _, tc := range []struct {
		name  string
		bases []string
	}{
		{"sqlite/servers=1", []string{sqliteBase}},
		{"postgres/servers=2", pgBases},
	} {
		b.Run(tc.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
			defer client.CloseIdleConnections()
			var n atomic.Int64
			run := newUUID()     // keys are fresh in every run
			b.SetParallelism(32) // 64 clients on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					body, _ := json.Marshal(map[string]any{"category": "repair", "message": "楼道灯不亮，请维修。", "consent": true,
						"key": run + "-" + strconv.FormatInt(i, 10)})
					resp, err := client.Post(tc.bases[int(i)%len(tc.bases)]+"/api/v1/feedback", "application/json", bytes.NewReader(body))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
		})
	}
}

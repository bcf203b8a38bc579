package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/postgres"
	"github.com/lobby-community/lobby/feedback/postgres/pgtest"
)

// useStore points the site in dir at another feedback store.
func useStore(t testing.TB, dir, store string) {
	t.Helper()
	path := filepath.Join(dir, "config.toml")
	cfg := readFile(t, path)
	from := `store = "sqlite:.lobby/feedback.db"`
	if !strings.Contains(cfg, from) {
		t.Fatalf("config.toml has no %s:\n%s", from, cfg)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(cfg, from, `store = "`+store+`"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// submitThroughAny sends s until it is acknowledged, as submitUntilAcked
// does, but each attempt through the next of bases: a retry reaches
// another server than the attempt that failed, as behind a load balancer.
// While the database is away the servers must answer 503 with
// Retry-After: any other answer is an error.
func submitThroughAny(client *http.Client, bases []string, first int, s submission, quit *atomic.Bool) (string, error) {
	body := s.body()
	deadline := time.Now().Add(30 * time.Second)
	backoff := 5 * time.Millisecond
	for i := first; ; i++ {
		resp, err := client.Post(bases[i%len(bases)]+"/api/v1/feedback", "application/json", bytes.NewReader(body))
		if err == nil {
			var v struct {
				Ref string `json:"ref"`
			}
			derr := json.NewDecoder(resp.Body).Decode(&v)
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusCreated && derr == nil:
				return v.Ref, nil
			case resp.StatusCode == http.StatusCreated:
				// cut off: no acknowledgement, try again
			case resp.StatusCode != http.StatusServiceUnavailable:
				return "", fmt.Errorf("key %s: answered %d", s.Key, resp.StatusCode)
			case resp.Header.Get("Retry-After") == "":
				return "", fmt.Errorf("key %s: 503 without Retry-After", s.Key)
			}
		}
		if time.Now().After(deadline) || quit.Load() {
			return "", fmt.Errorf("key %s: not acknowledged in time: %v", s.Key, err)
		}
		time.Sleep(backoff/2 + rand.N(backoff))
		backoff = min(2*backoff, 400*time.Millisecond)
	}
}

// Two lobby serve --no-build share one PostgreSQL database and take
// submissions from several clients, each retry going to the other server;
// one server or the other is killed with SIGKILL at random moments and
// restarted, and PostgreSQL itself is restarted once midway. Every
// acknowledged key is then stored exactly once, under the reference it was
// acknowledged with.
func TestFeedbackCrashTwoServersOnPostgres(t *testing.T) {
	bin := lobbyBinary(t)
	cluster := pgtest.Start(t)
	dsn := cluster.NewDatabase(t)
	began := time.Now()
	dir := processSite(t, bin, "")
	useStore(t, dir, dsn)
	addrs := []string{freeAddr(t), freeAddr(t)}
	bases := []string{"http://" + addrs[0], "http://" + addrs[1]}
	var servers [2]atomic.Pointer[serveProcess]
	for i, a := range addrs {
		servers[i].Store(startServeProcess(t, bin, dir, a))
	}

	transport := &http.Transport{MaxIdleConnsPerHost: crashWorkers}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	clients := startCrashClients(t, func(w, n int, s submission, quit *atomic.Bool) (string, error) {
		return submitThroughAny(client, bases, w+n, s, quit)
	})
	kills := 0
	for k := range crashKills {
		time.Sleep(50*time.Millisecond + rand.N(450*time.Millisecond))
		i := rand.N(2)
		servers[i].Load().kill(t)
		kills++
		servers[i].Store(startServeProcess(t, bin, dir, addrs[i]))
		if k == crashKills/2 {
			// The database goes away under both servers and comes back;
			// they reconnect without a restart of their own.
			cluster.Restart(t)
		}
	}
	clients.finish()
	for i := range servers {
		servers[i].Load().stop(t)
	}

	db, err := postgres.Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases, err := db.Cases(context.Background(), feedback.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	stored := checkCases(t, cases, clients.sent, clients.acked)
	clients.check(t, stored)
	t.Logf("2 servers, %d SIGKILLs, 1 database restart, %d workers: %d keys sent, %d acknowledged, %d stored; %v",
		kills, crashWorkers, len(clients.sent), len(clients.acked), stored, time.Since(began).Round(time.Millisecond))
}

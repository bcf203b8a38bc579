package feedback_test

import (
	"bufio"
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

// crashChildEnv names the variable that turns the test binary into the
// crash test's server: it holds the data folder.
const crashChildEnv = "LOBBY_FEEDBACK_CRASH_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		if err := serveCrashChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveCrashChild serves the feedback handler over a real http.Server on
// 127.0.0.1:0 with the SQLite store in dir, prints its address, and runs
// until killed or, on SIGTERM, shuts down gracefully.
func serveCrashChild(dir string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "feedback.db"))
	if err != nil {
		return err
	}
	h := feedback.NewHandler(db, feedback.Config{Language: "en"}, time.Now, nil, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	h.Close()
	return db.Close()
}

// crashChild is one run of the server process.
type crashChild struct {
	cmd  *exec.Cmd
	addr string
}

func startCrashChild(t *testing.T, dir string) *crashChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ADDR ") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child did not start: %q, %v", line, err)
	}
	go io.Copy(io.Discard, out)
	return &crashChild{cmd: cmd, addr: strings.TrimSpace(strings.TrimPrefix(line, "ADDR "))}
}

// TestCrashKeepsEveryAcknowledgedSubmission kills the server with SIGKILL at
// random moments while clients submit, restarting it on the same folder;
// every submission acknowledged with 2xx must be stored exactly once, and
// the database must pass integrity_check. A larger run is
// behind -tags crash.
func TestCrashKeepsEveryAcknowledgedSubmission(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dir := t.TempDir()
	var current atomic.Pointer[crashChild]
	current.Store(startCrashChild(t, dir))

	var (
		mu      sync.Mutex
		sent    = map[string]string{} // key → message, every key tried
		acked   = map[string]string{} // key → ref, every key answered 2xx
		done    atomic.Int64
		killing atomic.Bool
	)
	killing.Store(true)
	client := &http.Client{Timeout: 10 * time.Second}
	submit := func(key string) error {
		msg := "crash test " + key
		body, _ := json.Marshal(map[string]any{"category": "inquiry", "message": msg, "consent": true, "key": key})
		mu.Lock()
		sent[key] = msg
		mu.Unlock()
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := client.Post("http://"+current.Load().addr+"/api/v1/feedback", "application/json", bytes.NewReader(body))
			if err == nil {
				var v struct{ Ref string }
				derr := json.NewDecoder(resp.Body).Decode(&v)
				resp.Body.Close()
				if resp.StatusCode == 201 && derr == nil {
					mu.Lock()
					acked[key] = v.Ref
					mu.Unlock()
					return nil
				}
				if resp.StatusCode < 500 {
					return fmt.Errorf("key %s: status %d", key, resp.StatusCode)
				}
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("key %s: no answer within 30s: %v", key, err)
			}
			time.Sleep(time.Duration(10+rand.IntN(40)) * time.Millisecond)
		}
	}
	var wg sync.WaitGroup
	for range crashWorkers {
		wg.Go(func() {
			for killing.Load() || done.Load() < crashSubmissions {
				var b [16]byte
				crand.Read(b[:])
				if err := submit(hex.EncodeToString(b[:])); err != nil {
					t.Error(err)
					return
				}
				done.Add(1)
			}
		})
	}
	for range crashKills {
		time.Sleep(time.Duration(50+rand.IntN(300)) * time.Millisecond)
		c := current.Load()
		c.cmd.Process.Signal(syscall.SIGKILL)
		c.cmd.Wait()
		current.Store(startCrashChild(t, dir))
	}
	killing.Store(false)
	wg.Wait()
	last := current.Load()
	last.cmd.Process.Signal(syscall.SIGTERM)
	if err := last.cmd.Wait(); err != nil {
		t.Errorf("graceful stop: %v", err)
	}

	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
	cases, err := db.Cases(context.Background(), feedback.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, c := range cases {
		stored[c.Key]++
		if msg, ok := sent[c.Key]; !ok {
			t.Errorf("stored a key no client sent: %q", c.Key)
		} else if c.Message != msg {
			t.Errorf("key %s: message %q, want %q", c.Key, c.Message, msg)
		}
		if ref, ok := acked[c.Key]; ok && ref != c.Ref {
			t.Errorf("key %s: acknowledged as %s, stored as %s", c.Key, ref, c.Ref)
		}
	}
	for key := range acked {
		if stored[key] != 1 {
			t.Errorf("acknowledged key %s stored %d times, want 1", key, stored[key])
		}
	}
	t.Logf("%d kills, %d submissions acknowledged, %d stored", crashKills, len(acked), len(cases))
	if len(acked) < crashSubmissions {
		t.Errorf("only %d submissions acknowledged, want at least %d", len(acked), crashSubmissions)
	}
}

// Package pgtest gives tests a PostgreSQL database: a throwaway cluster
// that it starts itself from the installed PostgreSQL programs (initdb and
// pg_ctl, found on PATH or under /usr/lib/postgresql/*/bin as Debian
// installs them), or the server that LOBBY_TEST_POSTGRES names. Each test
// gets a schema of its own, dropped when it ends.
//
// Without PostgreSQL the tests skip, saying how to run them; with
// LOBBY_POSTGRES_TESTS=1 (as CI sets it) they fail instead.
//
// A package that uses the shared cluster calls Main from its TestMain, so
// that the cluster stops when its tests end.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables that steer the tests.
const (
	// ServerEnv names a server to use instead of a throwaway cluster:
	// postgres://user@host:port/db?sslmode=disable; a password comes from
	// PGPASSWORD or ~/.pgpass.
	ServerEnv = "LOBBY_TEST_POSTGRES"
	// RequiredEnv set to 1 turns a missing PostgreSQL from a skip into a
	// failure.
	RequiredEnv = "LOBBY_POSTGRES_TESTS"
)

// credential is the unprivileged user and group a command runs as.
type credential struct{ uid, gid int }

// Cluster is a PostgreSQL server that a test started in a temporary folder.
type Cluster struct {
	dir, data, bin string
	port           int
	cred           *credential // the unprivileged user it runs as, when tests run as root
}

var shared struct {
	once    sync.Once
	cluster *Cluster
	url     string
	err     error
}

// Main runs the tests, then stops the shared cluster if one was started.
func Main(m *testing.M) int {
	code := m.Run()
	if c := shared.cluster; c != nil {
		c.stop()
	}
	return code
}

// unavailable skips t, or fails it when RequiredEnv is 1.
func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(RequiredEnv) == "1" {
		t.Fatalf("%s (%s=1, so this is a failure)", why, RequiredEnv)
	}
	t.Skipf("%s; install PostgreSQL (Debian: apt-get install postgresql) or set %s=postgres://…, and set %s=1 to make this a failure",
		why, ServerEnv, RequiredEnv)
}

// NewDatabase returns the URL of a fresh, empty schema on the shared
// server, dropped when t ends; the URL selects it with search_path.
func NewDatabase(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		if u := os.Getenv(ServerEnv); u != "" {
			shared.url = u
			return
		}
		bin, err := findBin()
		if err != nil {
			shared.err = err
			return
		}
		shared.cluster, shared.err = start(bin)
		if shared.err == nil {
			shared.url = shared.cluster.URL()
		}
	})
	if shared.err != nil {
		unavailable(t, shared.err.Error())
	}
	return newSchema(t, shared.url)
}

// Start starts a cluster of t's own, stopped when t ends, for tests that
// stop or restart the server.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin, err := findBin()
	if err != nil {
		unavailable(t, err.Error())
	}
	c, err := start(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.stop)
	return c
}

// URL returns the URL of the cluster's postgres database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://lobby@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// NewDatabase returns the URL of a fresh schema on c, as the package's
// NewDatabase does on the shared server.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	return newSchema(t, c.URL())
}

// Restart stops the server, as an operator or a crash would (open
// connections are cut), and starts it again on the same port.
func (c *Cluster) Restart(t testing.TB) {
	t.Helper()
	if out, err := c.pgctl("restart", "-m", "fast"); err != nil {
		t.Fatalf("pg_ctl restart: %v\n%s", err, out)
	}
}

// Stop stops the server; Restart or Cont start it again.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if out, err := c.pgctl("stop", "-m", "fast"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// Cont starts the server that Stop stopped.
func (c *Cluster) Cont(t testing.TB) {
	t.Helper()
	if out, err := c.pgctl("start"); err != nil {
		t.Fatalf("pg_ctl start: %v\n%s", err, out)
	}
}

func newSchema(t testing.TB, base string) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("creating a schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, base); err == nil {
			conn.Exec(ctx, "DROP SCHEMA "+name+" CASCADE")
			conn.Close(ctx)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// findBin finds the folder holding initdb and pg_ctl.
func findBin() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no PostgreSQL found (no initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin)")
}

func version(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// start makes a cluster in a temporary folder and starts it on a free
// port of 127.0.0.1. PostgreSQL refuses to run as root, so when the tests
// do, the cluster runs as the user nobody.
func start(bin string) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "lobby-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, data: filepath.Join(dir, "data"), bin: bin}
	fail := func(err error) (*Cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			return fail(fmt.Errorf("running as root, and no user nobody to run PostgreSQL as: %w", err))
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &credential{uid: uid, gid: gid}
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sock"), 0o700); err != nil {
		return fail(err)
	}
	if c.cred != nil {
		os.Chown(filepath.Join(dir, "sock"), c.cred.uid, c.cred.gid)
	}
	// --no-sync only spares initdb's own flushes of the template files;
	// the server runs with fsync on, as in production.
	if out, err := c.run("initdb", "-D", c.data, "-U", "lobby", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		return fail(fmt.Errorf("initdb: %v\n%s", err, out))
	}
	var lastErr error
	for range 5 {
		c.port, err = freePort()
		if err != nil {
			return fail(err)
		}
		out, err := c.pgctl("start")
		if err == nil {
			return c, nil
		}
		lastErr = fmt.Errorf("pg_ctl start: %v\n%s", err, out)
	}
	return fail(lastErr)
}

func (c *Cluster) pgctl(action string, args ...string) ([]byte, error) {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200", c.port, filepath.Join(c.dir, "sock"))
	all := append([]string{"-D", c.data, "-l", filepath.Join(c.dir, "log"), "-w", "-t", "60", "-o", opts, action}, args...)
	return c.run("pg_ctl", all...)
}

func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, prog), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	c.cred.apply(cmd)
	return cmd.CombinedOutput()
}

// stop stops the server at once and removes its folder.
func (c *Cluster) stop() {
	c.pgctl("stop", "-m", "immediate")
	os.RemoveAll(c.dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

//go:build unix

package server

import (
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO in the output folder (the build never writes one) is a 404, and
// opening it does not wait for a writer.
func TestFIFONotServed(t *testing.T) {
	dir := newSite(t)
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.html"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan int, 1)
	go func() {
		res, _ := get(t, Static(dir), "GET", "/pipe.html", nil)
		done <- res.StatusCode
	}()
	select {
	case code := <-done:
		if code != http.StatusNotFound {
			t.Errorf("StatusCode=%d, want 404", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request for a FIFO still hangs after 10 s")
	}
}

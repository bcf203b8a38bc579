package feedback_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/feedback"
)

func TestNotifyCommandGetsCaseAsJSON(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "case.json")
	script := filepath.Join(dir, "notify.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ncat > \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *feedback.Config) { c.NotifyCommand = []string{script, out} })
	ref := e.submit(t)
	e.h.Close() // waits for the notification
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var c feedback.Case
	if err := json.Unmarshal(b, &c); err != nil || c.Ref != ref || c.Message != goodJSON()["message"] {
		t.Errorf("notification %s: %v", b, err)
	}
}

func TestFailingNotifyLosesNothing(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) { c.NotifyCommand = []string{"false"} })
	ref := e.submit(t)
	e.h.Close()
	if _, err := e.db.Case(t.Context(), ref); err != nil {
		t.Errorf("case lost after a failing notification: %v", err)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "feedback notify failed") || !strings.Contains(logs, ref) || strings.Contains(logs, "Ann Lee") {
		t.Errorf("log:\n%s", logs)
	}
}

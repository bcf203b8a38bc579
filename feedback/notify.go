package feedback

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os/exec"
	"sync"
	"time"
)

// notifyQueue bounds the cases waiting for their notification; past it,
// notifications are dropped (and logged), never the cases.
const notifyQueue = 256

// notifier runs the configured command for each new case, one at a time,
// after the case is committed, and for each case that becomes overdue. A
// failing or slow command loses nothing: the case is already stored.
type notifier struct {
	argv    []string
	timeout time.Duration
	log     *slog.Logger
	wg      sync.WaitGroup

	mu     sync.Mutex // guards closed against sends on queue
	closed bool
	queue  chan notice
}

// notice is what the command reads on its standard input: the case as
// JSON, with "event" saying why it runs ("new" or "overdue") and, for an
// overdue case, which targets it missed.
type notice struct {
	Event string `json:"event"`
	*Case
	Overdue *Overdue `json:"overdue,omitempty"`
}

// The events a notification is sent for.
const (
	noticeNew     = "new"
	noticeOverdue = "overdue"
)

func newNotifier(argv []string, timeout time.Duration, log *slog.Logger) *notifier {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	n := &notifier{argv: argv, timeout: timeout, log: log, queue: make(chan notice, notifyQueue)}
	n.wg.Go(func() {
		for c := range n.queue {
			n.run(c)
		}
	})
	return n
}

// send queues a notification without waiting for it.
func (n *notifier) send(c notice) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	select {
	case n.queue <- c:
	default:
		n.log.Warn("feedback notify skipped: queue full", "ref", c.Ref, "event", c.Event)
	}
}

// run runs the command with c as JSON on its standard input. Its output is
// discarded: it could echo what the resident wrote into the server's log.
func (n *notifier) run(c notice) {
	body, err := json.Marshal(c)
	if err != nil {
		n.log.Error("feedback notify failed", "ref", c.Ref, "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), n.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.argv[0], n.argv[1:]...)
	cmd.Stdin = bytes.NewReader(body)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		n.log.Error("feedback notify failed", "ref", c.Ref, "command", n.argv[0], "err", err)
	}
}

// close waits for the queued notifications to finish.
func (n *notifier) close() {
	n.mu.Lock()
	if !n.closed {
		n.closed = true
		close(n.queue)
	}
	n.mu.Unlock()
	n.wg.Wait()
}

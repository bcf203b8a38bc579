package feedback

import (
	"context"
	"time"
)

// OverdueCases returns the cases that f selects and that have missed a
// target of ts at now, in f's order. Only pending cases can be overdue, so
// it reads those alone: an office has a bounded number of them.
func OverdueCases(ctx context.Context, store Store, f Filter, ts Targets, now time.Time) ([]*Case, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	if f.Status != "" && !f.Status.Pending() {
		return nil, nil
	}
	f.Pending, f.After, f.Limit = true, Cursor{}, 0
	cases, err := store.Cases(ctx, f)
	if err != nil {
		return nil, err
	}
	out := cases[:0]
	for _, c := range cases {
		if c.OverdueAt(ts, now).Any() {
			out = append(out, c)
		}
	}
	return out, nil
}

// CheckOverdue runs notify_command once for each case that has become
// overdue at the handler's clock and has not been notified yet, and
// returns how many it notified. The store records each notification
// before the command runs, so that no case is notified twice, even by
// another server or after a restart; a crash between the two loses that
// one notification rather than repeating it. Without notify_command or
// service targets it does nothing.
func (h *Handler) CheckOverdue(ctx context.Context) (int, error) {
	if h.notify == nil || len(h.cfg.Targets) == 0 {
		return 0, nil
	}
	now := h.now()
	cases, err := OverdueCases(ctx, h.store, Filter{}, h.cfg.Targets, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cases {
		if !c.OverdueNotifiedAt.IsZero() {
			continue
		}
		first, err := h.store.MarkOverdueNotified(ctx, c.Ref, now)
		if err != nil {
			return n, err
		}
		if !first {
			continue // another server did it
		}
		c.OverdueNotifiedAt = now.UTC()
		o := c.OverdueAt(h.cfg.Targets, now)
		h.log.Info("feedback overdue", "ref", c.Ref, "category", string(c.Category), "respond", o.Respond, "resolve", o.Resolve)
		h.notify.send(notice{Event: noticeOverdue, Case: c, Overdue: &o})
		n++
	}
	return n, nil
}

// WatchOverdue calls CheckOverdue every interval until ctx ends, logging
// its errors; lobby serve runs it beside the handler.
func (h *Handler) WatchOverdue(ctx context.Context, interval time.Duration) {
	if h.notify == nil || len(h.cfg.Targets) == 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := h.CheckOverdue(ctx); err != nil && ctx.Err() == nil {
			h.log.Error("feedback: checking for overdue cases", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

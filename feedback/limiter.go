package feedback

import (
	"container/list"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter allows each client key events per period, as a token bucket per
// key (golang.org/x/time/rate). It remembers at most max keys, forgetting
// the least recently seen first, and forgets keys idle for a whole period
// (their bucket would be full again anyway), so its memory stays bounded
// however many addresses send requests.
type limiter struct {
	events int
	per    time.Duration
	max    int

	mu   sync.Mutex
	lru  *list.List // of *limiterEntry, most recently seen first
	keys map[string]*list.Element
}

type limiterEntry struct {
	key  string
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(events int, per time.Duration, max int) *limiter {
	if max <= 0 {
		max = DefaultMaxClients
	}
	return &limiter{events: events, per: per, max: max, lru: list.New(), keys: map[string]*list.Element{}}
}

// allow takes one event for key at now, or reports how long until one is
// available.
func (l *limiter) allow(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	ok, retryAfter, _ = l.take(key, now)
	return ok, retryAfter
}

// take is allow that also returns a function giving the event back, for
// a request that turns out not to count (nil when none was taken).
func (l *limiter) take(key string, now time.Time) (ok bool, retryAfter time.Duration, giveBack func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.evictIdle(now)
	var e *limiterEntry
	if el, found := l.keys[key]; found {
		e = el.Value.(*limiterEntry)
		l.lru.MoveToFront(el)
	} else {
		for l.lru.Len() >= l.max {
			l.remove(l.lru.Back())
		}
		every := l.per / time.Duration(l.events)
		e = &limiterEntry{key: key, lim: rate.NewLimiter(rate.Every(every), l.events)}
		l.keys[key] = l.lru.PushFront(e)
	}
	e.seen = now
	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d, nil
	}
	return true, 0, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		r.CancelAt(now)
	}
}

// wait returns how long key must wait for an event at now, without taking
// one: 0 when it may go ahead.
func (l *limiter) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, found := l.keys[key]
	if !found {
		return 0
	}
	lim := el.Value.(*limiterEntry).lim
	missing := 1 - lim.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing / float64(lim.Limit()) * float64(time.Second))
}

// evictIdle forgets the keys not seen for a whole period.
func (l *limiter) evictIdle(now time.Time) {
	for el := l.lru.Back(); el != nil; el = l.lru.Back() {
		if now.Sub(el.Value.(*limiterEntry).seen) < l.per {
			return
		}
		l.remove(el)
	}
}

func (l *limiter) remove(el *list.Element) {
	delete(l.keys, el.Value.(*limiterEntry).key)
	l.lru.Remove(el)
}

// retryAfterSeconds rounds a wait up to whole seconds for Retry-After.
func retryAfterSeconds(d time.Duration) int {
	return int(math.Max(1, math.Ceil(d.Seconds())))
}

package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sseEvent is one Server-Sent Event as a client reads it.
type sseEvent struct {
	name string
	data buildStatus
}

// subscribe opens url as an event stream and returns its events.
func subscribe(t *testing.T, url string) <-chan sseEvent {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: StatusCode=%d Content-Type=%q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	t.Cleanup(func() { res.Body.Close() })
	events := make(chan sseEvent, 16)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data); err != nil {
					ev.name = "bad data: " + err.Error()
				}
			case line == "":
				if ev.name != "" {
					events <- ev
				}
				ev = sseEvent{}
			}
		}
	}()
	return events
}

func next(t *testing.T, events <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return sseEvent{}
}

// After each rebuild every open page hears of it: a reload after a success,
// the error after a failure.
func TestLiveReloadEvents(t *testing.T) {
	s := New(Config{Dir: newSite(t), Watch: true})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close) // after the streams' cleanups close them
	events := subscribe(t, ts.URL+"/_lobby/events")

	if ev := next(t, events); ev.name != "status" || !ev.data.OK {
		t.Fatalf("first event = %+v, want status ok", ev)
	}
	s.Reloaded(nil)
	if ev := next(t, events); ev.name != "reload" || !ev.data.OK || ev.data.Generation != 1 {
		t.Errorf("after Reloaded(nil): %+v, want reload of generation 1", ev)
	}
	buildErr := errors.New("content/notices/water.md:3:9: unknown front matter key \"titel\" <script>x</script>")
	s.Reloaded(buildErr)
	ev := next(t, events)
	if ev.name != "status" || ev.data.OK || ev.data.Error != buildErr.Error() {
		t.Errorf("after Reloaded(err): %+v, want status with the error", ev)
	}
	res, body := get(t, s, "GET", "/_lobby/status", nil)
	var st buildStatus
	if err := json.Unmarshal([]byte(body), &st); err != nil || res.StatusCode != 200 || st.OK || st.Error != buildErr.Error() {
		t.Errorf("/_lobby/status: StatusCode=%d %s, want the error", res.StatusCode, body)
	}
	if strings.Contains(body, "<script>") {
		t.Errorf("/_lobby/status holds raw markup: %s", body)
	}
	s.Reloaded(nil)
	if ev := next(t, events); ev.name != "reload" || !ev.data.OK || ev.data.Generation != 3 {
		t.Errorf("after the fix: %+v, want reload of generation 3", ev)
	}

	// A page opened while the build is broken sees the error at once.
	s.Reloaded(buildErr)
	late := subscribe(t, ts.URL+"/_lobby/events")
	if ev := next(t, late); ev.name != "status" || ev.data.OK || ev.data.Error == "" {
		t.Errorf("new stream while broken: %+v, want the error", ev)
	}
}

// An event stream outlives the server's read and write timeouts, and does
// not hold up a graceful shutdown.
func TestEventStreamAndTimeouts(t *testing.T) {
	s := New(Config{Dir: newSite(t), Watch: true, ReadTimeout: 100 * time.Millisecond, WriteTimeout: 100 * time.Millisecond})
	srv := startServer(t, s)
	events := subscribe(t, "http://"+srv.addr+"/_lobby/events")
	next(t, events)
	time.Sleep(400 * time.Millisecond) // past both timeouts
	s.Reloaded(nil)
	if ev := next(t, events); ev.name != "reload" {
		t.Errorf("after the timeouts: %+v, want reload", ev)
	}
	srv.cancel()
	select {
	case <-srv.done:
		if srv.err != nil {
			t.Errorf("Serve=%v with a stream open, want a graceful nil", srv.err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not return")
	}
}

// The reload script goes into HTML pages in watch mode only.
func TestInjectReloadScript(t *testing.T) {
	dir := newSite(t)
	searchPage := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><BODY>results</BODY></html>"))
	})
	watch := New(Config{Dir: dir, Watch: true, SearchPage: searchPage})
	plain := New(Config{Dir: dir, SearchPage: searchPage})
	tests := []struct {
		path, accept string
		status       int
		inject       bool
	}{
		{"/", "", 200, true},
		{"/", "gzip", 200, true},
		{"/about/", "gzip", 200, true},
		{"/missing", "gzip", 404, true},
		{"/search?q=x", "", 200, true},
		{"/assets/site.css", "", 200, false},
		{"/api/v1/site.json", "gzip", 200, false},
	}
	for _, tc := range tests {
		hdr := map[string]string{"Accept-Encoding": tc.accept}
		res, body := get(t, watch, "GET", tc.path, hdr)
		if res.StatusCode != tc.status {
			t.Errorf("watch: path=%q: StatusCode=%d, want %d", tc.path, res.StatusCode, tc.status)
		}
		if got := strings.Count(body, reloadTag); got != map[bool]int{true: 1, false: 0}[tc.inject] {
			t.Errorf("watch: path=%q ae=%q: %d script tags, want inject=%v", tc.path, tc.accept, got, tc.inject)
		}
		if tc.inject {
			if i := strings.Index(strings.ToLower(body), "</body>"); i < 0 || !strings.HasSuffix(body[:i], reloadTag) {
				t.Errorf("watch: path=%q: the tag is not right before </body>: %q", tc.path, body)
			}
			if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
				t.Errorf("watch: path=%q: Content-Length=%q, body is %d bytes", tc.path, cl, len(body))
			}
			if res.Header.Get("Content-Encoding") != "" || res.Header.Get("ETag") != "" {
				t.Errorf("watch: path=%q: Content-Encoding=%q ETag=%q, want neither", tc.path, res.Header.Get("Content-Encoding"), res.Header.Get("ETag"))
			}
			if res.Header.Get("Content-Security-Policy") != contentSecurityPolicy {
				t.Errorf("watch: path=%q: CSP changed in watch mode", tc.path)
			}
		}
		_, body = get(t, plain, "GET", tc.path, hdr)
		if strings.Contains(body, "/_lobby/") {
			t.Errorf("plain: path=%q: body mentions /_lobby/", tc.path)
		}
	}

	// A conditional request in watch mode still gets the page with the tag.
	first, _ := get(t, plain, "GET", "/about/", nil)
	res, body := get(t, watch, "GET", "/about/", map[string]string{"If-None-Match": first.Header.Get("ETag")})
	if res.StatusCode != 200 || !strings.Contains(body, reloadTag) {
		t.Errorf("watch: If-None-Match: StatusCode=%d, want 200 with the tag", res.StatusCode)
	}
	res, body = get(t, watch, "HEAD", "/about/", nil)
	if res.StatusCode != 200 || body != "" {
		t.Errorf("watch: HEAD: StatusCode=%d body=%q", res.StatusCode, body)
	}

	res, body = get(t, watch, "GET", "/_lobby/reload.js", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || !strings.Contains(body, "EventSource") {
		t.Errorf("watch: reload.js: StatusCode=%d Content-Type=%q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/_lobby/reload.js", "/_lobby/events", "/_lobby/status"} {
		if res, _ := get(t, plain, "GET", p, nil); res.StatusCode != 404 {
			t.Errorf("plain: path=%q: StatusCode=%d, want 404", p, res.StatusCode)
		}
	}
}

// in watch mode only local hosts are answered, and the
// /_lobby/ routes only from the page's own origin.
func TestWatchModeLocalOnly(t *testing.T) {
	dir := newSite(t)
	watch := New(Config{Dir: dir, Watch: true})
	plain := New(Config{Dir: dir})
	checkStatuses(t, watch, []statusCase{
		{"/", map[string]string{"Host": "localhost:1313"}, 200},
		{"/", map[string]string{"Host": "127.0.0.1:1313"}, 200},
		{"/", map[string]string{"Host": "[::1]:1313"}, 200},
		{"/", map[string]string{"Host": "LOCALHOST"}, 200},
		{"/", map[string]string{"Host": "site.localhost:1313"}, 200},
		{"/", map[string]string{"Host": "evil.example"}, 403},
		{"/", map[string]string{"Host": "localhost.evil.example"}, 403},
		{"/", map[string]string{"Host": "192.168.1.5:1313"}, 403},
		{"/", map[string]string{"Host": ""}, 403},
		{"/_lobby/events", map[string]string{"Host": "evil.example:1313"}, 403},
		{"/_lobby/status", map[string]string{"Origin": "http://localhost:1313"}, 200},
		{"/_lobby/status", map[string]string{"Origin": "http://evil.example"}, 403},
		{"/_lobby/status", map[string]string{"Origin": "http://127.0.0.1:1313"}, 403},
		{"/_lobby/status", map[string]string{"Origin": "null"}, 403},
		{"/_lobby/status", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"/_lobby/status", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200},
		{"/_lobby/events", map[string]string{"Origin": "https://evil.example"}, 403},
		{"/_lobby/events", map[string]string{"Origin": "http://localhost:1314"}, 403},
	})
	if res, _ := get(t, plain, "GET", "/", map[string]string{"Host": "lobby.example.org"}); res.StatusCode != 200 {
		t.Errorf("plain: a public Host: StatusCode=%d, want 200", res.StatusCode)
	}
}

// a watch-mode server bound beyond the loopback interface answers
// a phone on the network that names it by its IP address, and still
// refuses host names (DNS rebinding) and other origins.
func TestWatchModeIPHosts(t *testing.T) {
	dir := newSite(t)
	watch := New(Config{Dir: dir, Watch: true, WatchIPHosts: true})
	checkStatuses(t, watch, []statusCase{
		{"/", map[string]string{"Host": "192.168.1.5:1313"}, 200},
		{"/", map[string]string{"Host": "[fe80::1]:1313"}, 200},
		{"/", map[string]string{"Host": "localhost:1313"}, 200},
		{"/", map[string]string{"Host": "evil.example"}, 403},
		{"/", map[string]string{"Host": "192.168.1.5.evil.example"}, 403},
		{"/_lobby/status", map[string]string{"Host": "192.168.1.5:1313", "Origin": "http://192.168.1.5:1313"}, 200},
		{"/_lobby/status", map[string]string{"Host": "192.168.1.5:1313", "Origin": "http://192.168.1.6:1313"}, 403},
		{"/_lobby/status", map[string]string{"Host": "192.168.1.5:1313", "Origin": "http://evil.example"}, 403},
	})
}

// statusCase is a GET of path with header, and the status it must get.
type statusCase struct {
	path   string
	header map[string]string
	want   int
}

// checkStatuses sends each case to h and checks its status.
func checkStatuses(t *testing.T, h http.Handler, cases []statusCase) {
	t.Helper()
	for _, tc := range cases {
		res, _ := get(t, h, "GET", tc.path, tc.header)
		if res.StatusCode != tc.want {
			t.Errorf("path=%q header=%v: StatusCode=%d, want %d", tc.path, tc.header, res.StatusCode, tc.want)
		}
	}
}

func TestInsertBeforeBodyEnd(t *testing.T) {
	tests := []struct{ page, want string }{
		{"<body>x</body></html>", "<body>xTAG</body></html>"},
		{"<BODY>x</Body>", "<BODY>xTAG</Body>"},
		{"<body>a</body> b </body>", "<body>a</body> b TAG</body>"},
		{"no end", "no endTAG"},
		{"", "TAG"},
		{"停水</body>", "停水TAG</body>"},
	}
	for _, tc := range tests {
		if got := string(insertBeforeBodyEnd([]byte(tc.page), "TAG")); got != tc.want {
			t.Errorf("page=%q: got %q, want %q", tc.page, got, tc.want)
		}
	}
}

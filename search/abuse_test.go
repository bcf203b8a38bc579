package search

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Query syntax from a user never reaches bleve.
func TestDangerousSyntaxBuildsNoDangerousNodes(t *testing.T) {
	x := openFixture(t, Options{})
	inputs := []string{
		`/(a+)+b/`,
		`*`,
		`*a*`,
		strings.TrimSpace(strings.Repeat("x~2 ", 20)),
		`_id:x`,
		`secretfield:x`,
		`title:停水 body:/.*/ +must -not ^3 (a OR b)`,
		`"unclosed phrase ~2 *`,
		`停车* 电梯? 物业~1`,
	}
	for _, in := range inputs {
		pq, err := parseQuery(in)
		if err != nil {
			t.Errorf("parseQuery(%q): %v", in, err)
			continue
		}
		for _, relaxed := range []bool{false, true} {
			q := buildQuery(newSynonymTable(nil).expand(pq), "notices", relaxed, nil, testNow)
			if err := checkQueryTree(q); err != nil {
				t.Errorf("parseQuery(%q) relaxed=%v: %v", in, relaxed, err)
			}
		}
		start := time.Now()
		if _, err := x.Search(context.Background(), Request{Q: in}); err != nil {
			t.Errorf("Search(%q): %v", in, err)
		}
		if d := time.Since(start); d > 5*time.Second { // a regexp over the dictionary would show here; not a timing assertion
			t.Logf("Search(%q) took %v", in, d)
		}
	}
}

// A field name typed by a user is text, not a field selector: _id:x and
// secretfield:x find nothing, and never a document by its ID.
func TestFieldSyntaxIsText(t *testing.T) {
	x := openFixture(t, Options{})
	for _, q := range []string{"_id:/parking/", "url:/parking/", "secretfield:x", "section:fees"} {
		res, err := x.Search(context.Background(), Request{Q: q})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if res.Total != 0 {
			t.Errorf("Search(%q) = %v, want no hits", q, urls(res.Hits))
		}
	}
}

// Too many terms and too long queries are 400.
func TestQueryLimits(t *testing.T) {
	x := openFixture(t, Options{})
	terms300 := strings.TrimSpace(strings.Repeat("a ", 300))
	terms33 := strings.TrimSpace(strings.Repeat("b ", 33))
	tests := []struct {
		name string
		q    string
		want error
	}{
		{"300 terms", terms300, ErrQueryTooLong},
		{"33 terms under the byte limit", terms33, ErrTooManyTerms},
		{"10 KB", strings.Repeat("停", 10*1024/3), ErrQueryTooLong},
		{"401 bytes", strings.Repeat("a", 401), ErrQueryTooLong},
		{"400 bytes", strings.Repeat("a", 400), nil},
		{"32 terms", strings.TrimSpace(strings.Repeat("电梯 ", 32)), nil},
		{"one term of 200 tokens", strings.Repeat("b-", 200)[:399], nil},
		{"133 Chinese characters", strings.Repeat("停车位电梯物业费", 17)[:399], nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := x.Search(context.Background(), Request{Q: tc.q})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Search: err = %v, want %v", err, tc.want)
			}
			if tc.want != nil && StatusOf(err) != http.StatusBadRequest {
				t.Errorf("StatusOf(%v) = %d, want 400", err, StatusOf(err))
			}
		})
	}
}

// Paging is clamped, not trusted.
func TestPagingClamped(t *testing.T) {
	tests := []struct {
		limit, offset         int
		wantLimit, wantOffset int
	}{
		{0, 0, DefaultLimit, 0},
		{-5, -5, 1, 0},
		{100000, 10000000, MaxLimit, MaxOffset},
		{7, 3, 7, 3},
		{50, 1000, 50, 1000},
		{51, 1001, 50, 1000},
	}
	for _, tc := range tests {
		got := Request{Limit: tc.limit, Offset: tc.offset}.normalized()
		if got.Limit != tc.wantLimit || got.Offset != tc.wantOffset {
			t.Errorf("limit=%d offset=%d: got %d/%d, want %d/%d",
				tc.limit, tc.offset, got.Limit, got.Offset, tc.wantLimit, tc.wantOffset)
		}
	}

	docs := make([]Doc, 120)
	for i := range docs {
		docs[i] = Doc{URL: "/p/" + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + "/", Title: "电梯通知", Body: "电梯"}
	}
	x := openDocs(t, docs, Options{})
	res, err := x.Search(context.Background(), Request{Q: "电梯", Limit: 100000, Offset: 0})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != MaxLimit || res.Total != 120 {
		t.Errorf("limit=100000: %d hits of %d, want %d of 120", len(res.Hits), res.Total, MaxLimit)
	}
	res, err = x.Search(context.Background(), Request{Q: "电梯", Limit: 10, Offset: 10000000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 0 || res.Page.Offset != MaxOffset {
		t.Errorf("offset=10000000: %d hits at offset %d, want 0 at %d", len(res.Hits), res.Page.Offset, MaxOffset)
	}
}

// A search past its deadline ends as 503.
func TestDeadlineIsTimeout(t *testing.T) {
	x := openFixture(t, Options{})
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := x.Search(ctx, Request{Q: "停水"})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if StatusOf(err) != http.StatusServiceUnavailable {
		t.Errorf("StatusOf = %d, want 503", StatusOf(err))
	}

	// The deadline set by Options.Timeout, reaching bleve's collector.
	y := openFixture(t, Options{Timeout: time.Nanosecond})
	_, err = y.Search(context.Background(), Request{Q: "停水"})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Timeout=1ns: err = %v, want ErrTimeout", err)
	}
}

// Searches beyond the slots are shed with 503.
func TestOverloadSheds(t *testing.T) {
	x := openFixture(t, Options{MaxConcurrent: 2, QueueWait: 20 * time.Millisecond})
	// Occupy every slot, as two long searches would.
	for range cap(x.slots) {
		x.slots <- struct{}{}
	}
	_, err := x.Search(context.Background(), Request{Q: "停水"})
	if !errors.Is(err, ErrOverloaded) || StatusOf(err) != http.StatusServiceUnavailable {
		t.Fatalf("err = %v (status %d), want ErrOverloaded and 503", err, StatusOf(err))
	}
	<-x.slots
	if _, err := x.Search(context.Background(), Request{Q: "停水"}); err != nil {
		t.Fatalf("with a free slot: %v", err)
	}
}

func TestMessagesAreUserText(t *testing.T) {
	internal := errors.New("open /srv/site/.lobby/search/gen-x/store/root.bolt: permission denied")
	for _, err := range []error{ErrQueryTooLong, ErrTooManyTerms, ErrBadParameter, ErrOverloaded,
		ErrTimeout, ErrNoIndex, ErrClosed, internal, context.DeadlineExceeded} {
		for _, lang := range []string{"en", "zh-CN", "fr"} {
			m := LocalMessage(lang, err)
			if m == "" || strings.Contains(m, "search:") || strings.Contains(m, "/srv/") {
				t.Errorf("LocalMessage(%s, %v) = %q", lang, err, m)
			}
		}
	}
	if StatusOf(internal) != http.StatusInternalServerError {
		t.Errorf("StatusOf(internal) = %d, want 500", StatusOf(internal))
	}
}

package feedback_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// fill stores n cases, created a second apart from the env's clock on,
// several at once so that their commits are grouped.
func fill(t testing.TB, e *testEnv, n int) {
	t.Helper()
	start := e.clock()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s := feedback.Submission{Category: feedback.CategoryRepair, Unit: strconv.Itoa(i), Message: "第" + strconv.Itoa(i) + "件", Consent: true}
			if err := s.Validate(); err != nil {
				t.Error(err)
				return
			}
			if _, _, err := e.db.Create(context.Background(), feedback.NewCase(s, start.Add(time.Duration(i)*time.Second))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// listAPI gets one page of the staff API and returns its cases' refs and
// the Link header.
func listAPI(t *testing.T, e *testEnv, target string) (refs []string, link string) {
	t.Helper()
	w := e.staff("GET", target, "", "")
	if w.Code != 200 {
		t.Fatalf("GET %s: %d %s", target, w.Code, w.Body)
	}
	var cases []feedback.Case
	if err := json.Unmarshal(w.Body.Bytes(), &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		refs = append(refs, c.Ref)
	}
	return refs, w.Header().Get("Link")
}

var nextLink = regexp.MustCompile(`^<(/api/v1/staff/feedback\?[^>]*)>; rel="next"$`)

func TestStaffAPIPaginated(t *testing.T) {
	e := newEnv(t, nil)
	fill(t, e, 120)
	all, err := e.db.Cases(context.Background(), feedback.Filter{})
	if err != nil {
		t.Fatal(err)
	}

	var got []string
	target := "/api/v1/staff/feedback?status=received"
	var sizes []int
	for target != "" {
		refs, link := listAPI(t, e, target)
		got = append(got, refs...)
		sizes = append(sizes, len(refs))
		target = ""
		if link != "" {
			m := nextLink.FindStringSubmatch(link)
			if m == nil {
				t.Fatalf("Link %q", link)
			}
			target = m[1]
			if !strings.Contains(target, "status=received") {
				t.Errorf("the next page loses the filter: %s", target)
			}
			if len(got) == 50 {
				// A case sent between two pages comes last, and moves nothing.
				e.advance(200 * time.Second)
				e.submit(t)
				all, _ = e.db.Cases(context.Background(), feedback.Filter{})
			}
		}
	}
	if len(sizes) != 3 || sizes[0] != 50 || sizes[1] != 50 || sizes[2] != 21 {
		t.Errorf("page sizes %v, want [50 50 21]", sizes)
	}
	if len(got) != len(all) {
		t.Fatalf("%d cases over the pages, want %d", len(got), len(all))
	}
	for i, c := range all {
		if got[i] != c.Ref {
			t.Fatalf("case %d: %s, want %s (no case twice, none left out)", i, got[i], c.Ref)
		}
	}

	if refs, _ := listAPI(t, e, "/api/v1/staff/feedback?limit=500"); len(refs) != 121 {
		t.Errorf("limit=500: %d cases, want 121", len(refs))
	}
	for _, q := range []string{"limit=501", "limit=0", "limit=x", "after=nonsense", "after=12-AAAA"} {
		if w := e.staff("GET", "/api/v1/staff/feedback?"+q, "", ""); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, w.Code)
		}
	}
}

func TestStaffPagePaginated(t *testing.T) {
	e := newEnv(t, nil)
	fill(t, e, 60)
	c := staffLogin(t, e, false)
	rows := regexp.MustCompile(`<a class="case-ref" href="/staff/cases/([A-Z0-9]+)">`)
	next := regexp.MustCompile(`<a href="/staff/\?after=([^"&]+)&amp;status=pending" rel="next">`)

	w := e.page("GET", "/staff/", "", c)
	first := rows.FindAllStringSubmatch(w.Body.String(), -1)
	m := next.FindStringSubmatch(w.Body.String())
	if len(first) != 50 || m == nil {
		t.Fatalf("first page: %d cases, next link %v, want 50 and a link", len(first), m)
	}
	w = e.page("GET", "/staff/?after="+m[1], "", c)
	second := rows.FindAllStringSubmatch(w.Body.String(), -1)
	if len(second) != 10 || next.MatchString(w.Body.String()) || !strings.Contains(w.Body.String(), `<a href="/staff/?status=pending">`) {
		t.Errorf("second page: %d cases, want 10, no next link and a link to the first\n%s", len(second), w.Body)
	}
	if first[49][1] == second[0][1] {
		t.Error("a case shows on both pages")
	}
}

// Cases sent at the same moment are ordered by reference, so a cursor
// between them neither repeats nor skips one.
func TestCursorBetweenCasesOfOneMoment(t *testing.T) {
	e := newEnv(t, nil)
	for range 7 {
		e.submit(t) // the fake clock stands still
	}
	var got []string
	f := feedback.Filter{}
	for {
		page, next, err := feedback.CasesPage(context.Background(), e.db, f, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			got = append(got, c.Ref)
		}
		if next.IsZero() {
			break
		}
		if f.After, err = feedback.ParseCursor(next.String()); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for i, r := range got {
		if seen[r] || i > 0 && r <= got[i-1] {
			t.Fatalf("refs %v are not in order without repeats", got)
		}
		seen[r] = true
	}
	if len(got) != 7 {
		t.Errorf("%d cases over the pages, want 7", len(got))
	}
}

// BenchmarkStaffListFirstPage100k measures the first page of the staff
// API and of /staff/ over 100,000 open cases.
func BenchmarkStaffListFirstPage100k(b *testing.B) {
	e := newEnv(b, nil)
	fill(b, e, 100_000)
	c := &http.Cookie{}
	{
		w := e.page("POST", "/staff/login", "name=Zhang&token="+staffToken, nil)
		c = w.Result().Cookies()[0]
	}
	b.Run("api", func(b *testing.B) {
		for b.Loop() {
			if w := e.staff("GET", "/api/v1/staff/feedback", "", ""); w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			if w := e.page("GET", "/staff/", "", c); w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}

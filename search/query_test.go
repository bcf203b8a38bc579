package search

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []term
	}{
		{"", nil},
		{"   ", nil},
		{"停水", []term{{text: "停水", phrase: false}}},
		{"停车位 电梯", []term{{text: "停车位", phrase: false}, {text: "电梯", phrase: false}}},
		{"停车位\u3000电梯", []term{{text: "停车位", phrase: false}, {text: "电梯", phrase: false}}}, // ideographic space
		{`"water shutoff" notice`, []term{{text: "water shutoff", phrase: true}, {text: "notice", phrase: false}}},
		{`“停水 通知”`, []term{{text: "停水 通知", phrase: true}}},
		{`「停水通知」`, []term{{text: "停水通知", phrase: true}}},
		{`"unclosed phrase`, []term{{text: "unclosed phrase", phrase: true}}},
		{`"parking"`, []term{{text: "parking", phrase: false}}}, // one token: a word
		{"电梯 电梯", []term{{text: "电梯", phrase: false}}},
		{"the * ~ / :", nil}, // stop word and punctuation only
		{"x~2", []term{{text: "x~2", phrase: false}}},
		{"ab\x00cd", []term{{text: "ab", phrase: false}, {text: "cd", phrase: false}}},
		{"\xff\xfe停水", []term{{text: "停水", phrase: false}}},
		{"水", []term{{text: "水", char: "水"}}},
		{`"费"`, []term{{text: "费", char: "费"}}},
		{"水 x 停水", []term{{text: "水", char: "水"}, {text: "x"}, {text: "停水"}}},
		{`水 水 "水"`, []term{{text: "水", char: "水"}}},
		{`"parking" parking`, []term{{text: "parking", phrase: false}}},
	}
	for _, tc := range tests {
		got, err := parseQuery(tc.in)
		if err != nil {
			t.Errorf("parseQuery(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got.terms, tc.want) {
			t.Errorf("parseQuery(%q) = %#v, want %#v", tc.in, got.terms, tc.want)
		}
	}
}

// FuzzParseQuery checks that no input panics the parser or yields a query
// tree with a regexp, wildcard, fuzzy, prefix or query-string node, or a
// field outside the searchable set.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"停水", `"parking garage"`, "/(a+)+b/", "*a*", "x~2", "_id:x", "a\"b\"c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		pq, err := parseQuery(in)
		if err != nil {
			if !errors.Is(err, ErrQueryTooLong) && !errors.Is(err, ErrTooManyTerms) {
				t.Fatalf("parseQuery(%q): unexpected error %v", in, err)
			}
			if len(in) <= MaxQueryBytes && errors.Is(err, ErrQueryTooLong) {
				t.Fatalf("parseQuery(%q): %d bytes refused as too long", in, len(in))
			}
			return
		}
		if len(pq.terms) > MaxTerms {
			t.Fatalf("parseQuery(%q): %d terms", in, len(pq.terms))
		}
		for _, tm := range pq.terms {
			if tm.text == "" || !utf8.ValidString(tm.text) || strings.TrimSpace(tm.text) != tm.text {
				t.Fatalf("parseQuery(%q): bad term %q", in, tm.text)
			}
		}
		ids := []index.IndexInternalID{{0, 0, 0, 0, 0, 0, 0, 1}}
		for _, section := range []string{"", "notices"} {
			for _, relaxed := range []bool{false, true} {
				parts := newQueryParts(pq, section, relaxed, true)
				for _, q := range []query.Query{
					buildQuery(pq, section, relaxed, nil, time.Time{}),
					parts.candidates(&docTable{}, time.Time{}, 0, nil, nil),
					parts.phraseBonus(ids, &docTable{}, time.Time{}, nil),
					parts.display(ids),
				} {
					if err := checkQueryTree(q); err != nil {
						t.Fatalf("parseQuery(%q): %v", in, err)
					}
				}
			}
		}
	})
}

// TestRecencyFactor checks the recency bonus by a page's age in whole days:
// 0.2 for today and for an upcoming date, halving every 60 days, nothing
// for an undated page or after ten years; an expired notice keeps 0.8.
func TestRecencyFactor(t *testing.T) {
	day := int64(86400)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(days int64) int64 { return now.Unix() - days*day }
	tests := []struct {
		name string
		e    rankEntry
		want float64
	}{
		{"undated", rankEntry{}, 1},
		{"today", rankEntry{Date: at(0)}, 1.2},
		{"23 hours ago counts as today", rankEntry{Date: now.Unix() - 23*3600}, 1.2},
		{"upcoming", rankEntry{Date: at(-30)}, 1.2},
		{"60 days", rankEntry{Date: at(60)}, 1.1},
		{"120 days", rankEntry{Date: at(120)}, 1.05},
		{"ten years", rankEntry{Date: at(3650)}, 1},
		{"expired today", rankEntry{Date: at(0), Expired: true}, 1.2 * 0.8},
		{"expired, undated", rankEntry{Expired: true}, 0.8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := recencyFactor(tc.e, now); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("recencyFactor(%+v) = %v, want %v", tc.e, got, tc.want)
			}
		})
	}
}

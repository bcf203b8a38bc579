package search

import (
	"context"
	"testing"
)

// Residents must find the right page first, in Chinese and English.
func TestRelevance(t *testing.T) {
	x := openFixture(t, Options{})
	tests := []struct {
		name  string
		q     string
		first string // URL expected first; "" when nothing may match
		above [2]string
	}{
		{name: "停水 finds the notice that says 停水通知", q: "停水", first: "/notices/water-shutoff/"},
		{name: "电梯 finds the lift notice", q: "电梯", first: "/notices/lift-maintenance/"},
		{name: "parking finds the English parking page", q: "parking", first: "/parking/"},
		{name: "parking stems to park", q: "parked", first: "/parking/"},
		{name: "物业费 finds the fee disclosure", q: "物业费", first: "/fees/2026-q1/"},
		{name: "section fields are searchable", q: "中心花园", first: "/events/summer-party/"},
		{name: "tags are searchable", q: "消防", first: "/handbook/fire-safety/"},
		{name: "mixed Chinese and English", q: "visitor 登记", first: "/parking/"},
		{name: "full-width letters fold", q: "ＰＡＲＫＩＮＧ", first: "/parking/"},
		{name: "title match above body-only match", q: "垃圾分类",
			first: "/handbook/waste-sorting/", above: [2]string{"/handbook/waste-sorting/", "/newsletters/2026-02/"}},
		{name: "title match above repeated body match", q: "充电桩",
			above: [2]string{"/notices/charging/", "/newsletters/2026-01/"}},
		{name: "exact English phrase above scattered words", q: "bike storage",
			above: [2]string{"/handbook/bike-storage/", "/handbook/furniture/"}},
		{name: "quoted phrase above scattered words", q: `"bike storage"`, first: "/handbook/bike-storage/"},
		{name: "contiguous 停车位 above 停车 … 车位", q: "停车位",
			above: [2]string{"/notices/new-spaces/", "/notices/gate-change/"}},
		{name: "recent notice above an old identical one", q: "灭鼠",
			first: "/notices/pest-control-2026/", above: [2]string{"/notices/pest-control-2026/", "/notices/pest-control-2024/"}},
		{name: "current notice above expired one", q: "停水通知",
			above: [2]string{"/notices/water-shutoff/", "/notices/water-shutoff-2025/"}},
		{name: "one character finds the titles that hold it", q: "水",
			first: "/notices/water-shutoff/", above: [2]string{"/notices/water-shutoff/", "/notices/water-shutoff-2025/"}},
		{name: "one character of a word in titles, the shorter title first", q: "费",
			above: [2]string{"/notices/fee-reminder/", "/fees/2026-q1/"}},
		{name: "one character and a word", q: "梯 检修", first: "/notices/lift-maintenance/"},
		{name: "one character no title holds", q: "鲸"},
		{name: "nothing matches", q: "火星基地"},
		{name: "nothing matches in English", q: "xylophone"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := x.Search(context.Background(), Request{Q: tc.q})
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.q, err)
			}
			got := urls(res.Hits)
			if tc.first == "" && tc.above[0] == "" {
				if res.Total != 0 || len(got) != 0 {
					t.Fatalf("Search(%q) = %d hits %v, want none", tc.q, res.Total, got)
				}
				return
			}
			if tc.first != "" && (len(got) == 0 || got[0] != tc.first) {
				t.Errorf("Search(%q) first = %v, want %s first", tc.q, got, tc.first)
			}
			if tc.above[0] != "" {
				hi, lo := indexOf(res.Hits, tc.above[0]), indexOf(res.Hits, tc.above[1])
				if hi < 0 || lo < 0 || hi > lo {
					t.Errorf("Search(%q) = %v, want %s above %s", tc.q, got, tc.above[0], tc.above[1])
				}
			}
		})
	}
}

func TestExpiredNoticeFoundAndMarked(t *testing.T) {
	x := openFixture(t, Options{})
	res, err := x.Search(context.Background(), Request{Q: "2025年夏季停水"})
	if err != nil {
		t.Fatal(err)
	}
	i := indexOf(res.Hits, "/notices/water-shutoff-2025/")
	if i < 0 {
		t.Fatalf("expired notice not found: %v", urls(res.Hits))
	}
	if !res.Hits[i].Expired {
		t.Errorf("expired notice hit has Expired=false")
	}
	for _, h := range res.Hits {
		if h.URL != "/notices/water-shutoff-2025/" && h.Expired {
			t.Errorf("%s marked expired", h.URL)
		}
	}
}

func TestSectionFilterAndFacets(t *testing.T) {
	x := openFixture(t, Options{})
	all, err := x.Search(context.Background(), Request{Q: "停车"})
	if err != nil {
		t.Fatal(err)
	}
	if all.Facets["section"]["notices"] < 2 || all.Facets["section"]["fees"] != 1 {
		t.Errorf("facets = %v, want notices ≥ 2 and fees 1", all.Facets)
	}
	fees, err := x.Search(context.Background(), Request{Q: "停车", Section: "fees"})
	if err != nil {
		t.Fatal(err)
	}
	if fees.Total != 1 || fees.Hits[0].URL != "/fees/2026-q1/" {
		t.Errorf("section=fees: %d hits %v, want only /fees/2026-q1/", fees.Total, urls(fees.Hits))
	}
	if got, want := fees.Facets["section"]["notices"], all.Facets["section"]["notices"]; got != want {
		t.Errorf("facet counts with a section filter: notices = %d, want %d (unfiltered)", got, want)
	}
	none, err := x.Search(context.Background(), Request{Q: "停车", Section: "no-such-section"})
	if err != nil {
		t.Fatal(err)
	}
	if none.Total != 0 {
		t.Errorf("unknown section: %d hits, want 0", none.Total)
	}
}

func TestRelaxedWhenNoPageHasEveryWord(t *testing.T) {
	x := openFixture(t, Options{})
	res, err := x.Search(context.Background(), Request{Q: "电梯 xylophone"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Relaxed || len(res.Hits) == 0 || res.Hits[0].URL != "/notices/lift-maintenance/" {
		t.Errorf("relaxed=%v hits=%v, want relaxed with the lift notice first", res.Relaxed, urls(res.Hits))
	}
}

func TestHitFields(t *testing.T) {
	x := openFixture(t, Options{})
	res, err := x.Search(context.Background(), Request{Q: "电梯年度检修"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	h := res.Hits[0]
	if h.URL != "/notices/lift-maintenance/" || h.Title != "3号楼电梯年度检修" || h.Section != "notices" {
		t.Errorf("hit = %+v", h)
	}
	if !h.Date.Equal(daysAgo(5)) {
		t.Errorf("date = %v, want %v", h.Date, daysAgo(5))
	}
	if _, off := h.Date.Zone(); off != 8*3600 {
		t.Errorf("date lost its offset: %v", h.Date)
	}
	if h.Snippet == "" {
		t.Error("empty snippet")
	}
}

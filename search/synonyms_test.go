package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBuiltinSynonyms(t *testing.T) {
	s, err := ParseSynonyms("synonyms.txt", strings.NewReader(builtinSynonyms))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.groups) < 60 {
		t.Errorf("%d built-in groups, want at least 60", len(s.groups))
	}
	tab := newSynonymTable(nil)
	for _, w := range []string{"停水", "物业费", "维修基金", "电梯", "快递", "装修", "停车"} {
		if len(tab[w]) == 0 {
			t.Errorf("%s has no built-in synonyms", w)
		}
	}
}

func TestParseSynonyms(t *testing.T) {
	s, err := ParseSynonyms("syn.txt", strings.NewReader("\uFEFF# comment\n\n停水, 断水 / 暂停供水  # trailing\nLift elevator\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"停水", "断水", "暂停供水"}, {"lift", "elevator"}}
	if len(s.groups) != len(want) || !slices.Equal(s.groups[0], want[0]) || !slices.Equal(s.groups[1], want[1]) {
		t.Errorf("groups = %q, want %q", s.groups, want)
	}
}

func TestParseSynonymsErrorsAtTheirLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"停水, 断水\n停电\n", "syn.txt:2: a group needs at least two words"},
		{"# x\n\n停水, ！！\n", "syn.txt:3: \"！！\" has no word"},
		{"x y\n" + strings.Repeat("长", 30) + " b\n", "syn.txt:2: "},
		{"甲 乙 丙 丁 戊 己 庚 辛 壬 癸\n", "syn.txt:1: 10 words"},
		{"b \xff\n", "syn.txt:1: not UTF-8"},
	} {
		_, err := ParseSynonyms("syn.txt", strings.NewReader(tc.in))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ParseSynonyms(%q) = %v, want %s…", tc.in, err, tc.want)
		}
	}
}

func TestSynonymsExpandWordsNotPhrases(t *testing.T) {
	tab := newSynonymTable([][]string{{"lift", "elevator"}})
	pq, err := parseQuery(`停水 "物业费" LIFT 电瓶车充电`)
	if err != nil {
		t.Fatal(err)
	}
	pq = tab.expand(pq)
	texts := func(ts []term) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.text)
		}
		return out
	}
	if got := texts(pq.alts[0]); !slices.Contains(got, "暂停供水") {
		t.Errorf("停水 expands to %q, want 暂停供水 among them", got)
	}
	if len(pq.alts[1]) != 0 {
		t.Errorf("a quoted phrase expands to %q, want none", texts(pq.alts[1]))
	}
	if got := texts(pq.alts[2]); !slices.Equal(got, []string{"elevator"}) {
		t.Errorf("LIFT expands to %q, want the site's elevator", got)
	}
	if got := texts(pq.alts[3]); !slices.Contains(got, "电动自行车充电") {
		t.Errorf("电瓶车充电 expands to %q, want 电动自行车充电 among them", got)
	}
}

// A synonym finds the page, marked where it matched, below the page that
// says the word as asked.
func TestSynonymMatchRanksBelowExactAndIsMarked(t *testing.T) {
	docs := []Doc{
		{URL: "/a/", Title: "小区公告", Body: "本周三暂停供水，请提前储水。"},
		{URL: "/b/", Title: "小区公告", Body: "本周三停水，请提前储水。"},
		{URL: "/c/", Title: "小区公告", Body: "本周三电梯检修。"},
	}
	x := openDocs(t, docs, Options{})
	res, err := x.Search(context.Background(), Request{Q: "停水"})
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(res.Hits); !slices.Equal(got, []string{"/b/", "/a/"}) {
		t.Fatalf("停水 = %v, want /b/ then /a/", got)
	}
	if s := string(res.Hits[1].Snippet); !strings.Contains(s, "<mark>暂停供水</mark>") {
		t.Errorf("synonym snippet %q, want 暂停供水 marked", s)
	}
}

func TestSiteSynonyms(t *testing.T) {
	syn, err := ParseSynonyms("synonyms.txt", strings.NewReader("翠湖, 本小区\n"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	docs := []Doc{{URL: "/a/", Title: "本小区简介", Body: "介绍。"}}
	if err := Build(context.Background(), dir, docs, syn); err != nil {
		t.Fatal(err)
	}
	x, err := OpenWithOptions(dir, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	res, err := x.Search(context.Background(), Request{Q: "翠湖"})
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(res.Hits); !slices.Equal(got, []string{"/a/"}) {
		t.Errorf("翠湖 = %v, want the page that says 本小区", got)
	}
}

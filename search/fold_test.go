package search

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestFoldScript(t *testing.T) {
	for in, want := range map[string]string{
		"停車":        "停车",
		"颱風":        "台风",
		"業主大會 2027": "业主大会 2027",
		"停车位":       "停车位",
		"Lift 電梯":   "Lift 电梯",
		"":          "",
	} {
		if got := foldScript(in); got != want {
			t.Errorf("foldScript(%q) = %q, want %q", in, got, want)
		}
	}
}

// A query in either script finds a page in the other, and the page is
// shown in its own script.
func TestTraditionalAndSimplifiedFindEachOther(t *testing.T) {
	docs := []Doc{
		{URL: "/s/", Title: "停车管理", Body: "地下车库停车位登记。"},
		{URL: "/t/", Title: "電梯維修通知", Body: "本週三電梯暫停使用。"},
	}
	x := openDocs(t, docs, Options{})
	for _, tc := range []struct{ q, want, mark string }{
		{"停車位", "/s/", "<mark>停车位</mark>"},
		{"电梯", "/t/", "<mark>電梯</mark>"},
		{"暂停使用", "/t/", "<mark>暫停使用</mark>"},
	} {
		res, err := x.Search(context.Background(), Request{Q: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if got := urls(res.Hits); !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%s = %v, want %s", tc.q, got, tc.want)
			continue
		}
		if s := string(res.Hits[0].Snippet); !strings.Contains(s, tc.mark) {
			t.Errorf("%s: snippet %q, want %s", tc.q, s, tc.mark)
		}
	}
}

package search

import (
	"context"
	"slices"
	"testing"
)

// Words typed without a space between them find the page that holds them
// apart; a word that some page holds whole is not cut.
func TestWordsTypedTogetherFoundApart(t *testing.T) {
	docs := []Doc{
		{URL: "/dumplings/", Title: "冬至活动", Body: "冬至那天在会所包饺子。"},
		{URL: "/fees/", Title: "物业费", Body: "物业费每季度缴纳。"},
		{URL: "/other/", Title: "饺子馆", Body: "饺子。"},
	}
	x := openDocs(t, docs, Options{})
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"冬至饺子", []string{"/dumplings/"}},
		{"交物业费", []string{"/fees/"}}, // 交, a piece of one character, left out
		{"冬至活动", []string{"/dumplings/"}},
		{"火星基地", nil},
	} {
		res, err := x.Search(context.Background(), Request{Q: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if got := urls(res.Hits); !slices.Equal(got, tc.want) && !(len(got) == 0 && tc.want == nil) {
			t.Errorf("%s = %v, want %v", tc.q, got, tc.want)
		}
	}
}

package search

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestPinyinWords(t *testing.T) {
	x := newPinyinIndex([]string{"12月4日计划停水通知", "停水", "重阳节敬老活动", "绿化养护", "停車管理"})
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"tingshui", []string{"停水"}},
		{"tingshuitongzhi", []string{"停水通知"}},
		{"chongyang", []string{"重阳"}}, // 重 reads zhong or chong
		{"lvhua", []string{"绿化"}},     // ü typed as v
		{"luhua", []string{"绿化"}},     // or as u
		{"tingche", []string{"停车"}},   // Traditional titles read alike
		{"shui", nil},                 // one syllable: too many guesses
		{"tingshu", nil},              // syllables in full only
		{"xylophone", nil},
	} {
		if got := x.words(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("words(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestPinyinQuery(t *testing.T) {
	for in, want := range map[string]string{"tingshui": "tingshui", "Ting Shui": "tingshui", "xi'an": "xian"} {
		if got, ok := pinyinQuery(in); !ok || got != want {
			t.Errorf("pinyinQuery(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"停水", "ting2shui", "a", "tingshui!"} {
		if got, ok := pinyinQuery(in); ok {
			t.Errorf("pinyinQuery(%q) = %q, want no pinyin", in, got)
		}
	}
}

// Letters that find nothing as typed find the titles and tags they are
// the pinyin of, marked; letters that find pages as typed are not read
// as pinyin.
func TestPinyinSearch(t *testing.T) {
	docs := []Doc{
		{URL: "/water/", Title: "计划停水通知", Body: "本周三停水。"},
		{URL: "/lift/", Title: "电梯检修", Body: "电梯暂停使用。", Tags: []string{"电梯"}},
		{URL: "/en/", Title: "Parking", Body: "Dianti parking rules."},
	}
	x := openDocs(t, docs, Options{})
	for _, tc := range []struct {
		q, want, mark string
		pinyin        bool
	}{
		{"tingshui", "/water/", "<mark>停水</mark>", true},
		{"Ting Shui", "/water/", "<mark>停水</mark>", true},
		{"dianti", "/en/", "<mark>Dianti</mark>", false}, // a word of the site
		{"parking", "/en/", "<mark>parking</mark>", false},
	} {
		res, err := x.Search(context.Background(), Request{Q: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if got := urls(res.Hits); len(got) == 0 || got[0] != tc.want {
			t.Errorf("%s = %v, want %s first", tc.q, got, tc.want)
			continue
		}
		if (len(res.Pinyin) > 0) != tc.pinyin {
			t.Errorf("%s: Pinyin = %q, want read as pinyin %v", tc.q, res.Pinyin, tc.pinyin)
		}
		if s := string(res.Hits[0].Snippet); !strings.Contains(s, tc.mark) {
			t.Errorf("%s: snippet %q, want %s", tc.q, s, tc.mark)
		}
	}
}

package search

import (
	"context"
	"strings"
	"testing"
)

// A word of one character finds the pages whose text holds it, below the
// pages whose title holds it and below the pages that hold a longer word of
// the query, and the snippet marks it.
func TestOneCharacterInBodies(t *testing.T) {
	docs := []Doc{
		{URL: "/bill/", Title: "水费账单", Body: "本月账单已出，请按时缴纳。"},
		{URL: "/shutoff/", Title: "停水通知", Body: "因管网维修，暂停供水一天。"},
		{URL: "/pool/", Title: "游泳池开放", Body: "池水每日消毒，饮水机在东侧，池边水温28度，水深1.4米。泳池周一暂停开放。"},
		{URL: "/lift/", Title: "年度检查", Body: "9幢电梯年检将于下周进行。"},
		{URL: "/door/", Title: "单元门维修", Body: "3单元的门坏了，门锁也坏了，已派人维修。"},
		{URL: "/garage/", Title: "地下库房", Body: "停車場入口改在東側。"},
		{URL: "/english/", Title: "Water", Body: "The pool is open."},
	}
	x := openDocs(t, docs, Options{})
	for _, tc := range []struct {
		name, q string
		want    []string // in this order, and no other page
		mark    map[string]string
	}{
		{name: "a character in titles and bodies, title matches first", q: "水",
			want: []string{"/shutoff/", "/bill/", "/pool/"}, mark: map[string]string{"/pool/": "池<mark>水</mark>每日"}},
		{name: "a character only bodies hold", q: "坏", want: []string{"/door/"},
			mark: map[string]string{"/door/": "门<mark>坏</mark>了，门锁也<mark>坏</mark>了"}},
		{name: "a longer word of the query above a character of it", q: "电梯 坏", want: []string{"/lift/", "/door/"}},
		{name: "two characters, each somewhere on the page", q: "水 停", want: []string{"/shutoff/", "/pool/"},
			mark: map[string]string{"/pool/": "泳池周一暂<mark>停</mark>开放"}},
		{name: "a character and a word of the same page", q: "门 维修", want: []string{"/door/"}},
		{name: "a Simplified character finds a Traditional body", q: "车", want: []string{"/garage/"},
			mark: map[string]string{"/garage/": "停<mark>車</mark>場"}},
		{name: "a Traditional character finds it too", q: "東", want: []string{"/garage/", "/pool/"}},
		{name: "a character no page holds", q: "鲸"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := x.Search(context.Background(), Request{Q: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if got := urls(res.Hits); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("Search(%q) = %v, want %v", tc.q, got, tc.want)
			}
			for url, want := range tc.mark {
				if i := indexOf(res.Hits, url); i >= 0 && !strings.Contains(string(res.Hits[i].Snippet), want) {
					t.Errorf("Search(%q): snippet of %s = %q, want it to contain %q", tc.q, url, res.Hits[i].Snippet, want)
				}
			}
		})
	}
}

// The character field keeps the Chinese characters of a text, one a word,
// in Simplified script, and nothing else.
func TestUnigramAnalyzer(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := im.AnalyzerNamed(unigramAnalyzer)
	var got []string
	for _, tok := range a.Analyze([]byte("停車 3号楼 lift 电梯、ｗａｔｅｒ")) {
		got = append(got, string(tok.Term))
	}
	if want := "停 车 号 楼 电 梯"; strings.Join(got, " ") != want {
		t.Errorf("tokens %q, want %q", got, want)
	}
}

package msg

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

var (
	testUnknown = Message{En: "unknown key %q", Zh: "未知的键 %q"}
	testWrap    = Message{En: "cannot read %s: %v", Zh: "无法读取 %s：%v"}
)

func TestMessageIn(t *testing.T) {
	inner := testUnknown.Error("titel")
	outer := testWrap.Error("config.toml", inner)
	tests := []struct {
		lang Lang
		got  string
		want string
	}{
		{En, testUnknown.In(En, "titel"), `unknown key "titel"`},
		{Zh, testUnknown.In(Zh, "titel"), `未知的键 "titel"`},
		{En, ErrorIn(outer, En), `cannot read config.toml: unknown key "titel"`},
		{Zh, ErrorIn(outer, Zh), `无法读取 config.toml：未知的键 "titel"`},
		{Zh, ErrorIn(errors.New("plain"), Zh), "plain"},
		{Zh, testWrap.In(Zh, "a", testUnknown.Text("b")), `无法读取 a：未知的键 "b"`},
		{"", testUnknown.In("", "x"), `unknown key "x"`},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("lang %q: got %q, want %q", tc.lang, tc.got, tc.want)
		}
	}
	if outer.Error() != `cannot read config.toml: unknown key "titel"` {
		t.Errorf("Error() = %q, want English", outer.Error())
	}
	wrapped := testWrap.Error("x", fs.ErrNotExist)
	if !errors.Is(wrapped, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false, want true", wrapped)
	}
	if fmt.Sprint(Text{}) != "" || !(Text{}).IsZero() {
		t.Error("the zero Text should be empty")
	}
}

func TestParseLang(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"en", En, true},
		{"EN", En, true},
		{"en_US.UTF-8", En, true},
		{"zh-CN", Zh, true},
		{"zh_CN.UTF-8", Zh, true},
		{"zh", Zh, true},
		{" zh-cn ", Zh, true},
		{"zh-TW", "", false},
		{"fr", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := ParseLang(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

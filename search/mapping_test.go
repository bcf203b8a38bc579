package search

import (
	"slices"
	"testing"
)

// The analyzer chain: width folding, lowercase, English possessives and stop
// words, CJK bigrams, then Porter stemming.
func TestAnalyzer(t *testing.T) {
	a, err := analyzer()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want []string
	}{
		{"物业管理费2024年调整 Parking FEES；ＡＢＣ",
			[]string{"物业", "业管", "管理", "理费", "2024", "年调", "调整", "park", "fee", "abc"}},
		{"停水通知", []string{"停水", "水通", "通知"}},
		{"the residents' garden", []string{"resid", "garden"}},
		{"停車", []string{"停车"}}, // Traditional characters are folded to Simplified ones
		{"業主大會", []string{"业主", "主大", "大会"}},
	}
	for _, tc := range tests {
		var got []string
		for _, tok := range a.Analyze([]byte(tc.in)) {
			got = append(got, string(tok.Term))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Analyze(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMappingIsStatic(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	if im.DefaultMapping.Dynamic || im.IndexDynamic || im.StoreDynamic {
		t.Errorf("mapping is dynamic: %+v", im.DefaultMapping)
	}
	for name, sub := range im.DefaultMapping.Properties {
		for _, f := range sub.Fields {
			if f.IncludeInAll {
				t.Errorf("field %s is in _all", name)
			}
		}
	}
}

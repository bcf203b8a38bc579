package survey

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func testSurvey() *Survey {
	return &Survey{Slug: "s", Opens: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		Questions: []Question{
			{ID: "overall", Kind: Rating, Text: "总体", Labels: []string{"a", "b", "c", "d", "e"}},
			{ID: "come", Kind: Single, Text: "来吗", Options: []Option{{ID: "yes", Label: "会"}, {ID: "no", Label: "不会"}}},
			{ID: "prio", Kind: Multiple, Max: 2, Text: "优先", Options: []Option{{ID: "a", Label: "甲"}, {ID: "b", Label: "乙"}, {ID: "c", Label: "丙"}}},
			{ID: "extra", Kind: Single, Optional: true, Text: "可选", Options: []Option{{ID: "x", Label: "X"}, {ID: "y", Label: "Y"}}},
			{ID: "note", Kind: Text, MaxLength: 5, Text: "意见"},
		}}
}

func TestValidate(t *testing.T) {
	s := testSurvey()
	ok := map[string][]string{"q-overall": {"4"}, "q-come": {"yes"}, "q-prio": {"c", "a", "c"}}
	for _, tc := range []struct {
		name   string
		change map[string][]string
		errs   map[string]string
		want   Answers
	}{
		{"complete", nil, map[string]string{}, Answers{"overall": {"4"}, "come": {"yes"}, "prio": {"a", "c"}}},
		{"required left out", map[string][]string{"q-come": {"  "}}, map[string]string{"come": CodeRequired}, nil},
		{"not an option", map[string][]string{"q-come": {"maybe"}}, map[string]string{"come": CodeInvalid}, nil},
		{"two for a single", map[string][]string{"q-come": {"yes", "no"}}, map[string]string{"come": CodeInvalid}, nil},
		{"rating out of range", map[string][]string{"q-overall": {"6"}}, map[string]string{"overall": CodeInvalid}, nil},
		{"too many", map[string][]string{"q-prio": {"a", "b", "c"}}, map[string]string{"prio": CodeTooMany}, nil},
		{"text at the limit", map[string][]string{"q-note": {"五个汉字啊"}}, map[string]string{},
			Answers{"overall": {"4"}, "come": {"yes"}, "prio": {"a", "c"}, "note": {"五个汉字啊"}}},
		{"text too long", map[string][]string{"q-note": {"六个汉字啊啊"}}, map[string]string{"note": CodeTooLong}, nil},
		{"unknown field dropped", map[string][]string{"q-nope": {"1"}}, map[string]string{}, Answers{"overall": {"4"}, "come": {"yes"}, "prio": {"a", "c"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := map[string][]string{}
			for k, x := range ok {
				v[k] = x
			}
			for k, x := range tc.change {
				v[k] = x
			}
			got, errs := s.Validate(v)
			if !reflect.DeepEqual(errs, tc.errs) {
				t.Errorf("errors = %v, want %v", errs, tc.errs)
			}
			if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("answers = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckFindsEveryMistake(t *testing.T) {
	s := testSurvey()
	s.Closes = s.Opens
	s.Questions = append(s.Questions, Question{ID: "come", Kind: "scale", Text: ""}, Question{ID: "Bad ID", Kind: Multiple, Max: 9, Text: "x",
		Options: []Option{{ID: "a", Label: "A"}, {ID: "a"}}})
	var got []string
	for _, p := range s.Check() {
		got = append(got, p.Msg.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"is not after opens", `question id "come" is used twice`, `has kind "scale"`, `question "come" has no text`,
		`question id "Bad ID" must be lower-case`, `option id "a" is used twice`, `option "a" of question "Bad ID" has no label`, `max of question "Bad ID" is 9`} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	if p := testSurvey().Check(); len(p) != 0 {
		t.Errorf("a good survey has problems: %v", p)
	}
}

func TestPublishRoundsHalfUpAndWithholdsSmallCounts(t *testing.T) {
	r := &Results{Responses: 20, Households: 64, Questions: []QuestionCounts{
		{ID: "overall", Kind: Rating, Answered: 20, Options: []OptionCount{{ID: "1", Count: 0}, {ID: "2", Count: 1}, {ID: "3", Count: 1}, {ID: "4", Count: 11}, {ID: "5", Count: 7}}},
		{ID: "prio", Kind: Multiple, Answered: 8, Options: []OptionCount{{ID: "a", Count: 8}, {ID: "b", Count: 4}}},
		{ID: "few", Kind: Single, Answered: 4, Options: []OptionCount{{ID: "x", Count: 4}}},
	}}
	p := r.Publish()
	// 20 of 64 is 31.25%; the ratings add up to 2+3+44+35 = 84: 4.2.
	if p.Share != 31 || !p.HasShare || p.Responses.N != 20 {
		t.Errorf("share %d%%, responses %+v", p.Share, p.Responses)
	}
	q := p.Questions[0]
	if q.Average() != "4.2" || q.Options[3].Percent != 55 || !q.Options[1].Count.Hidden || q.Options[1].Percent != 0 {
		t.Errorf("overall = %+v", q)
	}
	if o := p.Questions[1].Options; o[0].Percent != 100 || !o[1].Count.Hidden {
		t.Errorf("prio = %+v", o)
	}
	if f := p.Questions[2]; !f.Answered.Hidden || !f.Options[0].Count.Hidden {
		t.Errorf("a question answered 4 times shows %+v", f)
	}
	// Half up: 81/20 = 4.05 reads 4.1; 1 of 8 is 12.5% and reads 13%.
	if got := (&Results{Questions: []QuestionCounts{{Kind: Rating, Answered: 20, Options: []OptionCount{{ID: "4", Count: 19}, {ID: "5", Count: 1}}}}}).Publish().Questions[0].Average(); got != "4.1" {
		t.Errorf("average of 4.05 = %s, want 4.1", got)
	}
	if got := percent(1, 8); got != 13 {
		t.Errorf("percent(1, 8) = %d, want 13", got)
	}
}

func TestCodes(t *testing.T) {
	re := regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`)
	seen := map[string]bool{}
	for range 5000 {
		c := NewCode()
		if !re.MatchString(c) || seen[c] {
			t.Fatalf("code %q: malformed or repeated", c)
		}
		seen[c] = true
	}
	h := HashCode("s", "7K2QM-X9D40")
	for _, typed := range []string{"7k2qm x9d4o", "7K2QMX9D40", " 7k2qm-x9d40 "} {
		if HashCode("s", typed) != h {
			t.Errorf("%q does not read as 7K2QM-X9D40", typed)
		}
	}
	if HashCode("other", "7K2QM-X9D40") == h || strings.Contains(h, "7K2QM") {
		t.Error("a code's hash is the same for another survey, or shows the code")
	}
}

// FuzzAnswerBody feeds arbitrary bodies through the handler's decoding
// and the survey's validation: nothing panics, and what would be stored
// is valid UTF-8 within the question's limits.
func FuzzAnswerBody(f *testing.F) {
	f.Add([]byte("q-overall=4&q-come=yes&q-prio=a&q-prio=b&q-note=%E5%A5%BD"), false)
	f.Add([]byte(`{"answers": {"overall": 4, "come": "yes", "prio": ["a"], "note": "\u597d"}}`), true)
	f.Add([]byte(`{"answers": {"prio": [1, 2]}}`), true)
	f.Add([]byte("q-note=%ff%fe"), false)
	s := testSurvey()
	f.Fuzz(func(t *testing.T, body []byte, isJSON bool) {
		p := posted{values: map[string][]string{}, json: isJSON}
		if !p.decode(body) {
			return
		}
		answers, _ := s.Validate(p.values)
		for id, got := range answers {
			q := s.Question(id)
			if q == nil {
				t.Fatalf("an answer to no question %q", id)
			}
			for _, v := range got {
				if !utf8.ValidString(v) {
					t.Fatalf("answer %q to %s is not UTF-8", v, id)
				}
				if q.Kind == Text && utf8.RuneCountInString(v) > q.Limit() {
					t.Fatalf("text answer of %d characters passed a limit of %d", utf8.RuneCountInString(v), q.Limit())
				}
			}
		}
	})
}

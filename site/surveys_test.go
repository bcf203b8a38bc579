package site_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
	"github.com/lobby-community/lobby/survey"
)

// surveySite is a site with one survey open at sitetest.Now, with every
// kind of question. Line numbers matter to the tests of build errors.
const surveySite = `
-- config.toml --
title = "翠湖花园"
baseURL = "https://example.org/"
language = "zh-CN"
timezone = "Asia/Shanghai"
[feedback]
enabled = true
-- content/surveys/2026-satisfaction.md --
+++
title = "满意度调查"
opens = 2026-11-20T08:00:00
closes = 2026-12-31T00:00:00
codes = true

[[questions]]
id = "overall"
kind = "rating"
text = "总体满意吗？"
labels = ["很不满意", "不满意", "一般", "满意", "很满意"]

[[questions]]
id = "repairs"
kind = "single"
text = "报修多久上门？"
options = [
  { id = "same-day", label = "当天" },
  { id = "later", label = "更久" },
]

[[questions]]
id = "priorities"
kind = "multiple"
max = 2
text = "优先改进？"
options = [
  { id = "security", label = "安保" },
  { id = "parking", label = "停车" },
  { id = "waste", label = "垃圾" },
]

[[questions]]
id = "comments"
kind = "text"
text = "其他意见"
+++

请每户填写一份。
`

func withFile(archive, name, data string) string {
	return archive + "-- " + name + " --\n" + data
}

func TestSurveyPageIsAFormThatWorksWithoutScript(t *testing.T) {
	r := sitetest.Build(t, surveySite)
	r.AssertFile("surveys/2026-satisfaction/index.html",
		`<form class="survey-form" action="/api/v1/surveys/2026-satisfaction/answers" method="post"`,
		`<input type="hidden" name="key" value="">`,
		`<input id="f-code" name="code" type="text" required`,
		`name="q-overall" value="1" required`,
		`<span class="rating-point">5</span> 很满意`,
		`type="radio" name="q-repairs" value="later"`,
		`type="checkbox" name="q-priorities" value="waste"`,
		`最多选 2 项。`,
		`<textarea id="f-comments" name="q-comments" rows="5" maxlength="500"`,
		`请每户填写一份。`,
		`进行中`,
		"! <script>",
	)
	r.AssertFile("surveys/2026-satisfaction/thanks/index.html", "问卷已提交，谢谢！", `href="/surveys/2026-satisfaction/"`)
	r.AssertFile("surveys/index.html", `<a href="/surveys/2026-satisfaction/">满意度调查</a>`, "进行中")
	r.AssertFile("index.html", `class="next-event home-survey"`, `<a class="button" href="/surveys/2026-satisfaction/">填写问卷</a>`)
	r.AssertFile("api/v1/site.json", `"name": "surveys"`, `"api": "/api/v1/surveys.json"`)
}

func TestSurveyBeforeOpensAndAfterClosesSaysSo(t *testing.T) {
	for _, tc := range []struct {
		name string
		now  time.Time
		want string
	}{
		{"before", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "本调查将于 2026年11月20日 08:00 开始"},
		{"after", time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), "本调查已于 2026年12月31日 00:00 结束"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := sitetest.BuildWith(t, surveySite, site.Options{Now: tc.now})
			r.AssertFile("surveys/2026-satisfaction/index.html", tc.want, "! <form class=\"survey-form\"")
			r.AssertFile("index.html", "! home-survey")
		})
	}
}

func TestSurveyOnAStaticHostOffersThePhone(t *testing.T) {
	r := sitetest.BuildWith(t, surveySite, site.Options{Now: sitetest.Now, Static: true})
	r.AssertFile("surveys/2026-satisfaction/index.html", "本站暂不能在线填写问卷", "! <form class=\"survey-form\"")
}

func TestSurveyAPIDocument(t *testing.T) {
	r := sitetest.Build(t, surveySite)
	var doc struct {
		State     string `json:"state"`
		Codes     bool   `json:"codes"`
		Questions []struct {
			ID      string `json:"id"`
			Options []struct{ ID, Label string }
		} `json:"questions"`
		Results *struct{} `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.File("api/v1/surveys/2026-satisfaction.json")), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.State != "open" || !doc.Codes || len(doc.Questions) != 4 || doc.Results != nil {
		t.Errorf("document = %+v, want an open survey with codes, 4 questions and no results", doc)
	}
	if got := doc.Questions[0].Options; len(got) != 5 || got[4].ID != "5" || got[4].Label != "很满意" {
		t.Errorf("rating options = %+v, want 1 to 5 with labels", got)
	}
}

func TestSurveyBuildErrorsAtTheirLines(t *testing.T) {
	bad := strings.NewReplacer(
		`kind = "single"`, `kind = "singel"`,
		`{ id = "parking", label = "停车" },`, `{ id = "security", label = "停车" },`,
		`max = 2`, `max = 4`,
		`"很满意"]`, `]`,
	).Replace(surveySite)
	got := strings.Join(sitetest.BuildE(t, bad), "\n")
	for _, want := range []string{
		`content/surveys/2026-satisfaction.md:11:1: rating question "overall" needs 5 labels`,
		`content/surveys/2026-satisfaction.md:15:1: question "repairs" has kind "singel"`,
		`content/surveys/2026-satisfaction.md:25:1: max of question "priorities" is 4, but it has 3 options`,
		`content/surveys/2026-satisfaction.md:29:3: option id "security" is used twice in question "priorities"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack\n%s\ngot:\n%s", want, got)
		}
	}
}

func TestSurveyUnknownQuestionKeyIsAnError(t *testing.T) {
	got := strings.Join(sitetest.BuildE(t, strings.Replace(surveySite, `text = "其他意见"`, `text = "其他意见"`+"\nmaxlength = 20", 1)), "\n")
	if !strings.Contains(got, `content/surveys/2026-satisfaction.md:37:1: unknown front matter key "questions.maxlength"`) {
		t.Errorf("got %s", got)
	}
}

// resultsFile is the results of surveySite: 12 households of 40 answered;
// one option and the text question were picked by fewer than five.
func resultsFile(t *testing.T) string {
	r := &survey.Results{Survey: "2026-satisfaction", GeneratedAt: time.Date(2027, 1, 2, 1, 0, 0, 0, time.UTC),
		Responses: 12, Households: 40, Questions: []survey.QuestionCounts{
			{ID: "overall", Kind: survey.Rating, Text: "总体满意吗？", Answered: 12, Options: []survey.OptionCount{
				oc("1", "很不满意", 0), oc("2", "不满意", 1), oc("3", "一般", 2), oc("4", "满意", 4), oc("5", "很满意", 5)}},
			{ID: "repairs", Kind: survey.Single, Text: "报修多久上门？", Answered: 11, Options: []survey.OptionCount{
				oc("same-day", "当天", 8), oc("later", "更久", 3)}},
			{ID: "priorities", Kind: survey.Multiple, Text: "优先改进？", Answered: 4, Options: []survey.OptionCount{
				oc("security", "安保", 3), oc("parking", "停车", 2), oc("waste", "垃圾", 1)}},
			{ID: "comments", Kind: survey.Text, Text: "其他意见", Answered: 3},
		}}
	return string(r.JSON())
}

func oc(id, label string, n int) survey.OptionCount {
	return survey.OptionCount{ID: id, Label: label, Count: n}
}

func TestSurveyResultsWithholdSmallCounts(t *testing.T) {
	archive := withFile(surveySite, "data/surveys/2026-satisfaction.json", resultsFile(t))
	r := sitetest.BuildWith(t, archive, site.Options{Now: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)})
	page := "surveys/2026-satisfaction/index.html"
	r.AssertFile(page,
		`回收答卷： <strong>12</strong>，占已发放住户码的 30%（共 40 户）`,
		// The average of 2·1 + 3·2 + 4·4 + 5·5 = 49 over 12 is 4.08: 4.1.
		`平均分 <strong>4.1</strong> / 5`,
		`role="img" aria-labelledby="survey-chart-overall"`,
		`很满意: 5 (42%)`,
		`满意: 5 (42%)`[3:], // the figure of 4 is withheld
		`不满意: 少于 5`,
		`当天: 8 (73%)`,
		`更久: 少于 5`,
		// A question answered four times withholds all its figures.
		`作答人数： 少于 5`,
		`安保: 少于 5`,
		`文字意见仅供物业内部阅读，不公开。`,
		`本调查已于`,
		"! 4 (33%)",
		"! 3 (27%)",
	)
	var doc struct {
		Results struct {
			Responses *int `json:"responses"`
			Share     *int `json:"share_percent"`
			Questions []struct {
				ID       string   `json:"id"`
				Answered *int     `json:"answered"`
				Average  *float64 `json:"average"`
				Options  []struct {
					ID      string `json:"id"`
					Count   *int   `json:"count"`
					Percent *int   `json:"percent"`
				} `json:"options"`
			} `json:"questions"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.File("api/v1/surveys/2026-satisfaction.json")), &doc); err != nil {
		t.Fatal(err)
	}
	res := doc.Results
	if res.Responses == nil || *res.Responses != 12 || res.Share == nil || *res.Share != 30 {
		t.Errorf("responses, share = %v, %v; want 12, 30", res.Responses, res.Share)
	}
	q := res.Questions[0]
	if q.Average == nil || *q.Average != 4.1 || q.Options[3].Count != nil || *q.Options[4].Count != 5 || *q.Options[4].Percent != 42 {
		t.Errorf("overall = %+v", q)
	}
	if p := res.Questions[2]; p.Answered != nil || p.Options[0].Count != nil {
		t.Errorf("priorities, answered 4 times, shows figures: %+v", p)
	}
	if strings.Contains(r.File("api/v1/surveys/2026-satisfaction.json"), "其他意见\"\n") {
		t.Error("the text question's answers reached the API")
	}
}

func TestSurveyOptionChangedAfterAnswersIsABuildError(t *testing.T) {
	archive := withFile(surveySite, "data/surveys/2026-satisfaction.json", resultsFile(t))
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"relabelled", `{ id = "later", label = "更久" },`, `{ id = "later", label = "三天以上" },`,
			`content/surveys/2026-satisfaction.md:19:3: option "later" of question "repairs" was "更久" when answers were counted`},
		{"removed", `  { id = "waste", label = "垃圾" },` + "\n", ``,
			`content/surveys/2026-satisfaction.md:23:1: option "waste" (垃圾) of question "priorities" has answers and cannot be removed`},
		{"question removed", "[[questions]]\nid = \"comments\"\nkind = \"text\"\ntext = \"其他意见\"\n", ``,
			`content/surveys/2026-satisfaction.md:8:1: question "comments" has answers`},
		{"rating label", `"满意", "很满意"]`, `"比较满意", "很满意"]`,
			`content/surveys/2026-satisfaction.md:11:1: label 4 of rating question "overall" was "满意"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(archive, tc.from) {
				t.Fatalf("the site has no %q", tc.from)
			}
			got := strings.Join(sitetest.BuildE(t, strings.Replace(archive, tc.from, tc.to, 1)), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("errors lack\n%s\ngot:\n%s", tc.want, got)
			}
		})
	}
	// An option added after answers is fine: the old ones still compare.
	sitetest.Build(t, strings.Replace(archive, `{ id = "later", label = "更久" },`, `{ id = "later", label = "更久" },`+"\n  { id = \"never\", label = \"没来\" },", 1))
}

func TestNewSurveyBuilds(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	rel, data, err := site.NewPage("survey", "2027 停车调查", sitetest.Now, loc)
	if err != nil {
		t.Fatal(err)
	}
	if rel != "content/surveys/2027-停车调查.md" {
		t.Errorf("path = %s", rel)
	}
	archive := "-- config.toml --\ntitle = \"T\"\nbaseURL = \"https://example.org/\"\ntimezone = \"Asia/Shanghai\"\n[feedback]\nenabled = true\n" +
		"-- " + rel + " --\n" + string(data)
	r := sitetest.BuildWith(t, archive, site.Options{Now: sitetest.Now.Add(48 * time.Hour), Drafts: true})
	r.AssertFile("surveys/2027-停车调查/index.html", `name="q-overall"`, `name="q-visits"`, `type="checkbox" name="q-priorities"`, `name="q-comments"`)
}

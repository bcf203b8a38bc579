package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/feedback/sqlite"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/survey"
)

// surveyCLISite writes surveyHTTPSite into a folder, with its feedback
// store in the folder's .lobby/.
func surveyCLISite(t *testing.T) string {
	files := map[string]string{}
	for _, f := range txtar.Parse([]byte(surveyHTTPSite)).Files {
		files[f.Name] = string(f.Data)
	}
	return writeSite(t, files)
}

func runSurvey(t *testing.T, dir string, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string {
		if k == "LOBBY_LANG" {
			return "en"
		}
		return ""
	}}
	c := &surveyCmd{env: e, now: func() time.Time { return time.Date(2026, 12, 20, 2, 0, 0, 0, time.UTC) }}
	if err := c.Run(context.Background(), append(args, "--source", dir)); err != nil {
		t.Fatalf("lobby survey %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

func openSurveyStore(t *testing.T, dir string) *sqlite.DB {
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, ".lobby", "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var slipRE = regexp.MustCompile(`<strong>([^<]+)</strong></p>\n<p class="code" aria-label="[^"]*">([^<]+)</p>`)

func TestSurveyCodesAreUniqueHashedAndOnTheSheet(t *testing.T) {
	dir := surveyCLISite(t)
	units := filepath.Join(dir, "units.txt")
	os.WriteFile(units, []byte("# 1 幢\n1-101\n1-102\n\n1-101\n2-201\n"), 0o644)
	sheetPath := filepath.Join(dir, "sheet.html")
	out, _ := runSurvey(t, dir, "codes", "coded", "--units", units, "--out", sheetPath)
	if !strings.Contains(out, "made 3 household codes") {
		t.Errorf("stdout = %q", out)
	}
	sheet, err := os.ReadFile(sheetPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(sheetPath); fi.Mode().Perm() != 0o600 {
		t.Errorf("the sheet is %v, want readable by its owner only", fi.Mode().Perm())
	}
	slips := slipRE.FindAllStringSubmatch(string(sheet), -1)
	if len(slips) != 3 {
		t.Fatalf("%d slips on the sheet, want 3", len(slips))
	}
	db := openSurveyStore(t, dir)
	stored, err := db.Codes(context.Background(), "coded")
	if err != nil {
		t.Fatal(err)
	}
	byUnit := map[string]string{}
	for _, c := range stored {
		byUnit[c.Unit] = c.Hash
	}
	seen := map[string]bool{}
	for _, s := range slips {
		unit, code := s[1], s[2]
		if seen[code] || !regexp.MustCompile(`^[0-9A-Z]{5}-[0-9A-Z]{5}$`).MatchString(code) {
			t.Errorf("code %q: repeated or malformed", code)
		}
		seen[code] = true
		if byUnit[unit] != survey.HashCode("coded", code) {
			t.Errorf("unit %s: stored hash %q is not the hash of its code", unit, byUnit[unit])
		}
		// The slip's QR code encodes the URL that opens the form with the
		// code filled in: the sheet holds exactly the QR code of that URL.
		target := "https://example.org/api/v1/surveys/coded/form?code=" + url.QueryEscape(code)
		qr, err := site.QRCode(target)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(sheet), string(qr)) {
			t.Errorf("unit %s: the sheet has no QR code of %s", unit, target)
		}
	}
	db.Close()
	// The store holds hashes, never the codes.
	for _, name := range []string{"feedback.db", "feedback.db-wal"} {
		data, _ := os.ReadFile(filepath.Join(dir, ".lobby", name))
		for code := range seen {
			if bytes.Contains(data, []byte(code)) || bytes.Contains(data, []byte(survey.NormalizeCode(code))) {
				t.Errorf("%s holds the code %s", name, code)
			}
		}
	}
	// Run again with a new unit: only it gets a code.
	os.WriteFile(units, []byte("1-101\n1-102\n2-201\n3-301\n"), 0o644)
	out, errOut := runSurvey(t, dir, "codes", "coded", "--units", units, "--out", sheetPath)
	sheet, _ = os.ReadFile(sheetPath)
	if !strings.Contains(out, "made 1 household codes") || !strings.Contains(errOut, "3 units have a code already") || len(slipRE.FindAllString(string(sheet), -1)) != 1 {
		t.Errorf("second run: %q %q, %d slips", out, errOut, len(slipRE.FindAllString(string(sheet), -1)))
	}
}

func TestSurveyResultsMatchAHandCount(t *testing.T) {
	dir := surveyCLISite(t)
	db := openSurveyStore(t, dir)
	ctx := context.Background()
	var codes []survey.Code
	for i := range 40 {
		codes = append(codes, survey.Code{Unit: fmt.Sprintf("u%d", i), Hash: fmt.Sprintf("h%d", i), CreatedAt: time.Now()})
	}
	if err := db.AddCodes(ctx, "coded", codes); err != nil {
		t.Fatal(err)
	}
	// 23 generated answers; the hand count below tallies them apart from
	// the code under test.
	rng := rand.New(rand.NewPCG(1, 2))
	prio := []string{"security", "parking", "waste"}
	ratings := map[string]int{}
	picks := map[string]int{}
	answeredPrio, sum, textCount := 0, 0, 0
	const n = 23
	for i := range n {
		a := survey.Answers{}
		rating := 1 + rng.IntN(5)
		a["overall"] = []string{fmt.Sprint(rating)}
		ratings[fmt.Sprint(rating)]++
		sum += rating
		if rng.IntN(4) > 0 {
			answeredPrio++
			for _, p := range prio {
				if rng.IntN(2) == 0 {
					a["priorities"] = append(a["priorities"], p)
					picks[p]++
				}
			}
			if len(a["priorities"]) == 0 {
				a["priorities"] = []string{"waste"}
				picks["waste"]++
			}
		}
		if i%3 == 0 {
			a["comments"] = []string{"=HYPERLINK(\"http://x\")"}
			textCount++
		}
		r := &survey.Response{Survey: "coded", Respondent: fmt.Sprintf("code:h%d", i), Answers: a, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if _, _, err := db.SaveAnswer(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	runSurvey(t, dir, "results", "coded")
	data, err := os.ReadFile(filepath.Join(dir, "data", "surveys", "coded.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := survey.ParseResults(data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Responses != n || r.Households != 40 || r.Questions[0].Answered != n || r.Questions[1].Answered != answeredPrio || r.Questions[2].Answered != textCount {
		t.Fatalf("results %+v", r)
	}
	for _, o := range r.Questions[0].Options {
		if o.Count != ratings[o.ID] {
			t.Errorf("rating %s: %d, counted by hand %d", o.ID, o.Count, ratings[o.ID])
		}
	}
	for _, o := range r.Questions[1].Options {
		if o.Count != picks[o.ID] {
			t.Errorf("option %s: %d, counted by hand %d", o.ID, o.Count, picks[o.ID])
		}
	}
	if strings.Contains(string(data), "HYPERLINK") {
		t.Error("the results file holds a text answer")
	}

	// The next build publishes them; figures against the hand count.
	s, err := site.Build(os.DirFS(dir), lobby.Theme(), site.Options{Now: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	page := string(s.Files["surveys/coded/index.html"])
	avg := math.Round(float64(sum)/n*10) / 10
	want := []string{
		fmt.Sprintf("回收答卷： <strong>%d</strong>，占已发放住户码的 %d%%（共 40 户）", n, int(math.Round(100*float64(n)/40))),
		fmt.Sprintf("平均分 <strong>%.1f</strong> / 5", avg),
	}
	for id, c := range ratings {
		if c >= 5 {
			want = append(want, fmt.Sprintf("%s (%d%%)", fmt.Sprint(c), int(math.Round(100*float64(c)/n))))
		}
		_ = id
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	if strings.Contains(page, "HYPERLINK") || strings.Contains(string(s.Files["api/v1/surveys/coded.json"]), "HYPERLINK") {
		t.Error("a text answer reached the site")
	}
	var doc struct {
		Results struct {
			Questions []struct {
				Average *float64 `json:"average"`
			} `json:"questions"`
		} `json:"results"`
	}
	json.Unmarshal(s.Files["api/v1/surveys/coded.json"], &doc)
	if got := doc.Results.Questions[0].Average; got == nil || *got != avg {
		t.Errorf("API average = %v, want %v", got, avg)
	}

	// The export has every answer, with the formula defused.
	out, _ := runSurvey(t, dir, "export", "coded")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 || len(rows[0]) != 6 || rows[0][3] != "overall" {
		t.Fatalf("export: %d rows, header %v", len(rows), rows[0])
	}
	if rows[1][5] != `'=HYPERLINK("http://x")` {
		t.Errorf("text cell = %q, want the formula defused", rows[1][5])
	}
}

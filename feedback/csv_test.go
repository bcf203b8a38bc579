package feedback_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

func TestCSVInjectionCells(t *testing.T) {
	tests := map[string]string{
		`=HYPERLINK("http://x")`: `"'=HYPERLINK(""http://x"")"`,
		`+1`:                     `"'+1"`,
		`-2+3`:                   `"'-2+3"`,
		`@SUM(1)`:                `"'@SUM(1)"`,
		"\t=1":                   "\"'\t=1\"",
		"\r=1":                   "\"'\r=1\"",
		"\n=1":                   "\"'\n=1\"",
		`a,=1+2`:                 `"a,=1+2"`,
		`=1+2";=1+2`:             `"'=1+2"";=1+2"`,
		`+86 138 0000 0000`:      `"'+86 138 0000 0000"`,
		`王芳`:                     `"王芳"`,
		``:                       `""`,
	}
	for in, want := range tests {
		var c feedback.Case
		c.Name = in
		var buf bytes.Buffer
		if err := feedback.WriteCSV(&buf, []*feedback.Case{&c}, nil); err != nil {
			t.Fatal(err)
		}
		row := strings.Split(strings.TrimPrefix(buf.String(), "\uFEFF"), "\r\n")[1]
		cells := strings.SplitN(row, `","`, 7)
		got := `"` + cells[5] + `"`
		if got != want {
			t.Errorf("name %q written as %s, want %s", in, got, want)
		}
	}
}

func TestCSVExportReadsBack(t *testing.T) {
	at := time.Date(2026, 3, 1, 1, 30, 0, 0, time.UTC)
	names := []string{`=HYPERLINK("http://x")`, `+1`, `-2+3`, `@SUM(1)`, "\t=1", "\r=1", `a,=1+2`, `=1+2";=1+2`, "张伟"}
	var cases []*feedback.Case
	for i, n := range names {
		c := feedback.NewCase(feedback.Submission{Category: feedback.CategoryInquiry, Name: n, Contact: "+86 138 0013 8000",
			Message: "第一行，\"引号\"\n第二行", Consent: true}, at)
		c.Ref = feedback.RefAlphabet[i : i+8]
		c.Apply(feedback.Change{Status: feedback.StatusInProgress, Note: "已联系业主"}, at.Add(time.Hour))
		cases = append(cases, c)
	}
	var buf bytes.Buffer
	if err := feedback.WriteCSV(&buf, cases, time.FixedZone("CST", 8*3600)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()[3:]))
	rows, err := r.ReadAll() // also checks every row has the header's column count
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(names)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(names)+1)
	}
	for i, row := range rows[1:] {
		if name := row[5]; strings.ContainsAny(name[:1], "=+-@\t\r\n") {
			t.Errorf("row %d: name %q starts with a formula character", i, name)
		}
		if row[7] != "'+86 138 0013 8000" || row[8] != "第一行，\"引号\"\n第二行" {
			t.Errorf("row %d: contact %q message %q", i, row[7], row[8])
		}
		if row[1] != "2026-03-01 09:30:00" || !strings.Contains(row[9], "2026-03-01 10:30:00 in_progress: 已联系业主") {
			t.Errorf("row %d: created %q history %q", i, row[1], row[9])
		}
	}
	if rows[9][5] != "张伟" {
		t.Errorf("Chinese name read back as %q", rows[9][5])
	}
}

package feedback_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/lobby-community/lobby/feedback"
)

// FuzzFormHandler posts arbitrary bodies and content types: the answer is
// always one the contract names, never a 5xx, and whatever is stored is
// clean UTF-8 text.
func FuzzFormHandler(f *testing.F) {
	f.Add("category=repair&message=hi&consent=on", formType)
	f.Add(`{"category":"praise","message":"谢谢","consent":true}`, jsonType)
	f.Add(`{"category":"praise","message":"\u0000","consent":true}`, jsonType)
	f.Add("message=%ff%fe&consent=on&category=inquiry", formType)
	f.Add("website=x", formType)
	f.Add(`{"key":"k","message":1}`, "application/json; charset=latin1")
	f.Add("x", "text/plain")
	e := newEnv(f, nil)
	allowed := map[int]bool{200: true, 201: true, 303: true, 400: true, 413: true, 415: true, 422: true, 429: true}
	f.Fuzz(func(t *testing.T, body, ctype string) {
		w := e.do("POST", "/api/v1/feedback", ctype, body)
		if !allowed[w.Code] {
			t.Fatalf("status %d for %q (%q)\n%s", w.Code, body, ctype, w.Body)
		}
		var ref string
		switch w.Code {
		case 201:
			ref, _ = jsonBody(t, w)["ref"].(string)
		case 303:
			ref = strings.TrimPrefix(w.Header().Get("Location"), "/feedback/thanks/?ref=")
		default:
			return
		}
		c, err := e.db.Case(context.Background(), ref)
		if feedback.ErrorCode(err) == feedback.ENOTFOUND {
			return // the honeypot: nothing stored
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{string(c.Category), c.Name, c.Unit, c.Contact, c.Message} {
			if !utf8.ValidString(s) {
				t.Errorf("stored invalid UTF-8 %q", s)
			}
			for _, r := range s {
				if unicode.IsControl(r) && r != '\n' && r != '\t' {
					t.Errorf("stored a control character in %q", s)
				}
			}
		}
	})
}

// FuzzCSVCell checks that any text makes one CSV field that reads back as
// written, and that a leading formula character always gets the ' prefix.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"\u202E=1+2", "a\u200Bb", `=HYPERLINK("http://x")`, "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", "a,=1+2", `=1+2";=1+2`, "王\r\n芳", `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := &feedback.Case{Name: s}
		var buf bytes.Buffer
		if err := feedback.WriteCSV(&buf, []*feedback.Case{c}, nil); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
		if err != nil || len(rows) != 2 || len(rows[1]) != len(rows[0]) {
			t.Fatalf("%q: rows %q, err %v", s, rows, err)
		}
		got := rows[1][5]
		if want := strings.ReplaceAll(feedback.CSVCell(s), "\r\n", "\n"); got != want {
			t.Errorf("%q read back as %q, want %q", s, got, want)
		}
		if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) && !strings.HasPrefix(got, "'") {
			t.Errorf("%q read back as %q without the ' prefix", s, got)
		}
		if i := strings.IndexFunc(got, func(r rune) bool {
			return unicode.Is(unicode.Bidi_Control, r) || unicode.Is(unicode.Join_Control, r) || r == '\u200B' || r == '\uFEFF'
		}); i >= 0 {
			t.Errorf("%q read back as %q, with an invisible character at %d", s, got, i)
		}
	})
}

package feedback

import (
	"bufio"
	"io"
	"strings"
	"time"
)

// csvHeader is the first row of an export.
var csvHeader = []string{"ref", "created_at", "updated_at", "status", "category", "name", "unit", "contact", "message", "history",
	"first_response_at", "resolved_at", "verdict", "verdict_via", "verdict_comment"}

// CSVCell makes s safe for a spreadsheet: bidirectional controls and
// zero-width characters become visible \uXXXX escapes (cases stored
// before they were cleaned out may hold them), and a cell that starts
// with = + - @, a tab, CR or LF gets a leading ' so that it is read as
// text, never as a formula (OWASP CSV injection).
func CSVCell(s string) string {
	s = EscapeInvisible(s)
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes cases as CSV for spreadsheets: UTF-8 with a byte-order
// mark (so Excel reads Chinese), CRLF line ends, every cell quoted and made
// safe by CSVCell. Times are shown in loc (nil means UTC); the history
// column has one line per event, staff notes included.
func WriteCSV(w io.Writer, cases []*Case, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("\uFEFF")
	writeCSVRow(bw, csvHeader)
	const layout = "2006-01-02 15:04:05"
	for _, c := range cases {
		var hist []string
		for _, ev := range c.History {
			line := ev.At.In(loc).Format(layout) + " " + string(ev.Status)
			if ev.By != "" {
				line += " (" + ev.By + ")"
			}
			if ev.Verdict != "" {
				line += " [" + string(ev.Verdict) + ", " + string(ev.Via) + "]"
			}
			if ev.Note != "" {
				line += ": " + ev.Note
			}
			hist = append(hist, line)
		}
		at := func(t time.Time, ok bool) string {
			if !ok {
				return ""
			}
			return t.In(loc).Format(layout)
		}
		fu, _ := c.FollowUp()
		writeCSVRow(bw, []string{
			c.Ref, c.CreatedAt.In(loc).Format(layout), c.UpdatedAt.In(loc).Format(layout),
			string(c.Status), string(c.Category), c.Name, c.Unit, c.Contact, c.Message,
			strings.Join(hist, "\n"),
			at(c.FirstResponse()), at(c.Resolved()), string(fu.Verdict), string(fu.Via), fu.Comment,
		})
	}
	return bw.Flush()
}

// writeCSVRow writes one row with every cell quoted ("" inside).
func writeCSVRow(w *bufio.Writer, cells []string) {
	for i, cell := range cells {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('"')
		w.WriteString(strings.ReplaceAll(CSVCell(cell), `"`, `""`))
		w.WriteByte('"')
	}
	w.WriteString("\r\n")
}

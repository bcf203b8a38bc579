package survey

import (
	"bufio"
	"io"
	"strings"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// WriteCSV writes every answer to s as CSV for spreadsheets, as the
// feedback export does: UTF-8 with a byte-order mark, CRLF line ends,
// every cell quoted, and a cell that a spreadsheet would take for a
// formula defused (feedback.CSVCell). One row per answer, numbered in the
// order they came; a choice question's cell holds the labels picked, a
// rating's its point, a text question's the text. Units and codes are
// left out: the answers are read without knowing whose they are.
func WriteCSV(w io.Writer, s *Survey, responses []*Response, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("\uFEFF")
	head := []string{"number", "answered_at", "changed_at"}
	for _, q := range s.Questions {
		head = append(head, q.ID)
	}
	writeRow(bw, head)
	const layout = "2006-01-02 15:04:05"
	for i, r := range responses {
		row := []string{itoa(i + 1), r.CreatedAt.In(loc).Format(layout), r.UpdatedAt.In(loc).Format(layout)}
		for _, q := range s.Questions {
			got := r.Answers[q.ID]
			switch q.Kind {
			case Text, Rating:
				row = append(row, strings.Join(got, "\n"))
			default:
				var labels []string
				for _, id := range got {
					label := id
					for _, o := range q.Options {
						if o.ID == id {
							label = o.Label
						}
					}
					labels = append(labels, label)
				}
				row = append(row, strings.Join(labels, "; "))
			}
		}
		writeRow(bw, row)
	}
	return bw.Flush()
}

func writeRow(w *bufio.Writer, cells []string) {
	for i, c := range cells {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('"')
		w.WriteString(strings.ReplaceAll(feedback.CSVCell(c), `"`, `""`))
		w.WriteByte('"')
	}
	w.WriteString("\r\n")
}

func itoa(n int) string { return sprintf("%d", n) }

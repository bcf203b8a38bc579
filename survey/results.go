package survey

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
)

// Results are a survey's counts as `lobby survey results` writes them to
// data/surveys/SLUG.json, for staff to commit: every count, small ones
// too, and never the text of an answer. The build publishes them through
// Publish, which withholds the small counts.
type Results struct {
	Survey      string    `json:"survey"`
	GeneratedAt time.Time `json:"generated_at"`
	// Responses is the number of answers stored (one per household or
	// browser).
	Responses int `json:"responses"`
	// Households is the number of household codes made; 0 for a survey
	// without codes.
	Households int              `json:"households"`
	Questions  []QuestionCounts `json:"questions"`
}

// QuestionCounts are the counts of one question: how many answers gave
// it one, and for a choice or rating question how many picked each option
// (ratings as options "1" to "5"), with the question's text and labels as
// they were, so that a later change to them can be found.
type QuestionCounts struct {
	ID       string        `json:"id"`
	Kind     Kind          `json:"kind"`
	Text     string        `json:"text"`
	Answered int           `json:"answered"`
	Options  []OptionCount `json:"options,omitempty"`
}

// OptionCount is how many answers picked one option.
type OptionCount struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Tally counts answers to s. households is the number of codes made (0
// without codes).
func Tally(s *Survey, answers []Answers, households int, at time.Time) *Results {
	r := &Results{Survey: s.Slug, GeneratedAt: at.UTC().Truncate(time.Second), Responses: len(answers), Households: households,
		Questions: make([]QuestionCounts, len(s.Questions))}
	for i := range s.Questions {
		q := &s.Questions[i]
		qc := QuestionCounts{ID: q.ID, Kind: q.Kind, Text: q.Text}
		index := map[string]int{}
		if q.Kind != Text {
			for j, c := range q.Choices() {
				qc.Options = append(qc.Options, OptionCount{ID: c.ID, Label: c.Label})
				index[c.ID] = j
			}
		}
		for _, a := range answers {
			got := a[q.ID]
			if len(got) == 0 {
				continue
			}
			qc.Answered++
			for _, id := range got {
				if j, ok := index[id]; ok {
					qc.Options[j].Count++
				}
			}
		}
		r.Questions[i] = qc
	}
	return r
}

// ParseResults reads a results file.
func ParseResults(data []byte) (*Results, error) {
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("not a results file: %v", err)
	}
	return &r, nil
}

// JSON encodes r as a results file: indented, with a final newline, so
// that a commit's diff shows what changed.
func (r *Results) JSON() []byte {
	b, _ := json.MarshalIndent(r, "", "  ") // nothing in Results fails to encode
	return append(b, '\n')
}

// Figure is a published count: Hidden when fewer than Fewer answers make
// it, and then N is 0.
type Figure struct {
	N      int
	Hidden bool
}

func figure(n int) Figure {
	if n < Fewer {
		return Figure{Hidden: true}
	}
	return Figure{N: n}
}

// Published are results as the site shows them: small counts withheld,
// percentages and average ratings computed, free text left out.
type Published struct {
	Responses Figure
	// Households is the number of codes made (0: no codes), and Share
	// the percentage of them that answered, when Households > 0 and
	// Responses is shown.
	Households int
	Share      int
	HasShare   bool
	Questions  []PublishedQuestion
	// GeneratedAt is when staff counted the answers.
	GeneratedAt time.Time
}

// PublishedQuestion is one question's published results.
type PublishedQuestion struct {
	ID       string
	Kind     Kind
	Text     string
	Answered Figure
	Options  []PublishedOption
	// AverageTenths is a rating question's average in tenths (42 for
	// 4.2), when HasAverage.
	AverageTenths int
	HasAverage    bool
}

// Average returns the average rating as text with one decimal ("4.2").
func (q PublishedQuestion) Average() string {
	return fmt.Sprintf("%d.%d", q.AverageTenths/10, q.AverageTenths%10)
}

// PublishedOption is one option's published count and its percentage of
// the question's answers (rounded half up), unless Count is hidden.
type PublishedOption struct {
	ID      string
	Label   string
	Count   Figure
	Percent int
}

// Publish applies the rules of publication to r: a count below Fewer is
// withheld, and so is everything of a question answered fewer than Fewer
// times; text questions show only how many answered them.
func (r *Results) Publish() *Published {
	p := &Published{Responses: figure(r.Responses), Households: r.Households, GeneratedAt: r.GeneratedAt}
	if r.Households > 0 && !p.Responses.Hidden {
		p.Share, p.HasShare = percent(r.Responses, r.Households), true
	}
	for _, qc := range r.Questions {
		pq := PublishedQuestion{ID: qc.ID, Kind: qc.Kind, Text: qc.Text, Answered: figure(qc.Answered)}
		sum := 0
		for _, o := range qc.Options {
			po := PublishedOption{ID: o.ID, Label: o.Label, Count: figure(o.Count)}
			if pq.Answered.Hidden {
				po.Count = Figure{Hidden: true}
			} else if !po.Count.Hidden {
				po.Percent = percent(o.Count, qc.Answered)
			}
			if qc.Kind == Rating {
				var v int
				fmt.Sscan(o.ID, &v)
				sum += v * o.Count
			}
			if qc.Kind != Text {
				pq.Options = append(pq.Options, po)
			}
		}
		if qc.Kind == Rating && !pq.Answered.Hidden {
			// round(10 * sum / answered), half up, in integers.
			pq.AverageTenths = (20*sum + qc.Answered) / (2 * qc.Answered)
			pq.HasAverage = true
		}
		p.Questions = append(p.Questions, pq)
	}
	return p
}

// percent is 100*n/of rounded half up; 0 when of is 0.
func percent(n, of int) int {
	if of <= 0 {
		return 0
	}
	return (200*n + of) / (2 * of)
}

// Question returns the published results of the question with the id, or
// nil.
func (p *Published) Question(id string) *PublishedQuestion {
	for i := range p.Questions {
		if p.Questions[i].ID == id {
			return &p.Questions[i]
		}
	}
	return nil
}

// Change is a difference between a survey's questions and the results
// counted under them, which would make the results incomparable.
type Change struct {
	Question int // index in the survey's questions, -1 for a question removed
	Option   int // index in the question's options, -1 when about the question
	Msg      msg.Text
}

// Changes returns how s's questions differ from those r was counted
// under: a question removed or of another kind, an option removed or
// relabelled, a rating's labels changed. Adding questions and options is
// no change: results of the old ones still compare.
func (r *Results) Changes(s *Survey) []Change {
	var out []Change
	for _, qc := range r.Questions {
		qi := -1
		for i := range s.Questions {
			if s.Questions[i].ID == qc.ID {
				qi = i
			}
		}
		if qi < 0 {
			out = append(out, Change{Question: -1, Option: -1, Msg: msgQuestionGone.Text(qc.ID, r.Survey)})
			continue
		}
		q := &s.Questions[qi]
		if q.Kind != qc.Kind {
			out = append(out, Change{Question: qi, Option: -1, Msg: msgKindChanged.Text(qc.ID, string(qc.Kind), string(q.Kind))})
			continue
		}
		choices := q.Choices()
		for _, oc := range qc.Options {
			oi := -1
			for j, c := range choices {
				if c.ID == oc.ID {
					oi = j
				}
			}
			switch {
			case oi < 0:
				out = append(out, Change{Question: qi, Option: -1, Msg: msgOptionGone.Text(oc.ID, oc.Label, qc.ID)})
			case choices[oi].Label != oc.Label && q.Kind == Rating:
				out = append(out, Change{Question: qi, Option: -1, Msg: msgRatingRelabel.Text(oc.ID, qc.ID, oc.Label, choices[oi].Label)})
			case choices[oi].Label != oc.Label:
				out = append(out, Change{Question: qi, Option: oi, Msg: msgOptionRelabel.Text(oc.ID, qc.ID, oc.Label, choices[oi].Label)})
			}
		}
	}
	return out
}

// Package survey is the domain of residents' surveys: a survey's questions
// as its content file declares them, the checks on them, residents'
// answers and their validation, household codes, and the results that are
// published. It knows nothing of the site or of HTTP serving; site reads
// surveys from content files, cmd wires the handler to a store.
package survey

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lobby-community/lobby/internal/msg"
)

// Kind is the kind of a question.
type Kind string

// The kinds of question.
const (
	Single   Kind = "single"   // one option
	Multiple Kind = "multiple" // up to Max options
	Rating   Kind = "rating"   // 1 to 5, with a label for each
	Text     Kind = "text"     // free text, optional, at most MaxLength characters; never published
)

// Limits on what a survey may declare.
const (
	// RatingPoints is the number of points of a rating question.
	RatingPoints = 5
	// DefaultMaxLength is a text question's limit when it sets none.
	DefaultMaxLength = 500
	// MaxMaxLength bounds a text question's limit: answers are read by
	// staff, not stored as essays.
	MaxMaxLength = 2000
	// MaxQuestions bounds a survey's questions, and MaxOptions a
	// question's options: a form a resident finishes on a phone.
	MaxQuestions = 50
	MaxOptions   = 30
	// Fewer is the count below which a published figure is withheld, so
	// that a small group's answers cannot be told apart.
	Fewer = 5
)

// Option is one answer a choice question offers. ID is stable: results
// are counted by it, and once answers exist it may not be removed or its
// label changed.
type Option struct {
	ID    string `toml:"id" yaml:"id" json:"id"`
	Label string `toml:"label" yaml:"label" json:"label"`
}

// Question is one question of a survey, as its content file declares it.
type Question struct {
	ID   string `toml:"id" yaml:"id" json:"id"`
	Kind Kind   `toml:"kind" yaml:"kind" json:"kind"`
	Text string `toml:"text" yaml:"text" json:"text"`
	// Help is an optional line under the question.
	Help string `toml:"help" yaml:"help" json:"help,omitempty"`
	// Options are a choice question's answers.
	Options []Option `toml:"options" yaml:"options" json:"options,omitempty"`
	// Max is how many options a multiple choice question takes at most;
	// 0 means all of them.
	Max int `toml:"max" yaml:"max" json:"max,omitempty"`
	// Labels are a rating question's five labels, for 1 to 5.
	Labels []string `toml:"labels" yaml:"labels" json:"labels,omitempty"`
	// MaxLength is a text question's limit in characters.
	MaxLength int `toml:"max_length" yaml:"max_length" json:"max_length,omitempty"`
	// Optional lets a resident leave the question out. Text questions are
	// always optional.
	Optional bool `toml:"optional" yaml:"optional" json:"optional"`
}

// Required reports whether an answer must give the question an answer.
func (q *Question) Required() bool { return !q.Optional && q.Kind != Text }

// Limit returns a text question's limit in characters.
func (q *Question) Limit() int {
	if q.MaxLength > 0 {
		return q.MaxLength
	}
	return DefaultMaxLength
}

// MaxChoices returns how many options a multiple choice question takes.
func (q *Question) MaxChoices() int {
	if q.Max > 0 && q.Max < len(q.Options) {
		return q.Max
	}
	return len(q.Options)
}

// Choices returns what a resident picks from: the options of a choice
// question, or the points of a rating ("1" to "5") with their labels.
func (q *Question) Choices() []Option {
	if q.Kind != Rating {
		return q.Options
	}
	out := make([]Option, RatingPoints)
	for i := range out {
		out[i] = Option{ID: fmt.Sprint(i + 1)}
		if i < len(q.Labels) {
			out[i].Label = q.Labels[i]
		}
	}
	return out
}

// Survey is a survey as its content file declares it.
type Survey struct {
	// Slug names the survey in URLs, the store and the results file.
	Slug  string
	Title string
	// Opens and Closes are when answers are taken: from Opens, until
	// before Closes.
	Opens, Closes time.Time
	// Codes says that every answer needs a household code.
	Codes     bool
	Questions []Question
}

// State is where a survey stands at a moment.
type State string

// The states of a survey.
const (
	Upcoming State = "upcoming"
	Open     State = "open"
	Closed   State = "closed"
)

// StateAt returns the survey's state at now.
func (s *Survey) StateAt(now time.Time) State {
	switch {
	case now.Before(s.Opens):
		return Upcoming
	case !now.Before(s.Closes):
		return Closed
	}
	return Open
}

// Question returns the question with the id, or nil.
func (s *Survey) Question(id string) *Question {
	for i := range s.Questions {
		if s.Questions[i].ID == id {
			return &s.Questions[i]
		}
	}
	return nil
}

// Problem is a mistake in a survey's declaration. Question and Option are
// indexes (-1 when the problem is not about one) and Key the key at fault,
// so that the site can place it at its line.
type Problem struct {
	Question int
	Option   int
	Key      string
	Msg      msg.Text
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// Check returns the mistakes in s's declaration: missing or repeated ids,
// unknown kinds, choice questions without options, rating questions
// without five labels, a window that closes before it opens.
func (s *Survey) Check() []Problem {
	var out []Problem
	add := func(q, o int, key string, m msg.Message, args ...any) {
		out = append(out, Problem{Question: q, Option: o, Key: key, Msg: m.Text(args...)})
	}
	if s.Opens.IsZero() {
		add(-1, -1, "opens", msgNoOpens)
	}
	if s.Closes.IsZero() {
		add(-1, -1, "closes", msgNoCloses)
	} else if !s.Opens.IsZero() && !s.Closes.After(s.Opens) {
		add(-1, -1, "closes", msgClosesEarly, s.Closes.Format(time.DateTime), s.Opens.Format(time.DateTime))
	}
	if len(s.Questions) == 0 {
		add(-1, -1, "questions", msgNoQuestions)
	}
	if len(s.Questions) > MaxQuestions {
		add(-1, -1, "questions", msgTooManyQ, MaxQuestions, len(s.Questions))
	}
	seen := map[string]bool{}
	for i := range s.Questions {
		q := &s.Questions[i]
		switch {
		case q.ID == "":
			add(i, -1, "id", msgNoID, i+1)
		case !idRE.MatchString(q.ID):
			add(i, -1, "id", msgBadID, q.ID)
		case seen[q.ID]:
			add(i, -1, "id", msgDupID, q.ID)
		}
		seen[q.ID] = true
		if strings.TrimSpace(q.Text) == "" {
			add(i, -1, "text", msgNoText, q.ID)
		}
		switch q.Kind {
		case Single, Multiple:
			if len(q.Options) < 2 {
				add(i, -1, "options", msgFewOptions, q.Kind, q.ID)
			}
			if len(q.Options) > MaxOptions {
				add(i, -1, "options", msgManyOptions, q.ID, MaxOptions, len(q.Options))
			}
			opts := map[string]bool{}
			for j, o := range q.Options {
				switch {
				case o.ID == "":
					add(i, j, "options", msgNoOptionID, j+1, q.ID)
				case !idRE.MatchString(o.ID):
					add(i, j, "options", msgBadOptionID, o.ID, q.ID)
				case opts[o.ID]:
					add(i, j, "options", msgDupOptionID, o.ID, q.ID)
				}
				opts[o.ID] = true
				if strings.TrimSpace(o.Label) == "" {
					add(i, j, "options", msgNoLabel, o.ID, q.ID)
				}
			}
			if q.Kind == Single && q.Max != 0 {
				add(i, -1, "max", msgMaxOnSingle, q.ID)
			}
			if q.Max < 0 || (q.Max > len(q.Options) && len(q.Options) > 0) {
				add(i, -1, "max", msgMaxRange, q.ID, q.Max, len(q.Options))
			}
		case Rating:
			if len(q.Labels) != RatingPoints {
				add(i, -1, "labels", msgRatingLabels, q.ID, RatingPoints)
			}
		case Text:
			if q.MaxLength < 0 || q.MaxLength > MaxMaxLength {
				add(i, -1, "max_length", msgMaxLength, q.ID, MaxMaxLength)
			}
		default:
			add(i, -1, "kind", msgBadKind, q.ID, q.Kind)
		}
		if q.Kind != Single && q.Kind != Multiple && len(q.Options) > 0 {
			add(i, -1, "options", msgOptionsOnKind, q.Kind)
		}
		if q.Kind != Text && q.MaxLength != 0 {
			add(i, -1, "max_length", msgLengthOnKind, q.Kind)
		}
		if q.Kind != Rating && len(q.Labels) > 0 {
			add(i, -1, "labels", msgLabelsOnKind, q.Kind)
		}
	}
	return out
}

// Answers are one resident's answers: for each question answered, the
// option ids picked (a rating is one of "1" to "5"; a text question's
// answer is its text).
type Answers map[string][]string

// FieldName is the form field of the question with the id.
func FieldName(id string) string { return "q-" + id }

// Validate reads a resident's answers from form values (FieldName of each
// question) and returns them, with a message code for each question at
// fault: CodeRequired, CodeInvalid, CodeTooMany or CodeTooLong. Answers
// to questions s does not have are dropped.
func (s *Survey) Validate(values map[string][]string) (Answers, map[string]string) {
	out := Answers{}
	errs := map[string]string{}
	for i := range s.Questions {
		q := &s.Questions[i]
		var got []string
		for _, v := range values[FieldName(q.ID)] {
			if v = strings.TrimSpace(v); v != "" {
				got = append(got, v)
			}
		}
		if len(got) == 0 {
			if q.Required() {
				errs[q.ID] = CodeRequired
			}
			continue
		}
		switch q.Kind {
		case Text:
			t := strings.ToValidUTF8(strings.Join(got, "\n"), "")
			if utf8.RuneCountInString(t) > q.Limit() {
				errs[q.ID] = CodeTooLong
				continue
			}
			out[q.ID] = []string{t}
		default:
			valid := map[string]bool{}
			for _, c := range q.Choices() {
				valid[c.ID] = true
			}
			picked := map[string]bool{}
			var ids []string
			bad := false
			for _, v := range got {
				if !valid[v] {
					bad = true
					break
				}
				if !picked[v] {
					picked[v] = true
					ids = append(ids, v)
				}
			}
			switch {
			case bad:
				errs[q.ID] = CodeInvalid
			case q.Kind != Multiple && len(ids) > 1:
				errs[q.ID] = CodeInvalid
			case q.Kind == Multiple && len(ids) > q.MaxChoices():
				errs[q.ID] = CodeTooMany
			default:
				// Options in the question's order, so that equal answers
				// are stored alike.
				var ordered []string
				for _, c := range q.Choices() {
					if picked[c.ID] {
						ordered = append(ordered, c.ID)
					}
				}
				out[q.ID] = ordered
			}
		}
	}
	return out, errs
}

// Message codes of Validate and of the handler.
const (
	CodeRequired = "required"
	CodeInvalid  = "invalid"
	CodeTooMany  = "too_many"
	CodeTooLong  = "too_long"
	CodeCode     = "code"   // a household code is missing or unknown
	CodeClosed   = "closed" // the survey is not open
	CodeUnread   = "unreadable"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

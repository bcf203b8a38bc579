package site

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/goccy/go-yaml"

	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/survey"
)

// frontMatter is the front matter of a content file as written, before
// dates are placed in the site's time zone.
type frontMatter struct {
	Title       string         `toml:"title" yaml:"title"`
	Date        fmTime         `toml:"date" yaml:"date"`
	Lastmod     fmTime         `toml:"lastmod" yaml:"lastmod"`
	Draft       bool           `toml:"draft" yaml:"draft"`
	PublishDate fmTime         `toml:"publishDate" yaml:"publishDate"`
	ExpiryDate  fmTime         `toml:"expiryDate" yaml:"expiryDate"`
	Tags        []string       `toml:"tags" yaml:"tags"`
	Summary     string         `toml:"summary" yaml:"summary"`
	Weight      int            `toml:"weight" yaml:"weight"`
	Slug        string         `toml:"slug" yaml:"slug"`
	Aliases     []string       `toml:"aliases" yaml:"aliases"`
	Params      map[string]any `toml:"params" yaml:"params"`

	// notices/
	Urgency string `toml:"urgency" yaml:"urgency"`
	Expires fmTime `toml:"expires" yaml:"expires"`
	Pinned  bool   `toml:"pinned" yaml:"pinned"`
	// events/
	Start     fmTime `toml:"start" yaml:"start"`
	End       fmTime `toml:"end" yaml:"end"`
	Location  string `toml:"location" yaml:"location"`
	Organizer string `toml:"organizer" yaml:"organizer"`
	// newsletters/
	Issue int `toml:"issue" yaml:"issue"`
	// fees/
	Period       string    `toml:"period" yaml:"period"`
	Currency     string    `toml:"currency" yaml:"currency"`
	Income       []FeeItem `toml:"income" yaml:"income"`
	Expense      []FeeItem `toml:"expense" yaml:"expense"`
	TotalIncome  Amount    `toml:"total_income" yaml:"total_income"`
	TotalExpense Amount    `toml:"total_expense" yaml:"total_expense"`
	Fund         Fund      `toml:"fund" yaml:"fund"`
	// surveys/
	Opens     fmTime            `toml:"opens" yaml:"opens"`
	Closes    fmTime            `toml:"closes" yaml:"closes"`
	Codes     bool              `toml:"codes" yaml:"codes"`
	Questions []survey.Question `toml:"questions" yaml:"questions"`
}

var frontMatterType = reflect.TypeFor[frontMatter]()

// sectionKeys lists the front matter keys that belong to one section only.
var sectionKeys = map[string]string{
	"urgency": "notices", "expires": "notices", "pinned": "notices",
	"start": "events", "end": "events", "location": "events", "organizer": "events",
	"issue":  "newsletters",
	"period": "fees", "currency": "fees", "income": "fees", "expense": "fees",
	"total_income": "fees", "total_expense": "fees", "fund": "fees",
	"opens": "surveys", "closes": "surveys", "codes": "surveys", "questions": "surveys",
}

// Front matter formats.
const (
	formatTOML = "toml"
	formatYAML = "yaml"
)

// parsedFrontMatter is front matter with what is needed to place later
// errors (a fee total, a date) at their lines.
type parsedFrontMatter struct {
	frontMatter
	format   string
	raw      string // the front matter text
	line     int    // the file line just before the front matter text
	bodyLine int    // the file line where the body starts
	keys     []string
}

// keyPos returns the file line and column of a top-level or dotted key, or
// the front matter's first line when it cannot be found.
func (fm *parsedFrontMatter) keyPos(key string, index ...int) (int, int) {
	var line, col int
	if fm.format == formatTOML {
		line, col = findTOMLKey(fm.raw, strings.Split(key, "."), index...)
	} else {
		line, col = findYAMLKey(fm.raw, strings.Split(key, "."), index...)
	}
	if line == 0 {
		return fm.line + 1, 0
	}
	return fm.line + line, col
}

// splitFrontMatter cuts src (already cleaned) into its front matter and body.
// A file without front matter is an error: every page needs a title.
func splitFrontMatter(src []byte) (format string, fm []byte, body []byte, bodyLine int, err error) {
	var delim []byte
	switch {
	case bytes.HasPrefix(src, []byte("+++\n")) || bytes.Equal(src, []byte("+++")):
		format, delim = formatTOML, []byte("+++")
	case bytes.HasPrefix(src, []byte("---\n")) || bytes.Equal(src, []byte("---")):
		format, delim = formatYAML, []byte("---")
	default:
		return "", nil, nil, 0, newError("", 1, 1, msgNoFrontMatter)
	}
	rest := src[len(delim):]
	if len(rest) > 0 {
		rest = rest[1:]
	}
	// Find the closing delimiter line.
	off := 0
	for off <= len(rest) {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+end]
		}
		if bytes.Equal(bytes.TrimRight(l, " \t"), delim) {
			fm = rest[:off]
			bodyStart := off + len(l)
			if end >= 0 {
				bodyStart++
			}
			body = rest[bodyStart:]
			bodyLine = 2 + bytes.Count(fm, []byte("\n")) + 1
			return format, fm, body, bodyLine, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return "", nil, nil, 0, newError("", 1, 1, msgFrontMatterOpen, delim)
}

// parseFrontMatter parses the front matter of a cleaned content file. Every
// problem is returned in the ErrorList, located at its line in the file
// (path is filled in by the caller). section decides which section keys are
// allowed.
func parseFrontMatter(src []byte, section string) (*parsedFrontMatter, []byte, error) {
	format, raw, body, bodyLine, err := splitFrontMatter(src)
	if err != nil {
		return nil, nil, ErrorList{err.(*Error)}
	}
	fm := &parsedFrontMatter{format: format, raw: string(raw), line: 1, bodyLine: bodyLine}
	if len(raw) > maxFrontMatterBytes {
		return nil, nil, ErrorList{frontMatterTooLarge(len(raw))}
	}
	var errs ErrorList
	if format == formatTOML {
		if e := checkTOMLNesting(string(raw)); e != nil {
			e.Line += fm.line
			return nil, nil, ErrorList{e}
		}
		md, err := toml.Decode(string(raw), &fm.frontMatter)
		if err != nil {
			return nil, nil, ErrorList{locateValue(tomlError(err, "", string(raw), 1, frontMatterType).(*Error), string(raw), 1)}
		}
		for _, k := range md.Keys() {
			fm.keys = append(fm.keys, k.String())
		}
		unknown := 0
		for _, k := range md.Undecoded() {
			if k[0] == "params" || (len(k) > 1 && sectionKeys[k[0]] != "" && sectionKeys[k[0]] != section) {
				continue // free-form, or reported below as a misplaced section key
			}
			if unknown++; unknown > maxKeyErrors {
				break
			}
			line, col := findTOMLKey(string(raw), k)
			errs = append(errs, unknownKey(formatTOML, k.String(), fm.line+line, col))
		}
	} else {
		file, e := parseYAMLLimited(raw)
		if e != nil {
			e.Line += fm.line
			return nil, nil, ErrorList{locateValue(e, string(raw), fm.line)}
		}
		if len(file.Docs) > 0 && file.Docs[0].Body != nil {
			if err := yaml.NodeToValue(file.Docs[0].Body, &fm.frontMatter, yaml.DisallowUnknownField()); err != nil {
				return nil, nil, ErrorList{locateValue(yamlError(err, string(raw), fm.line), string(raw), fm.line)}
			}
		}
		fm.keys = yamlTopKeys(file)
		sort.Strings(fm.keys)
	}
	for _, k := range fm.keys {
		top := strings.SplitN(k, ".", 2)[0]
		if want := sectionKeys[top]; want != "" && want != section && k == top {
			line, col := fm.keyPos(top)
			errs = append(errs, newError("", line, col, msgSectionKey, top, want))
		}
	}
	if strings.TrimSpace(fm.Title) == "" {
		line, col := fm.keyPos("title")
		errs = append(errs, newError("", line, col, msgPageTitleRequired))
	}
	return fm, body, errs.err()
}

// errs of parseFrontMatter are of two kinds: a front matter that cannot be
// decoded gives no page at all (fm is nil); unknown or misplaced keys and a
// missing title still give a page, so that its body is checked too.

// unknownKey is the error for a front matter key lobby does not know, in
// a file of format (TOML or YAML).
func unknownKey(format, key string, line, col int) *Error {
	params := "[params]"
	if format == formatYAML {
		params = "params:"
	}
	if s := suggestKey(key); s != "" {
		return newError("", line, col, msgUnknownFMKeySuggest, key, s, params)
	}
	return newError("", line, col, msgUnknownFMKey, key, params)
}

// knownKeys are the top-level keys of frontMatter, for suggestions.
var knownKeys = slices.DeleteFunc(tomlKeys(frontMatterType, ""), func(k string) bool { return strings.Contains(k, ".") })

// suggestKey returns the known key closest to key, when one is close.
func suggestKey(key string) string {
	if len(key) > 40 {
		return "" // far from every known key, and slow to compare
	}
	best, bestD := "", 3
	for _, k := range knownKeys {
		if d := editDistance(strings.ToLower(key), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

var yamlPosRE = regexp.MustCompile(`^\[(\d+):(\d+)\] `)

var yamlFieldRE = regexp.MustCompile(`unknown field "([^"]*)"`)

// yamlError locates a YAML decoding error of src (the front matter) in the
// file, and says what is wrong in lobby's words where it can: an unknown
// key with the known key it is closest to, a value its key cannot hold.
func yamlError(err error, src string, lineOffset int) *Error {
	var bad *badValue
	if errors.As(err, &bad) {
		// A date or amount refused by lobby's own type: the decoder does
		// not say where, so find the line that holds the value.
		for i, l := range strings.Split(src, "\n") {
			key, value, ok := yamlLineKey(l)
			if ok && strings.Trim(value, `"'`) == bad.raw {
				t, _ := valueMessage(formatYAML, bad.kind, key, bad.raw)
				return &Error{Line: lineOffset + i + 1, Col: strings.Index(l, value) + 1, Msg: t.In(msg.En), Text: t}
			}
		}
	}
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		text := yerr.GetMessage()
		if tok := yerr.GetToken(); tok != nil && tok.Position != nil {
			line, col := tok.Position.Line, tok.Position.Column
			if m := yamlFieldRE.FindStringSubmatch(text); m != nil {
				return unknownKey(formatYAML, m[1], lineOffset+line, col)
			}
			e := &Error{Line: lineOffset + line, Col: col, Msg: text}
			lines := strings.Split(src, "\n")
			var typeErr *yaml.TypeError
			var nodeErr *yaml.UnexpectedNodeTypeError
			if line >= 1 && line <= len(lines) && (errors.As(err, &typeErr) || errors.As(err, &nodeErr)) {
				if key, value, ok := yamlLineKey(lines[line-1]); ok {
					path := append(yamlParents(lines, line), key)
					if t, ok := valueMessage(formatYAML, keyKind(frontMatterType, path), key, value); ok {
						e.Text, e.Msg = t, t.In(msg.En)
					}
				}
			}
			if e.Text.IsZero() {
				e.Text = msgYAMLSyntax.Text(text)
				e.Msg = e.Text.In(msg.En)
			}
			return e
		}
		err = errors.New(text)
	}
	text := err.Error()
	if m := yamlPosRE.FindStringSubmatch(text); m != nil {
		var line, col int
		fmt.Sscan(m[1], &line)
		fmt.Sscan(m[2], &col)
		t := msgYAMLSyntax.Text(strings.SplitN(text[len(m[0]):], "\n", 2)[0])
		return &Error{Line: lineOffset + line, Col: col, Msg: t.In(msg.En), Text: t}
	}
	first := strings.SplitN(text, "\n", 2)[0]
	return &Error{Line: lineOffset + 1, Msg: first}
}

var yamlKeyLineRE = regexp.MustCompile(`^\s*(?:-\s+)?([A-Za-z0-9_]+)\s*:\s*(.*?)\s*$`)

// yamlLineKey returns the key a YAML line sets and its value as written.
func yamlLineKey(l string) (key, value string, ok bool) {
	m := yamlKeyLineRE.FindStringSubmatch(l)
	if m == nil {
		return "", "", false
	}
	value = m[2]
	if !strings.HasPrefix(value, `"`) && !strings.HasPrefix(value, "'") {
		value = strings.TrimSpace(strings.SplitN(value, " #", 2)[0])
	}
	return m[1], value, true
}

// yamlParents returns the keys of the mappings that line (1-based) of
// lines stands in, outermost first, by their indentation.
func yamlParents(lines []string, line int) []string {
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " -")) }
	var parents []string
	cur := indent(lines[line-1])
	for i := line - 2; i >= 0 && cur > 0; i-- {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		if ind := indent(lines[i]); ind < cur {
			if key, _, ok := yamlLineKey(lines[i]); ok {
				parents = append([]string{key}, parents...)
			}
			cur = ind
		}
	}
	return parents
}

var quotedRE = regexp.MustCompile(`"([^"]+)"`)

// locateValue moves an error without a line (a bad value reported by an
// unmarshaler) to the first line of src that holds the quoted value.
func locateValue(e *Error, src string, lineOffset int) *Error {
	m := quotedRE.FindStringSubmatch(e.Msg)
	if m == nil || e.Line > lineOffset+1 || !e.Text.IsZero() {
		return e
	}
	for i, l := range strings.Split(src, "\n") {
		if j := strings.Index(l, m[1]); j >= 0 {
			c := *e
			c.Line = lineOffset + i + 1
			c.Col = 0
			return &c
		}
	}
	return e
}

// findYAMLKey finds the line and column of a (possibly nested) YAML key by
// its indentation; index picks the n-th item of a sequence of mappings.
func findYAMLKey(src string, key []string, index ...int) (int, int) {
	depth, indent := 0, -1
	seq := -1
	want := -1
	if len(index) > 0 {
		want = index[0]
	}
	for i, l := range strings.Split(src, "\n") {
		t := strings.TrimLeft(l, " ")
		ind := len(l) - len(t)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if depth > 0 && ind <= indent && !strings.HasPrefix(t, "- ") {
			return 0, 0
		}
		if strings.HasPrefix(t, "- ") && depth > 0 {
			seq++
			t = strings.TrimPrefix(t, "- ")
			ind += 2
		}
		if strings.HasPrefix(t, key[depth]+":") && ind > indent {
			if depth == len(key)-1 && (want < 0 || depth == 0 || seq == want) {
				return i + 1, ind + 1
			}
			if depth < len(key)-1 {
				depth, indent = depth+1, ind
			}
		}
	}
	return 0, 0
}

// fmTime is a date or date-time as written in front matter: a TOML date,
// a TOML date-time with or without an offset, or a string in one of those
// forms. Values without an offset are in the site's time zone, which is
// only known later, so the wall clock is kept and resolved by in.
type fmTime struct {
	t     time.Time
	local bool // no offset was written: the wall clock is in the site's zone
	set   bool
	raw   string
}

// UnmarshalTOML implements toml.Unmarshaler.
func (ft *fmTime) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case time.Time:
		name := v.Location().String()
		*ft = fmTime{t: v, set: true, local: name == "datetime-local" || name == "date-local"}
		if name == "time-local" {
			return msgTimeOfDayOnly.Error()
		}
		return nil
	case string:
		return ft.parse(v)
	default:
		return fmt.Errorf("%v is not a date: write a date such as 2026-12-01 or 2026-12-01T09:00:00+08:00", v)
	}
}

// UnmarshalYAML implements yaml.InterfaceUnmarshaler. Dates are decoded as
// text, because the YAML decoder turns an invalid date into a zero time
// without an error.
func (ft *fmTime) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err != nil {
		return err
	}
	return ft.parse(s)
}

var timeLayouts = []struct {
	layout string
	local  bool
}{
	{time.RFC3339Nano, false},
	{"2006-01-02T15:04:05", true},
	{"2006-01-02 15:04:05Z07:00", false},
	{"2006-01-02 15:04:05", true},
	{"2006-01-02T15:04Z07:00", false},
	{"2006-01-02T15:04", true},
	{"2006-01-02 15:04", true},
	{"2006-01-02", true},
}

func (ft *fmTime) parse(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		*ft = fmTime{}
		return nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			*ft = fmTime{t: t, local: l.local, set: true, raw: s}
			return nil
		}
	}
	return &badValue{raw: s, kind: kindDate, why: fmt.Sprintf("%q is not a date: write a date such as 2026-12-01 or 2026-12-01T09:00:00+08:00", s)}
}

// in returns the time, placing a time written without an offset in loc.
func (ft fmTime) in(loc *time.Location) time.Time {
	if !ft.set {
		return time.Time{}
	}
	if ft.local {
		t := ft.t
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	return ft.t.In(loc)
}

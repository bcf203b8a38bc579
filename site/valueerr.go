package site

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
)

// valueMessage returns the message for a value raw (as written, without
// quotes) that key, of kind k, cannot hold, showing the key written
// correctly in format's syntax; ok is false when there is nothing more
// useful to say than the parser's own text.
func valueMessage(format string, k kind, key, raw string) (t msg.Text, ok bool) {
	set := func(v string) string {
		if format == formatYAML {
			return key + ": " + v
		}
		return key + " = " + v
	}
	switch k {
	case kindDate:
		return dateMessage(key, raw, set), true
	case kindText:
		return msgNeedsQuotes.Text(key, set(strconv.Quote(raw))), true
	case kindBool:
		return msgNeedsBool.Text(key, set("true")), true
	case kindInt:
		return msgNeedsInt.Text(key, set("10")), true
	case kindList:
		return msgNeedsList.Text(key, set(listExample(format, raw))), true
	case kindAmount:
		if _, err := strconv.ParseFloat(raw, 64); err == nil && format == formatTOML {
			return msgAmountFloat.Text(key, raw, set(strconv.Quote(raw))), true
		}
		return msgNeedsAmount.Text(key, set(`"1200.50"`)), true
	case kindTable:
		return msgNeedsTable.Text(key), true
	}
	return msg.Text{}, false
}

// dateRE reads the dates staff write by hand: 2026/1/1, 2026.01.01,
// 2026年1月1日, with a time after a space or a T.
var dateRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?(?:(?:\s*T\s*|\s+)(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?`)

// dateMessage says what is wrong with a date, and shows it written as
// lobby reads it: the same date when it can be read, an example when not.
func dateMessage(key, raw string, set func(string) string) msg.Text {
	m := dateRE.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return msgNotADate.Text(key, raw, set("2026-12-01T09:00:00"))
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
	if mo < 1 || mo > 12 {
		return msgNoSuchMonth.Text(key, raw, mo, set(fmt.Sprintf("%04d-12-%02d", y, min(max(d, 1), 31))))
	}
	if last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day(); d < 1 || d > last {
		return msgNoSuchDay.Text(key, raw, mo, d, set(fmt.Sprintf("%04d-%02d-%02d", y, mo, last)))
	}
	example := fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
	if m[4] != "" {
		example += fmt.Sprintf("T%02d:%s:%02d", atoi(m[4]), m[5], atoi(m[6]))
	}
	return msgNotADate.Text(key, raw, set(example))
}

// listExample writes raw as a list: the items staff separated by commas
// (either kind) or 、, or raw as the one item.
func listExample(format, raw string) string {
	raw = strings.Trim(strings.TrimSpace(raw), "[]")
	var items []string
	for _, it := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if it = strings.Trim(strings.TrimSpace(it), `"'`); it != "" {
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		items = []string{"…"}
	}
	if format == formatYAML {
		return "[" + strings.Join(items, ", ") + "]"
	}
	for i, it := range items {
		items[i] = strconv.Quote(it)
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// tomlKeyLineRE splits a TOML line "key = value # comment" into its key
// and value.
var tomlKeyLineRE = regexp.MustCompile(`^\s*([A-Za-z0-9_."'-]+)\s*=\s*(.*?)\s*$`)

// tomlLineKey returns the key set on line (1-based) of src, as a full
// dotted path inside the table the line stands in, and its value as
// written, without quotes or a trailing comment.
func tomlLineKey(src string, line int) (key []string, value string, ok bool) {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return nil, "", false
	}
	m := tomlKeyLineRE.FindStringSubmatch(lines[line-1])
	if m == nil {
		return nil, "", false
	}
	var table []string
	for i := line - 2; i >= 0; i-- {
		if t := strings.TrimSpace(lines[i]); strings.HasPrefix(t, "[") {
			table = splitDotted(strings.Trim(strings.SplitN(t, "#", 2)[0], " []"))
			break
		}
	}
	value = m[2]
	if !strings.HasPrefix(value, `"`) && !strings.HasPrefix(value, "'") {
		value = strings.TrimSpace(strings.SplitN(value, "#", 2)[0])
	}
	value = strings.Trim(value, `"'`)
	return append(table, splitDotted(m[1])...), value, true
}

// tomlValueMessage returns the message for the value on line of src, or
// ok false when the line sets no key lobby knows the kind of.
func tomlValueMessage(src string, line int, target reflect.Type) (msg.Text, bool) {
	key, value, ok := tomlLineKey(src, line)
	if !ok || target == nil {
		return msg.Text{}, false
	}
	return valueMessage(formatTOML, keyKind(target, key), key[len(key)-1], value)
}

// badValue is the error of one of lobby's own types (a date, an amount)
// for a value it cannot read; the YAML decoder's error carries it to
// yamlError, which finds the key. (The TOML decoder keeps only its text:
// tomlError finds the key by the line.)
type badValue struct {
	raw  string
	kind kind
	why  string // in English, for Error
}

func (e *badValue) Error() string { return e.why }

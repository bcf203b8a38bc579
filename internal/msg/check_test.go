package msg

import (
	"fmt"
	"maps"
	"strings"
	"unicode"
)

// CheckPair reports what is wrong with a message's two texts: one is
// missing, the Chinese is not Chinese, or they do not take the same
// arguments with the same verbs. The module's test of every Message
// literal uses it.
func CheckPair(en, zh string) error {
	if en == "" || zh == "" {
		return fmt.Errorf("message needs both En and Zh: %q / %q", en, zh)
	}
	if !hasHanOrNoWords(zh, en) {
		return fmt.Errorf("the Zh text %q has no Chinese", zh)
	}
	ev, err := verbs(en)
	if err != nil {
		return fmt.Errorf("the En text %q: %v", en, err)
	}
	zv, err := verbs(zh)
	if err != nil {
		return fmt.Errorf("the Zh text %q: %v", zh, err)
	}
	if !maps.Equal(ev, zv) {
		return fmt.Errorf("the En text %q and the Zh text %q take different arguments (%v against %v)", en, zh, ev, zv)
	}
	return nil
}

// hasHanOrNoWords reports whether zh has a Chinese character, or en has no
// words to translate: at most one word, which is then a name
// ("--base-url %v", "%s: %v").
func hasHanOrNoWords(zh, en string) bool {
	for _, r := range zh {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	words := 0
	for _, f := range strings.Fields(stripVerbs(en)) {
		if strings.ContainsFunc(f, unicode.IsLetter) {
			words++
		}
	}
	return words <= 1
}

func stripVerbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		for i++; i < len(s) && !unicode.IsLetter(rune(s[i])) && s[i] != '%'; i++ {
		}
	}
	return b.String()
}

// verbs maps each argument (1-based) of a format string to its verb.
func verbs(format string) (map[int]byte, error) {
	out := map[int]byte{}
	arg := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed %%[")
			}
			var n int
			if _, err := fmt.Sscanf(format[i+1:i+end], "%d", &n); err != nil || n < 1 {
				return nil, fmt.Errorf("bad argument index %q", format[i:i+end+1])
			}
			arg = n
			i += end + 1
		}
		for i < len(format) && (format[i] >= '0' && format[i] <= '9' || format[i] == '.') {
			i++
		}
		if i >= len(format) {
			return nil, fmt.Errorf("format ends in %%")
		}
		if format[i] == '%' {
			continue
		}
		if prev, ok := out[arg]; ok && prev != format[i] {
			return nil, fmt.Errorf("argument %d used as %%%c and %%%c", arg, prev, format[i])
		}
		out[arg] = format[i]
		arg++
	}
	return out, nil
}

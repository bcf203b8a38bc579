package search

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Synonyms are groups of words that mean the same to a resident: a query
// word of a group also finds the pages that say it with another word of
// its group, a little below the pages that say it as asked.
type Synonyms struct {
	groups [][]string
}

// builtinSynonyms is the list every site has: the words of property
// management notices that residents and managers say differently.
//
//go:embed synonyms.txt
var builtinSynonyms string

// maxSynonyms bounds the other words one query word expands to, so that a
// word in many groups cannot multiply the work of a search.
const maxSynonyms = 8

// synonymBoost weighs a match of a synonym against a match of the word as
// asked, so that the page that says what the resident typed comes first.
const synonymBoost = 0.5

// maxSynonymBytes bounds one word of a group: a synonym is a word or a
// short phrase, and a longer one would search like a whole query.
const maxSynonymBytes = 64

// ParseSynonyms reads groups of synonyms, one group a line, its words
// separated by commas, slashes or spaces; # starts a comment. name is the
// file's name in errors, which give its line.
func ParseSynonyms(name string, r io.Reader) (*Synonyms, error) {
	s := &Synonyms{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("%s:%d: not UTF-8 text", name, n)
		}
		words := strings.FieldsFunc(line, func(r rune) bool {
			return r == ',' || r == '，' || r == '、' || r == '/' || unicode.IsSpace(r)
		})
		if len(words) == 0 {
			continue
		}
		if len(words) == 1 {
			return nil, fmt.Errorf("%s:%d: a group needs at least two words, found only %q", name, n, words[0])
		}
		var group []string
		for _, w := range words {
			if len(w) > maxSynonymBytes {
				return nil, fmt.Errorf("%s:%d: %q is longer than %d bytes", name, n, w, maxSynonymBytes)
			}
			if k := synonymKey(w); k == "" {
				return nil, fmt.Errorf("%s:%d: %q has no word a search could find", name, n, w)
			} else if !slices.Contains(group, k) {
				group = append(group, k)
			}
		}
		if len(group) > maxSynonyms+1 {
			return nil, fmt.Errorf("%s:%d: %d words, a group has at most %d", name, n, len(group), maxSynonyms+1)
		}
		s.groups = append(s.groups, group)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// synonymKey is how a word of a group is compared with a query word: in
// the query's script and case, with no punctuation ("" if none is left).
func synonymKey(w string) string {
	a, err := analyzer()
	if err != nil || len(a.Analyze([]byte(w))) == 0 {
		return ""
	}
	return strings.ToLower(foldScript(w))
}

// builtin returns the built-in groups, parsed once.
var builtin = sync.OnceValue(func() *Synonyms {
	s, err := ParseSynonyms("synonyms.txt", strings.NewReader(builtinSynonyms))
	if err != nil {
		panic(err) // the embedded list is checked by TestBuiltinSynonyms
	}
	return s
})

// synonymTable looks up the other words of a query word's groups.
type synonymTable map[string][]string

// newSynonymTable joins the built-in groups and a site's own.
func newSynonymTable(site [][]string) synonymTable {
	t := synonymTable{}
	for _, g := range slices.Concat(builtin().groups, site) {
		for _, w := range g {
			for _, o := range g {
				if o != w && !slices.Contains(t[w], o) && len(t[w]) < maxSynonyms {
					t[w] = append(t[w], o)
				}
			}
		}
	}
	return t
}

// others returns the words a query word w also finds: the other words of
// its groups, or, for a word in no group that holds one (电瓶车充电 holds
// 电瓶车), w with that word replaced by the others of its groups. The
// longest word held is replaced, the first of equals.
func (t synonymTable) others(w string) []string {
	if o, ok := t[w]; ok {
		return o
	}
	best := ""
	for k := range t {
		if utf8.RuneCountInString(k) >= 2 && strings.Contains(w, k) &&
			(len(k) > len(best) || len(k) == len(best) && strings.Index(w, k) < strings.Index(w, best)) {
			best = k
		}
	}
	if best == "" {
		return nil
	}
	out := make([]string, 0, len(t[best]))
	for _, o := range t[best] {
		out = append(out, strings.Replace(w, best, o, 1))
	}
	return out
}

// expand adds to each word of pq that is in a group the other words of
// its groups, as alternatives; quoted phrases are searched as typed.
func (t synonymTable) expand(pq parsedQuery) parsedQuery {
	a, err := analyzer()
	if err != nil {
		return pq
	}
	out := parsedQuery{terms: pq.terms, alts: make([][]term, len(pq.terms))}
	for i, tm := range pq.terms {
		if tm.phrase {
			continue
		}
		for _, w := range t.others(strings.ToLower(foldScript(tm.text))) {
			toks := a.Analyze([]byte(w))
			alt := term{text: w, phrase: len(toks) > 1 && strings.ContainsFunc(w, unicode.IsSpace)}
			if len(toks) == 1 {
				if r, size := utf8.DecodeRune(toks[0].Term); size == len(toks[0].Term) && unicode.Is(unicode.Han, r) {
					alt.char = string(toks[0].Term)
				}
			}
			out.alts[i] = append(out.alts[i], alt)
		}
	}
	return out
}

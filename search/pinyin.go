package search

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// A resident whose input method is awkward types pinyin: tingshui for
// 停水. A query of Latin letters that finds no page is read as the pinyin,
// tones left out, of words in the site's titles and tags, and searched
// again as those words (Index.Search): pinyin results come only where the
// letters found nothing as typed, and they are found, scored and marked
// as the Chinese words are.

// minPinyinChars is the fewest characters a word found by its pinyin has:
// one syllable (shui) is the reading of too many characters to be a guess
// worth showing.
const minPinyinChars = 2

// maxPinyinWords bounds the words one pinyin query becomes.
const maxPinyinWords = maxSynonyms + 1

// pinyinIndex finds the words of a site's titles and tags by their pinyin.
type pinyinIndex struct {
	texts [][]rune // the titles and tags
	// readings are the pinyin readings of each character of each text,
	// and starts the places where each reading occurs.
	readings [][][]string
	starts   map[string][]textPos
}

// textPos is a place in one of a pinyinIndex's texts.
type textPos struct{ text, at int32 }

// newPinyinIndex indexes the pinyin of texts: every reading of every
// character (a character with several readings, such as 重, zhong or
// chong, matches with any of them).
func newPinyinIndex(texts []string) *pinyinIndex {
	args := pinyin.NewArgs()
	args.Heteronym = true
	byRune := map[rune][]string{}
	x := &pinyinIndex{starts: map[string][]textPos{}}
	for i, s := range texts {
		rs := []rune(foldScript(s))
		rd := make([][]string, len(rs))
		for k, r := range rs {
			if !unicode.Is(unicode.Han, r) {
				continue
			}
			ps, ok := byRune[r]
			if !ok {
				for _, p := range pinyin.SinglePinyin(r, args) {
					ps = append(ps, p)
					if strings.Contains(p, "v") { // lv for 绿: lu is typed too
						ps = append(ps, strings.ReplaceAll(p, "v", "u"))
					}
				}
				byRune[r] = ps
			}
			rd[k] = ps
			for _, p := range ps {
				x.starts[p] = append(x.starts[p], textPos{int32(i), int32(k)})
			}
		}
		x.texts = append(x.texts, rs)
		x.readings = append(x.readings, rd)
	}
	return x
}

// pinyinQuery returns q as pinyin letters, lower case without spaces or
// apostrophes, and whether it can be pinyin at all: Latin letters only.
func pinyinQuery(q string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(q) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '\'' || r == '’':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() >= 2
}

// words returns the words of the texts whose pinyin is q, in full
// syllables, most frequent first (then in order of text), at most
// maxPinyinWords.
func (x *pinyinIndex) words(q string) []string {
	if x == nil || q == "" {
		return nil
	}
	count := map[string]int{}
	var order []string
	var match func(text []rune, rd [][]string, start, pos, qi int)
	match = func(text []rune, rd [][]string, start, pos, qi int) {
		if qi == len(q) {
			if pos-start >= minPinyinChars {
				w := string(text[start:pos])
				if count[w] == 0 {
					order = append(order, w)
				}
				count[w]++
			}
			return
		}
		if pos == len(text) {
			return
		}
		for _, p := range rd[pos] {
			if strings.HasPrefix(q[qi:], p) {
				match(text, rd, start, pos+1, qi+len(p))
			}
		}
	}
	// The first syllable is one of the readings that begin q: at most
	// six letters long.
	for n := 1; n <= min(6, len(q)); n++ {
		for _, tp := range x.starts[q[:n]] {
			text, rd := x.texts[tp.text], x.readings[tp.text]
			match(text, rd, int(tp.at), int(tp.at)+1, n)
		}
	}
	// A word counted once per text it is in, by the place it was found.
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	return order[:min(len(order), maxPinyinWords)]
}

// pinyinTexts returns the distinct titles and tags of docs, which Build
// keeps so that a served generation can find their words by pinyin.
func pinyinTexts(docs []Doc) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] && strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, d := range docs {
		add(d.Title)
		for _, t := range d.Tags {
			add(t)
		}
	}
	return out
}

// pinyinWords is the query for the words a pinyin query names: one term
// that matches any of them, the most frequent first and weighing most.
func pinyinWords(words []string) parsedQuery {
	pq := parsedQuery{terms: []term{{text: words[0]}}, alts: [][]term{nil}}
	for _, w := range words[1:] {
		pq.alts[0] = append(pq.alts[0], term{text: w})
	}
	return pq
}

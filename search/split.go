package search

import (
	"context"
	"unicode"
)

// Residents type several words without a space (冬至饺子, 访客停车), and a
// word must match all its bigrams, including the one across the words'
// border (至饺), which no page may hold. When a query finds nothing,
// Search cuts each such word where a bigram is held by no page and
// searches for the pieces as words of their own.

// minSplitRunes is the shortest word that is cut: two words of two
// characters.
const minSplitRunes = 4

// splitUnheld returns pq with each word of Chinese characters cut where
// its bigrams are on no page of g, and whether it cut any. A piece of one
// character is left out, beside pieces of more: it is most often a verb or
// a particle (交物业费 becomes 物业费), which would match the pages that
// hold that character anywhere, or keep out the one page that says it
// another way.
func (g *generation) splitUnheld(ctx context.Context, pq parsedQuery) (parsedQuery, bool, error) {
	var out parsedQuery
	cut := false
	seen := map[term]bool{}
	add := func(t term) {
		if !seen[t] {
			seen[t] = true
			out.terms = append(out.terms, t)
		}
	}
	for _, t := range pq.terms {
		rs := []rune(t.text)
		if t.phrase || len(rs) < minSplitRunes || !allHan(rs) {
			add(t)
			continue
		}
		var pieces []string
		start := 0
		for i := 0; i+1 < len(rs); i++ {
			held, err := g.holds(ctx, foldScript(string(rs[i:i+2])))
			if err != nil {
				return pq, false, err
			}
			if !held {
				pieces = append(pieces, string(rs[start:i+1]))
				start = i + 1
			}
		}
		pieces = append(pieces, string(rs[start:]))
		if len(pieces) == 1 {
			add(t)
			continue
		}
		var long []string
		for _, p := range pieces {
			if len([]rune(p)) > 1 {
				long = append(long, p)
			}
		}
		if len(long) == 0 {
			add(t)
			continue
		}
		cut = true
		for _, p := range long {
			add(term{text: p})
		}
	}
	if len(out.terms) > MaxTerms {
		return pq, false, nil
	}
	return out, cut, nil
}

// holds reports whether a page of g holds the bigram tok in a search field.
func (g *generation) holds(ctx context.Context, tok string) (bool, error) {
	for _, sh := range g.shards {
		r, err := reader(sh.idx)
		if err != nil {
			return false, err
		}
		for _, f := range searchFields {
			tfr, err := r.TermFieldReader(ctx, []byte(tok), f.name, false, false, false)
			if err != nil {
				r.Close()
				return false, err
			}
			n := tfr.Count()
			tfr.Close()
			if n > 0 {
				r.Close()
				return true, nil
			}
		}
		if err := r.Close(); err != nil {
			return false, err
		}
	}
	return false, nil
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

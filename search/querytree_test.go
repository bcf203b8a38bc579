package search

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
)

// checkQueryTree walks a query built from user input and returns an error for
// the first node that is not one lobby builds on purpose: only boolean,
// conjunction, disjunction and custom-score nodes inside, and match and
// match-phrase leaves without fuzziness on the searchable text fields, plus
// the section term filter; and lobby's own nodes (searcher.go) around them. Regexp, wildcard, fuzzy, prefix and query-string
// nodes, and any field outside the allowed set, fail.
func checkQueryTree(q query.Query) error {
	allowed := map[string]bool{}
	for _, f := range searchFields {
		allowed[f.name] = true
	}
	var walk func(q query.Query, depth int) error
	walk = func(q query.Query, depth int) error {
		if depth > 10 {
			return fmt.Errorf("query tree deeper than 10")
		}
		switch n := q.(type) {
		case nil:
			return nil
		case *query.CustomScoreQuery:
			return walk(n.Query, depth+1)
		case *rankedQuery:
			return walk(n.Query, depth+1)
		case *idsQuery:
			return walk(n.Query, depth+1)
		case *phraseQuery:
			if !allowed[n.field] {
				return fmt.Errorf("phrase node on field %q", n.field)
			}
			return nil
		case *query.BooleanQuery:
			for _, c := range []query.Query{n.Must, n.Should, n.MustNot, n.Filter} {
				if err := walk(c, depth+1); err != nil {
					return err
				}
			}
			return nil
		case *query.ConjunctionQuery:
			for _, c := range n.Conjuncts {
				if err := walk(c, depth+1); err != nil {
					return err
				}
			}
			return nil
		case *query.DisjunctionQuery:
			for _, c := range n.Disjuncts {
				if err := walk(c, depth+1); err != nil {
					return err
				}
			}
			return nil
		case *query.MatchQuery:
			if !allowed[n.FieldVal] || n.Analyzer != textAnalyzer || n.Fuzziness != 0 || n.Prefix != 0 {
				return fmt.Errorf("match node %+v", n)
			}
			return noFuzziness(n)
		case *query.MatchPhraseQuery:
			if !allowed[n.FieldVal] || n.Analyzer != textAnalyzer || n.Fuzziness != 0 {
				return fmt.Errorf("match-phrase node %+v", n)
			}
			return noFuzziness(n)
		case *query.TermQuery:
			if n.FieldVal == fieldTitleChars {
				if r, size := utf8.DecodeRuneInString(n.Term); size != len(n.Term) || !unicode.Is(unicode.Han, r) {
					return fmt.Errorf("term node %q on %s: not one Chinese character", n.Term, n.FieldVal)
				}
				return nil
			}
			if n.FieldVal != fieldSection {
				return fmt.Errorf("term node on field %q", n.FieldVal)
			}
			return nil
		case *query.RegexpQuery, *query.WildcardQuery, *query.FuzzyQuery,
			*query.PrefixQuery, *query.QueryStringQuery:
			return fmt.Errorf("forbidden %T node", n)
		default:
			return fmt.Errorf("unexpected %T node", n)
		}
	}
	return walk(q, 0)
}

// noFuzziness checks the unexported auto-fuzziness flag through the node's
// JSON form, where it shows as "fuzziness":"auto".
func noFuzziness(q query.Query) error {
	b, err := json.Marshal(q)
	if err != nil {
		return err
	}
	if !strings.Contains(string(b), `"fuzziness":0`) {
		return fmt.Errorf("fuzzy node %s", b)
	}
	return nil
}

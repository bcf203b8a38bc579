// Package search builds, serves and queries lobby's full-text index.
//
// The index is a bleve index with an explicit mapping and one analyzer for
// Chinese and English text. Build writes a new generation beside the old ones
// and flips a pointer file; Open serves the current generation read-only,
// and Reload swaps a newer generation in without stopping queries: each
// search pins the generation it started on, and an old generation is closed
// once the searches pinning it are done. Queries are parsed by lobby's own
// small grammar (plain words and "quoted phrases") and turned into bleve
// queries in code, so no query syntax from a user ever reaches bleve.
//
// lobby has its own bleve query nodes (rankedQuery, idsQuery, phraseQuery).
// Each wraps queries built from the user's words and works by the document
// numbers of the generation it runs on, which bleve's own nodes would look
// up by URL, page by page, for every hit: recency, expiry, the section
// filter and the section counts come from a docTable, and a search
// restricted to a few pages names them by number.
//
// # A search in three passes
//
// Search finds the candidates (Index.candidates): every page that matches
// the main query, scored, counted by section, and the best kept. The main
// query is the user's words, each with its synonyms (synonymTable.expand);
// when it finds nothing, its run-together words cut apart
// (generation.splitUnheld), then any of its terms (relaxed), then, for a
// query of letters, the words of titles and tags it is the pinyin of
// (pinyinIndex.words). It then
// rescores the best rescoreWindow of them with the phrase bonus
// (Index.rescore), and loads the stored fields and snippets of the pages
// shown (Index.display). The last two run through bleve; the first does
// not.
//
// # Why the candidates pass does not run through bleve
//
// Only the candidates pass touches every match, so it sets what a search
// costs, and its cost grows with the number of pages that match, not with
// the few shown. The costliest query a user can send is a common word or a
// quoted phrase that most pages hold, and anyone can send it over and over.
// A search holds one of Options.MaxConcurrent slots while it runs, and a
// search that finds no slot free within Options.QueueWait is refused with
// ErrOverloaded (503), so under a flood of such queries the CPU time of one
// decides how many are answered and how many refused.
//
// bleve moves a tree of searchers from page to page and hands a pooled
// DocumentMatch up through it for every term, field and page. The
// candidates plan (candidatesPlan, score.go) intersects each field's
// postings lists in plain loops, over the decoded lists the postings cache
// keeps, and sums each page's score in an array. On the costliest queries
// it takes less than half of the CPU time of bleve's searchers on the same
// index; on queries that match few pages, which cost little either way,
// the two are about even. BenchmarkCandidates runs both side by side, on a
// corpus where every query word is on about half of the pages
// (pessimistic) and on one with a realistic spread of words:
//
//	go test ./search -run '^$' -bench Candidates
//
// BenchmarkQuery measures whole searches (-bench Query).
//
// # Scoring as bleve scores
//
// The plan's scores are bleve's, so that the candidates, their counts and
// their order are those of the same query through bleve's searchers
// (TestFastCandidatesMatchBleve and FuzzSearchMatchesReference compare
// them, up to rounding). It copies, term by term:
//
//   - BM25 as bleve's TermQueryScorer computes it: idf = ln(1 + (N − n +
//     0.5)/(n + 0.5)), tf = √freq, the field's length recovered from its
//     norm as 1/norm², k1 and b from bleve's search package, and the
//     average field length ⌈FieldCardinality/N⌉, where FieldCardinality is
//     the number of distinct terms of the field (bleve's approximation).
//     N, n and FieldCardinality are the generation's, over all its shards
//     (corpusStats), as shardReader gives them to bleve's searchers too.
//     With an average of 0 it falls back to bleve's TF-IDF, as bleve does.
//   - The query norm: each token weighs boost × idf, the norm is 1/√ of the
//     sum of the squared weights of the whole query, and each token's score
//     is multiplied by boost × idf × norm (SetQueryNorm).
//   - The coordination factor of each disjunction: a clause (one term of
//     the query, and each of its synonyms at a lower boost, in every
//     search field: one flat disjunction) scores the sum of its matching
//     fields times matched/children, where children is the number of
//     search fields times the number of the term's variants, and a relaxed
//     query, a disjunction of its clauses, the sum of its matching clauses
//     times matched/clauses.
//   - The order of summing. Floating-point addition is not associative, so
//     the plan adds in bleve's order to round as bleve does and break ties
//     between pages the same way: a word's tokens in a field, a clause's
//     fields and the query's clauses in ascending order of their count
//     (pages holding them), equals in query order, which is the order in
//     which bleve's conjunction and slice disjunction searchers sort their
//     children (sort.Sort by Count, an insertion sort, and so stable, for
//     the dozen children or fewer a node has); a phrase's tokens in phrase
//     order, as phraseSearcher adds them. A relaxed query of more than
//     searcher.DisjunctionHeapTakeover terms runs in bleve's heap
//     disjunction, which adds in another order: there the scores agree up
//     to rounding only.
//
// # What it relies on in bleve, scorch and zapx
//
// These hold for the versions in go.mod; TestBleveVersionsAreTheCheckedOnes
// fails when one changes, so that an upgrade re-checks them:
//
//   - scorch's internal IDs are document numbers, 8-byte big-endian
//     (docNum, internalID, IndexInternalID.Value), ascending in every
//     postings list, and numbered from 0 with few gaps in an index that is
//     written once and never updated; docTable, postingList, docSpan and
//     the plan's score arrays index pages by them.
//   - zapx stores norms as float32s and hands them out widened to float64
//     (Posting.Norm), so postingList keeps them as float32 without loss and
//     widens them the same way before scoring.
//   - bleve's term searcher takes N and FieldCardinality from the reader it
//     is given (DocCount and index.BM25Reader) when the context carries no
//     BM25 statistics, and n from the term reader's Count: shardReader
//     answers those three with the generation's figures.
//   - scorch's FieldCardinality is the number of terms in the field's
//     dictionary, which corpusStats counts over the union of the shards'
//     dictionaries.
//   - The scoring above: TermQueryScorer's formulas, the query norm of
//     the conjunction and disjunction searchers, the disjunction's
//     coordination factor, the searchers' sort by Count, and the match
//     query's conjunction of a word's tokens, with a match-none searcher
//     for a field where a word has no token.
//   - Positions lie outside arrays in every field a phrase is checked in:
//     the mapping gives positions only to fields of one value, and a
//     postingList keeps none in arrays (errNoPlan otherwise).
package search

import "time"

// Doc is one page as the search index sees it.
type Doc struct {
	URL     string // the page's link as the site writes it, below the base URL's path: "/notices/water-shutoff/", or "/cuihu/notices/water-shutoff/" for a site under /cuihu/; also the ID
	Title   string // page title
	Section string // "notices", "events", "newsletters", "fees", "handbook", or "" for top-level pages
	Summary string // summary shown in lists
	// SummaryFromBody reports that Summary is the first words of Body, cut
	// by the site: it is shown in results but not searched, which would
	// count those words twice.
	SummaryFromBody bool
	Body            string    // plain text of the rendered page body
	Extra           string    // section fields shown on the page: event location/organizer, fee items, etc.
	Tags            []string  // tags of the page
	Date            time.Time // zero if none
	Expired         bool      // an expired notice
}

package search

import "slices"

// hit is a page found, by shard and document number, with its score and
// its order by URL (docTable.order).
type hit struct {
	shard int
	num   uint64
	order uint32
	score float64
}

// pageKey identifies a page of a generation.
type pageKey struct {
	shard int
	num   uint64
}

func (a hit) key() pageKey { return pageKey{a.shard, a.num} }

// better reports whether a ranks above b: higher score, then the lower URL.
func (a hit) better(b hit) bool {
	return a.score > b.score || a.score == b.score && a.order < b.order
}

// topHits keeps the best n hits offered to it.
type topHits struct {
	n    int
	heap []hit // a min-heap by better: heap[0] is the worst kept
}

func newTopHits(n int) *topHits { return &topHits{n: n, heap: make([]hit, 0, min(n, 1024))} }

func (t *topHits) add(h hit) {
	if len(t.heap) < t.n {
		t.heap = append(t.heap, h)
		for i := len(t.heap) - 1; i > 0; { // up
			p := (i - 1) / 2
			if !t.heap[p].better(t.heap[i]) {
				break
			}
			t.heap[p], t.heap[i] = t.heap[i], t.heap[p]
			i = p
		}
		return
	}
	if len(t.heap) == 0 || !h.better(t.heap[0]) {
		return
	}
	t.heap[0] = h
	for i := 0; ; { // down
		l, r, worst := 2*i+1, 2*i+2, i
		if l < len(t.heap) && t.heap[worst].better(t.heap[l]) {
			worst = l
		}
		if r < len(t.heap) && t.heap[worst].better(t.heap[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.heap[i], t.heap[worst] = t.heap[worst], t.heap[i]
		i = worst
	}
}

// sorted returns the hits kept, best first.
func (t *topHits) sorted() []hit {
	out := slices.Clone(t.heap)
	slices.SortFunc(out, func(a, b hit) int {
		if a.better(b) {
			return -1
		}
		return 1
	})
	return out
}

package search

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// checkedVersions are the versions of the modules whose internals the
// candidates plan copies or relies on (the package comment lists what),
// as last checked by reading their code.
var checkedVersions = map[string]string{
	"github.com/blevesearch/bleve/v2":        "v2.6.3",
	"github.com/blevesearch/bleve_index_api": "v1.4.1",
	"github.com/blevesearch/zapx/v17":        "v17.2.5", // scorch's default segment format
}

// An upgrade of bleve, its index API or zapx is a deliberate step: the
// candidates plan copies bleve's scoring and reads what scorch and zapx
// hand out, and the tests that compare it with bleve try only some queries
// and pages.
func TestBleveVersionsAreTheCheckedOnes(t *testing.T) {
	required, err := requiredVersions("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range checkedVersions {
		got, ok := required[path]
		if !ok {
			t.Errorf("go.mod does not require %s; checkedVersions names %s", path, want)
			continue
		}
		if got != want {
			t.Errorf("go.mod requires %s %s, but the candidates plan was checked against %s.\n"+
				"Re-read what the package comment of search lists against the new code "+
				"(8-byte big-endian document numbers, float32 norms, TermQueryScorer's BM25 "+
				"and query norm, the disjunction's coordination factor, the searchers' sort by "+
				"Count and so the order of summing, FieldCardinality, the default segment format), "+
				"run TestFastCandidatesMatchBleve and FuzzSearchMatchesReference, "+
				"then set checkedVersions[%q] to %q.", path, got, want, path, got)
		}
	}
}

// requiredVersions returns the module versions that the go.mod file at
// path requires, by module path; "replaced" for a module it replaces.
func requiredVersions(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	versions := map[string]string{}
	inBlock := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		fields := strings.Fields(line)
		switch {
		case len(fields) == 0:
		case inBlock && fields[0] == ")":
			inBlock = false
		case fields[0] == "require" && len(fields) == 2 && fields[1] == "(":
			inBlock = true
		case fields[0] == "require" && len(fields) == 3:
			versions[fields[1]] = fields[2]
		case fields[0] == "replace" && len(fields) > 1:
			versions[fields[1]] = "replaced"
		case inBlock && len(fields) == 2:
			versions[fields[0]] = fields[1]
		}
	}
	return versions, sc.Err()
}

package search

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
)

// Files and folders of an index directory:
//
//	current               the name of the generation to serve, replaced by rename
//	gen-<time>-<rand>/    one generation each: shards of the pages
//	gen-…/shard-<i>/        one complete bleve index each
//	gen-…/lobby-rank.json  dates and expiry by URL, for recency scoring
//	gen-…/lobby-synonyms.json the site's own synonyms, if it has any
//	gen-…/lobby-pinyin.json   titles and tags, whose pinyin a query may be
//	gen-…/lobby-index.json written last: the generation is complete
const (
	currentFile = "current"
	genPrefix   = "gen-"
	genMetaFile = "lobby-index.json"
	genRankFile = "lobby-rank.json"
	// genSynonymsFile holds the site's own synonym groups, when it has
	// any; the built-in ones are in the binary.
	genSynonymsFile = "lobby-synonyms.json"
	// genPinyinFile holds the titles and tags whose words a query can
	// name by their pinyin.
	genPinyinFile = "lobby-pinyin.json"
)

// batchSize is the number of documents per bleve batch, and per segment of
// bleve's offline builder. Larger batches save a little CPU time for memory
// that grows with them; BenchmarkBuild reports both (cpu-s/op,
// peak-RSS-MB, one sub-benchmark per process).
const batchSize = 500

// abandonedAfter is the age after which an incomplete generation (a build
// that crashed, or was killed) is removed by the next build.
const abandonedAfter = time.Hour

// buildMethod chooses how a generation is written.
type buildMethod int

const (
	// viaBatches indexes into a normal scorch index in batches of batchSize;
	// analysis runs on every core.
	viaBatches buildMethod = iota
	// viaBuilder uses bleve's offline builder, which analyses on one
	// goroutine and merges everything into a single segment at the end.
	viaBuilder
)

// defaultBuildMethod is the offline builder, which leaves one segment that
// opens and merges nothing; writeWithBuilder analyses on every core ahead
// of it, so that it need not wait on analysis. BenchmarkBuild compares the
// two methods side by side (time, CPU time, index size, peak memory).
const defaultBuildMethod = viaBuilder

// genMeta is the content of a generation's lobby-index.json.
type genMeta struct {
	Format int       `json:"format"`
	Docs   int       `json:"docs"`
	Shards int       `json:"shards"`
	Built  time.Time `json:"built"`
}

// Build writes a new index generation of docs under dir, points dir/current
// at it with an atomic rename, and removes older generations except the one
// it replaces. The index holds exactly the documents given: the caller leaves
// out drafts and anything else residents must not find. syn is the site's
// own synonyms (see ParseSynonyms), which its searches use beside the
// built-in ones; nil for none. A failed or cancelled build leaves the
// current generation as it was.
func Build(ctx context.Context, dir string, docs []Doc, syn *Synonyms) error {
	return build(ctx, dir, docs, syn, defaultBuildMethod, shardCount(len(docs)))
}

// minShardDocs is the fewest pages a shard has. bleve's builder writes and
// merges segments on one goroutine, most of an index build; shards are
// written at once, one per core. Searches split by shard as they split one
// index (atOnce) and weigh words over all shards (corpusStats), so the
// answers are those of one index (TestSplitSearchAgrees). A small site
// gains nothing from shards: at a thousand pages, two shards build no
// faster than one, and each shard is one more bleve index to open and
// search. BenchmarkBuild (LOBBY_BENCH_DOCS sets its size) and
// BenchmarkIndex (cmd/lobby) measure the build.
const minShardDocs = 2000

// shardCount returns the number of shards of a generation of n pages.
func shardCount(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/minShardDocs))
}

// shardPath returns the folder of shard i of the generation at gen.
func shardPath(gen string, i int) string {
	return filepath.Join(gen, fmt.Sprintf("shard-%d", i))
}

func build(ctx context.Context, dir string, docs []Doc, syn *Synonyms, method buildMethod, shards int) (err error) {
	if err := checkDocs(docs); err != nil {
		return err
	}
	im, err := newMapping()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	stamp := time.Now().UTC().Format("20060102T150405.000000000Z")
	gen, err := os.MkdirTemp(dir, genPrefix+stamp+"-")
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(gen)
		}
	}()

	// bleve's builder panics on Close when it was given no document
	// (scorch.Builder.Close reads segPaths[0]); an empty site uses batches.
	if len(docs) == 0 {
		method = viaBatches
	}
	// Shard i holds the i-th run of docs.
	shards = max(1, min(shards, len(docs)))
	errs := make([]error, shards)
	var wg sync.WaitGroup
	for i := range shards {
		part := docs[i*len(docs)/shards : (i+1)*len(docs)/shards]
		wg.Go(func() {
			if method == viaBuilder {
				errs[i] = writeWithBuilder(ctx, shardPath(gen, i), im, part)
			} else {
				errs[i] = writeWithBatches(ctx, shardPath(gen, i), im, part)
			}
		})
	}
	wg.Wait()
	if err := cmp.Or(errs...); err != nil { // the first shard's error: often all have the same
		return fmt.Errorf("build search index %s: %w", gen, err)
	}
	if err := verifyGeneration(gen, shards, len(docs)); err != nil {
		return err
	}
	rank := make(rankTable, len(docs))
	for _, d := range docs {
		e := rankEntry{Expired: d.Expired, Section: d.Section}
		if !d.Date.IsZero() {
			e.Date = d.Date.Unix()
		}
		rank[d.URL] = e
	}
	rankJSON, err := json.Marshal(rank)
	if err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	if err := writeFileSync(filepath.Join(gen, genRankFile), rankJSON); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	pinyinJSON, err := json.Marshal(pinyinTexts(docs))
	if err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	if err := writeFileSync(filepath.Join(gen, genPinyinFile), pinyinJSON); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	if syn != nil && len(syn.groups) > 0 {
		synJSON, err := json.Marshal(syn.groups)
		if err != nil {
			return fmt.Errorf("build search index: %w", err)
		}
		if err := writeFileSync(filepath.Join(gen, genSynonymsFile), synJSON); err != nil {
			return fmt.Errorf("build search index: %w", err)
		}
	}
	meta, err := json.Marshal(genMeta{Format: formatVersion, Docs: len(docs), Shards: shards, Built: time.Now().UTC()})
	if err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	if err := writeFileSync(filepath.Join(gen, genMetaFile), meta); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}

	previous, _ := readCurrent(dir)
	if err := setCurrent(dir, filepath.Base(gen)); err != nil {
		return err
	}
	// Old generations go once the new one is current. A server that still
	// has one open read-only keeps answering from it (its files stay
	// readable until closed) until it reloads; the generation just replaced
	// is kept so that a server that read the old pointer a moment ago can
	// still open it. Cleanup is best effort: the next build tries again.
	removeOldGenerations(dir, filepath.Base(gen), previous)
	return nil
}

// checkDocs rejects documents the index cannot hold: an ID is required and
// must be unique, since bleve would silently keep only the last of two.
func checkDocs(docs []Doc) error {
	seen := make(map[string]struct{}, len(docs))
	for i, d := range docs {
		if d.URL == "" {
			return fmt.Errorf("build search index: document %d (%q) has no URL", i, d.Title)
		}
		if _, dup := seen[d.URL]; dup {
			return fmt.Errorf("build search index: two documents have the URL %s", d.URL)
		}
		seen[d.URL] = struct{}{}
	}
	return nil
}

// fields returns the document as the mapping expects it. Invalid UTF-8 is
// replaced so that snippets are always valid text.
func (d Doc) fields() map[string]any {
	clean := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
	body := clean(d.Body)
	m := map[string]any{
		fieldURL:          clean(d.URL),
		fieldTitle:        clean(d.Title),
		fieldTitleChars:   clean(d.Title),
		fieldBody:         body,
		fieldBodyChars:    body,
		fieldSummaryShown: clean(d.Summary),
		fieldExtra:        clean(d.Extra),
		fieldExpired:      d.Expired,
	}
	if !d.SummaryFromBody {
		m[fieldSummary] = clean(d.Summary)
	}
	if d.Section != "" {
		m[fieldSection] = clean(d.Section)
	}
	if len(d.Tags) > 0 {
		tags := make([]string, len(d.Tags))
		for i, t := range d.Tags {
			tags[i] = clean(t)
		}
		m[fieldTags] = tags
		m[fieldTag] = tags
	}
	if !d.Date.IsZero() {
		m[fieldDate] = d.Date
		m[fieldDateStr] = d.Date.Format(time.RFC3339)
	}
	return m
}

func writeWithBatches(ctx context.Context, path string, im *mapping.IndexMappingImpl, docs []Doc) (err error) {
	idx, err := bleve.New(path, im)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := idx.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	for start := 0; start < len(docs); start += batchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := idx.NewBatch()
		for _, d := range docs[start:min(start+batchSize, len(docs))] {
			if err := b.Index(d.URL, d.fields()); err != nil {
				return fmt.Errorf("index %s: %w", d.URL, err)
			}
		}
		if err := idx.Batch(b); err != nil {
			return err
		}
	}
	return nil
}

// writeWithBuilder writes the index of docs at path with bleve's offline
// builder; it needs at least one document (see build).
//
// It drives bleve's offline builder (scorch.Builder) itself, as
// bleve.NewBuilder does, so that it can hand it documents already analysed:
// the builder analyses and writes segments on one goroutine, and analysis
// is a third of the work. Here chunks of documents are mapped and analysed
// on every core while the builder writes the chunk before.
func writeWithBuilder(ctx context.Context, path string, im *mapping.IndexMappingImpl, docs []Doc) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := im.Validate(); err != nil {
		return err
	}
	mappingJSON, err := json.Marshal(im)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return err
	}
	// What bleve.NewBuilder writes: the index type, then the store.
	if err := os.WriteFile(filepath.Join(path, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644); err != nil {
		return err
	}
	b, err := scorch.NewBuilder(map[string]any{
		"path":            filepath.Join(path, "store"),
		"buildPathPrefix": path,
		"batchSize":       batchSize,
		"internal":        map[string][]byte{string(util.MappingInternalKey): mappingJSON},
	})
	if err != nil {
		return err
	}
	stop := ctx
	defer func() {
		if stop.Err() != nil {
			// Stopped: Close would merge what was indexed so far, for
			// seconds, into a generation that build removes.
			return
		}
		if cerr := b.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []index.Document, 1)
	errc := make(chan error, 1)
	go func() {
		defer close(chunks)
		for start := 0; start < len(docs); start += analysisChunk {
			chunk, err := analyseDocs(ctx, im, docs[start:min(start+analysisChunk, len(docs))])
			if err != nil {
				errc <- err
				return
			}
			select {
			case chunks <- chunk:
			case <-ctx.Done():
				return
			}
		}
	}()
	for chunk := range chunks {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, d := range chunk {
			if err := b.Index(d); err != nil {
				return fmt.Errorf("index %s: %w", d.ID(), err)
			}
		}
	}
	select {
	case err := <-errc:
		return err
	default:
	}
	return ctx.Err()
}

// analysisChunk is the number of documents analysed ahead of the builder.
// Smaller chunks keep fewer analysed documents in memory but leave the
// builder waiting for the next more often; BenchmarkBuild's builder
// sub-benchmarks measure both (docs/s, peak-RSS-MB).
const analysisChunk = 256

// analyseDocs maps and analyses docs on every core, in their order, until
// ctx is done: a watch-mode rebuild stops an index build to have the cores.
func analyseDocs(ctx context.Context, im *mapping.IndexMappingImpl, docs []Doc) ([]index.Document, error) {
	out := make([]index.Document, len(docs))
	errs := make([]error, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(docs); i = int(next.Add(1)) - 1 {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					return
				}
				doc := document.NewDocument(docs[i].URL)
				if err := im.MapDocument(doc, docs[i].fields()); err != nil {
					errs[i] = fmt.Errorf("index %s: %w", docs[i].URL, err)
					continue
				}
				doc.VisitFields(func(f index.Field) {
					if f.Options().IsIndexed() {
						f.Analyze()
					}
				})
				out[i] = analysed{doc}
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// analysed is a document whose fields were analysed by analyseDocs, which
// the builder must not analyse again; the _id field the builder adds is
// analysed there.
type analysed struct{ *document.Document }

func (d analysed) VisitFields(visit index.FieldVisitor) {
	d.Document.VisitFields(func(f index.Field) {
		if f.Name() == "_id" {
			visit(f)
			return
		}
		visit(analysedField{f})
	})
}

// analysedField is a field whose Analyze has been done.
type analysedField struct{ index.Field }

func (analysedField) Analyze() {}

// verifyGeneration opens a finished generation the way a server will and
// checks that its shards hold every document, so that current never points
// at an index that cannot be served.
func verifyGeneration(gen string, shards, want int) error {
	var total uint64
	for i := range shards {
		idx, err := openReadOnly(shardPath(gen, i))
		if err != nil {
			return fmt.Errorf("verify search index %s: %w", gen, err)
		}
		n, err := idx.DocCount()
		if cerr := idx.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("verify search index %s: %w", gen, err)
		}
		total += n
	}
	if total != uint64(want) {
		return fmt.Errorf("verify search index %s: %d documents, want %d", gen, total, want)
	}
	return nil
}

// openReadOnly opens a generation without taking bolt's exclusive lock, so
// that any number of processes can serve it at once.
func openReadOnly(gen string) (bleve.Index, error) {
	return bleve.OpenUsing(gen, map[string]any{"read_only": true})
}

// readCurrent returns the name of the current generation of dir.
func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("search index %s: %w", dir, ErrNoIndex)
	}
	if err != nil {
		return "", fmt.Errorf("search index: %w", err)
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || !filepath.IsLocal(name) || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("search index %s: %s names no generation: %q", dir, currentFile, name)
	}
	return name, nil
}

// setCurrent points dir/current at the generation name: the new pointer is
// written beside the old one, synced, and renamed over it, so a reader sees
// either the old name or the new one, never a partial file.
func setCurrent(dir, name string) error {
	tmp, err := os.CreateTemp(dir, currentFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(name + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, currentFile))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("search index: point %s at %s: %w", currentFile, name, err)
	}
	return nil
}

// removeOldGenerations deletes every complete generation of dir except keep
// and previous, and every incomplete one older than abandonedAfter (an
// incomplete young one may be another build still running).
func removeOldGenerations(dir, keep, previous string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, genPrefix) || name == keep || name == previous {
			continue
		}
		path := filepath.Join(dir, name)
		if _, err := os.Stat(filepath.Join(path, genMetaFile)); err != nil {
			info, err := e.Info()
			if err != nil || time.Since(info.ModTime()) < abandonedAfter {
				continue
			}
		}
		os.RemoveAll(path)
	}
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

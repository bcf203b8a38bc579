package search

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchDocs is the size of the generated corpus; LOBBY_BENCH_DOCS overrides
// the flag's default, e.g. LOBBY_BENCH_DOCS=1000 for a quick run.
var benchDocs = flag.Int("search.benchdocs", envInt("LOBBY_BENCH_DOCS", 10000),
	"number of synthetic documents for BenchmarkBuild and BenchmarkQuery")

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

var (
	benchZH = strings.Fields(`物业 管理 停水 停电 电梯 维修 保养 通知 小区 业主 垃圾分类 绿化 安全 消防 快递
		充电桩 门禁 保洁 装修 噪音 宠物 供暖 燃气 停车位 车库 访客 登记 缴费 物业费 维修基金 公示 收支
		业委会 会议 投票 活动 联欢 志愿者 老人 儿童 健身 游泳池 花园 楼道 外墙 防水 漏水 水管 管网 检修
		安装 调整 开放 关闭 时间 地点 电话 服务中心 值班 投诉 建议 表扬 报修 进度 完成`)
	benchEN = strings.Fields(`property management water shutoff power outage elevator lift repair maintenance
		notice residents waste sorting recycling garden safety fire delivery charging station access card
		cleaning renovation noise pets heating gas parking garage visitor register payment fee fund
		disclosure income expense committee meeting vote event party volunteer elderly children gym pool
		corridor facade leak pipe inspection install schedule open closed time place phone office duty
		complaint suggestion praise request progress complete the of and to in for on with at by from`)
)

// Corpus vocabularies. The pessimistic one draws every word uniformly from
// benchZH and benchEN, so each query word hits about half the corpus. The
// realistic one draws words from a Zipf distribution over 20,000 words per
// language, stop words first and the benchZH/benchEN words placed at ranks
// 1,000–6,600, so a query word hits about 1–5% of pages, as on a real site.
const (
	vocabPessimistic = "pessimistic"
	vocabRealistic   = "realistic"
)

// benchVocabs are the corpora the benchmarks run on.
var benchVocabs = []string{vocabPessimistic, vocabRealistic}

// corpus returns n documents of the given vocabulary.
func corpus(vocab string, n int) []Doc {
	if vocab == vocabRealistic {
		return realisticDocs(n)
	}
	return syntheticDocs(n)
}

// syntheticDocs returns n documents of about 5 KB each: 40% Chinese, 40%
// English, 20% mixed, from a fixed seed so every run indexes the same text.
// Every word is drawn uniformly from benchZH or benchEN (pessimistic).
func syntheticDocs(n int) []Doc {
	r := rand.New(rand.NewPCG(1, 2))
	return generateDocs(n, r,
		func() string { return benchZH[r.IntN(len(benchZH))] },
		func() string { return benchEN[r.IntN(len(benchEN))] })
}

// realisticDocs returns n documents of the same shape as syntheticDocs whose
// words follow a Zipf distribution over a large vocabulary.
func realisticDocs(n int) []Doc {
	r := rand.New(rand.NewPCG(3, 4))
	const size = 20000
	zh, en := make([]string, size), make([]string, size)
	// Filler words: Chinese words of 2–3 ideographs from 2,500 characters,
	// English words of 2–4 consonant-vowel syllables.
	chars := make([]rune, 2500)
	for i := range chars {
		chars[i] = rune(0x4E00 + r.IntN(0x9FA5-0x4E00))
	}
	cons, vows := "bcdfghjklmnprstvwz", "aeiou"
	for i := range size {
		var z strings.Builder
		for range 2 + r.IntN(2) {
			z.WriteRune(chars[r.IntN(len(chars))])
		}
		zh[i] = z.String()
		var e strings.Builder
		for range 2 + r.IntN(3) {
			e.WriteByte(cons[r.IntN(len(cons))])
			e.WriteByte(vows[r.IntN(len(vows))])
		}
		en[i] = e.String()
	}
	stop := strings.Fields("the of and to in for on with at by from a is are be this that")
	copy(en, stop)
	copy(zh, strings.Fields("的 了 在 是 和 有 请 各位 我们 进行"))
	for i, w := range benchZH {
		zh[1000+i*80] = w
	}
	for i, w := range benchEN[:len(benchEN)-11] { // without its stop words
		en[1000+i*80] = w
	}
	cum := make([]float64, size)
	total := 0.0
	for i := range cum {
		total += 1 / float64(i+1)
		cum[i] = total
	}
	zipf := func(words []string) func() string {
		return func() string {
			i, _ := slices.BinarySearch(cum, r.Float64()*total)
			return words[min(i, size-1)]
		}
	}
	return generateDocs(n, r, zipf(zh), zipf(en))
}

// generateDocs returns n documents of about 5 KB each whose words come from
// zh and en: 40% Chinese, 40% English, 20% mixed.
func generateDocs(n int, r *rand.Rand, zh, en func() string) []Doc {
	sections := []string{"notices", "events", "newsletters", "fees", "handbook", ""}
	sentence := func(word func() string, sep string, end string) string {
		k := 4 + r.IntN(8)
		parts := make([]string, k)
		for i := range parts {
			parts[i] = word()
		}
		return strings.Join(parts, sep) + end
	}
	text := func(kind, size int) string {
		var b strings.Builder
		for b.Len() < size {
			switch {
			case kind == 0 || (kind == 2 && r.IntN(2) == 0):
				b.WriteString(sentence(zh, "", "。"))
			default:
				b.WriteString(sentence(en, " ", ". "))
			}
		}
		return b.String()
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]Doc, n)
	for i := range docs {
		kind := []int{0, 0, 1, 1, 2}[i%5]
		docs[i] = Doc{
			URL:     fmt.Sprintf("/%s/page-%05d/", sections[i%len(sections)], i),
			Title:   text(kind, 20),
			Section: sections[i%len(sections)],
			Summary: text(kind, 120),
			Body:    text(kind, 4800),
			Extra:   text(kind, 60),
			Tags:    []string{zh(), en()},
			Date:    base.AddDate(0, 0, -r.IntN(1000)),
			Expired: i%17 == 0,
		}
	}
	return docs
}

// peakRSSMB returns the process's peak resident set so far, in MB. It covers
// the whole test binary, so run one sub-benchmark per process to read it.
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // KB on Linux
}

// cpuTime returns the CPU time the process has used, user and system: on a
// shared machine it says more about the cost of a query than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func dirSizeMB(dir string) float64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

// BenchmarkBuild builds an index of each corpus with bleve batches of
// batchSize and with bleve's offline builder, and reports CPU time besides
// the wall time (on a shared machine the CPU time says more). Peak RSS is the
// whole process's, so run one sub-benchmark per process to read it:
//
//	go test ./search -run '^$' -bench 'BenchmarkBuild/realistic/builder' -benchtime=1x
func BenchmarkBuild(b *testing.B) {
	for _, vocab := range benchVocabs {
		b.Run(vocab, func(b *testing.B) {
			docs := corpus(vocab, *benchDocs)
			var textMB float64
			for _, d := range docs {
				textMB += float64(len(d.Title)+len(d.Summary)+len(d.Body)+len(d.Extra)) / (1 << 20)
			}
			for _, m := range []struct {
				name   string
				method buildMethod
			}{{"batches", viaBatches}, {"builder", viaBuilder}} {
				b.Run(m.name, func(b *testing.B) {
					var dir string
					cpu0 := cpuTime()
					for b.Loop() {
						dir = b.TempDir()
						if err := build(context.Background(), dir, docs, nil, m.method, shardCount(len(docs))); err != nil {
							b.Fatal(err)
						}
					}
					cpu := cpuTime() - cpu0
					b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
					b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
					b.ReportMetric(textMB, "text-MB")
					b.ReportMetric(dirSizeMB(dir), "index-MB")
					b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
				})
			}
		})
	}
}

// benchQueries are words and phrases residents type, Chinese and English.
var benchQueries = []string{
	"停水", "电梯", "物业费", "停车位", `"垃圾分类"`, "充电桩 安装", "维修基金 公示",
	"parking", `"parking garage"`, "elevator repair", "water shutoff", "pets noise complaint",
	"电梯 repair", "游泳池 open",
}

// benchIndex returns the directory of an index of the corpus. With
// LOBBY_BENCH_CACHE set to a directory, the index is kept there between runs,
// keyed by corpus, size, format and mapping, so that query benchmarks at 10k
// pages do not rebuild it each time.
func benchIndex(b *testing.B, vocab string, n int) string {
	b.Helper()
	cache := os.Getenv("LOBBY_BENCH_CACHE")
	dir := b.TempDir()
	if cache != "" {
		im, err := newMapping()
		if err != nil {
			b.Fatal(err)
		}
		mj, err := json.Marshal(im)
		if err != nil {
			b.Fatal(err)
		}
		key := fmt.Sprintf("%s-%d-f%d-%x", vocab, n, formatVersion, sha256.Sum256(mj))
		dir = filepath.Join(cache, key[:len(key)-56])
		if _, err := readCurrent(dir); err == nil {
			return dir
		}
	}
	if err := Build(context.Background(), dir, corpus(vocab, n), nil); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchCharQueries are queries with words of one character, alone and
// beside others.
var benchCharQueries = []string{"水", "电", "车", "费", "修", "门", "水 停", "电梯 坏", "门 维修", "漏水 楼"}

// BenchmarkQuery runs benchQueries round-robin against an index of each
// corpus, with snippets and the section facet, and reports the median and
// 99th percentile latency and the CPU time per query.
//
// With LOBBY_BENCH_INDEX set to the .lobby/search folder of a built site
// (such as the generated 10k corpus of bench/run.sh), it runs there too;
// LOBBY_BENCH_QUERY runs that one query instead of benchQueries.
func BenchmarkQuery(b *testing.B) {
	benchmarkQueries(b, benchQueries)
}

// BenchmarkQueryChars is BenchmarkQuery with benchCharQueries.
func BenchmarkQueryChars(b *testing.B) {
	benchmarkQueries(b, benchCharQueries)
}

func benchmarkQueries(b *testing.B, queries []string) {
	vocabs := benchVocabs
	if os.Getenv("LOBBY_BENCH_INDEX") != "" {
		vocabs = append(vocabs[:len(vocabs):len(vocabs)], "site")
	}
	for _, vocab := range vocabs {
		b.Run(vocab, func(b *testing.B) {
			dir := os.Getenv("LOBBY_BENCH_INDEX")
			if vocab != "site" {
				dir = benchIndex(b, vocab, *benchDocs)
			}
			x, err := OpenWithOptions(dir, Options{Timeout: time.Minute})
			if err != nil {
				b.Fatal(err)
			}
			defer x.Close()
			ctx := context.Background()
			if q := os.Getenv("LOBBY_BENCH_QUERY"); q != "" {
				queries = []string{q}
			}
			// As a server some time after it opened: its postings caches
			// warmed, and the page cache and bleve's caches too.
			<-x.cur.Load().warmed
			for _, q := range queries {
				if _, err := x.Search(ctx, Request{Q: q}); err != nil {
					b.Fatal(err)
				}
			}
			var took []time.Duration
			var hits int
			i := 0
			cpu0 := cpuTime()
			for b.Loop() {
				q := queries[i%len(queries)]
				i++
				start := time.Now()
				res, err := x.Search(ctx, Request{Q: q})
				took = append(took, time.Since(start))
				if err != nil {
					b.Fatalf("Search(%q): %v", q, err)
				}
				hits += res.Total
			}
			cpu := cpuTime() - cpu0
			slices.Sort(took)
			pct := func(p float64) float64 {
				return float64(took[min(int(p*float64(len(took))), len(took)-1)].Microseconds())
			}
			b.ReportMetric(pct(0.50), "p50-µs")
			b.ReportMetric(pct(0.99), "p99-µs")
			b.ReportMetric(float64(cpu.Microseconds())/float64(len(took)), "cpu-µs/query")
			b.ReportMetric(float64(hits)/float64(len(took)), "hits/query")
		})
	}
}

// BenchmarkCandidates runs the candidates pass of benchQueries (every page
// that matches, scored, counted by section, the best kept) two ways on the
// same index, side by side: over the postings lists, as Search does
// (plan), and through bleve's searchers, the tests' reference (bleve). It
// reports the CPU time per query of each. On the pessimistic corpus every
// query word is on about half of the pages, as in the costliest queries a
// user can send:
//
//	go test ./search -run '^$' -bench Candidates
func BenchmarkCandidates(b *testing.B) {
	for _, vocab := range benchVocabs {
		b.Run(vocab, func(b *testing.B) {
			x, err := OpenWithOptions(benchIndex(b, vocab, *benchDocs), Options{Timeout: time.Minute})
			if err != nil {
				b.Fatal(err)
			}
			defer x.Close()
			<-x.cur.Load().warmed
			g, err := x.pin()
			if err != nil {
				b.Fatal(err)
			}
			defer g.mu.RUnlock()
			var parts []queryParts
			for _, q := range benchQueries {
				pq, err := parseQuery(q)
				if err != nil {
					b.Fatal(err)
				}
				parts = append(parts, newQueryParts(g.synonyms.expand(pq), "", false, true))
			}
			ctx, now := context.Background(), x.opts.Now()
			// As a server some time after it opened, with the postings of
			// the benchmark's terms in the cache.
			for _, p := range parts {
				if _, err := x.candidates(ctx, g, p, now, -1, rescoreWindow); err != nil {
					b.Fatal(err)
				}
			}
			for _, way := range []struct {
				name string
				run  func(context.Context, *generation, queryParts, time.Time, int, int) (found, error)
			}{{"plan", x.candidates}, {"bleve", x.bleveCandidates}} {
				b.Run(way.name, func(b *testing.B) {
					i := 0
					cpu0 := cpuTime()
					for b.Loop() {
						p := parts[i%len(parts)]
						i++
						need := 10
						if p.phrase != nil {
							need = rescoreWindow
						}
						if _, err := way.run(ctx, g, p, now, -1, need); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(i), "cpu-µs/query")
				})
			}
		})
	}
}

func TestSearchlatAsksTheBenchmarkQueries(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../bench/searchlat/main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "defaultQueries" {
			return true
		}
		tv, err := types.Eval(fset, nil, vs.Pos(), types.ExprString(vs.Values[0]))
		if err != nil {
			t.Fatal(err)
		}
		got = constant.StringVal(tv.Value)
		return false
	})
	if want := strings.Join(benchQueries, "|"); got != want {
		t.Errorf("searchlat's defaultQueries = %q\nbenchQueries joined      = %q", got, want)
	}
}

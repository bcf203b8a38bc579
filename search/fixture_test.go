package search

import (
	"context"
	"testing"
	"time"

	index "github.com/blevesearch/bleve_index_api"
)

// testNow is the moment the fixture's recency is judged against.
var testNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func daysAgo(n int) time.Time { return testNow.AddDate(0, 0, -n) }

// fixtureDocs is a small community site in Chinese and English.
func fixtureDocs() []Doc {
	return []Doc{
		{
			URL: "/notices/water-shutoff/", Title: "3月5日停水通知", Section: "notices",
			Summary: "市政管网维修，3月5日全天停水。",
			Body:    "各位业主：因市政管网维修，小区将于3月5日9:00至17:00停水，请提前储水。停水通知发布后如有疑问，请联系物业服务中心。",
			Tags:    []string{"停水", "维修"}, Date: daysAgo(2),
		},
		{
			URL: "/notices/water-shutoff-2025/", Title: "2025年夏季停水通知", Section: "notices",
			Summary: "去年夏季管道改造期间的停水安排。",
			Body:    "2025年7月管道改造期间，小区分批停水。停水通知已过期，仅供查阅。",
			Tags:    []string{"停水"}, Date: daysAgo(230), Expired: true,
		},
		{
			URL: "/notices/lift-maintenance/", Title: "3号楼电梯年度检修", Section: "notices",
			Summary: "周六3号楼电梯停运检修。",
			Body:    "3号楼电梯将于本周六8:00至12:00进行年度检修，期间请走楼梯，给您带来不便敬请谅解。",
			Date:    daysAgo(5),
		},
		{
			URL: "/parking/", Title: "Parking", Section: "",
			Summary: "Where residents and visitors park.",
			Body:    "Residents may park in the underground garage with a permit. Visitor parking is on level B1; please register at the gate. 访客请在门岗登记。",
		},
		{
			URL: "/fees/2026-q1/", Title: "2026年第一季度物业费收支公示", Section: "fees",
			Summary: "第一季度收支与维修基金情况。",
			Body:    "本季度收支如下表，欢迎业主监督。",
			Extra:   "物业费 120000.00 停车管理费 30000.00 电梯维保 8000.00 保洁 20000.00",
			Date:    daysAgo(20),
		},
		{
			URL: "/notices/fee-reminder/", Title: "缴费提醒", Section: "notices",
			Summary: "请按时缴纳费用。",
			Body:    "请尚未缴纳的业主于月底前到物业服务中心缴纳物业费和停车管理费，谢谢配合。",
			Date:    daysAgo(10),
		},
		{
			URL: "/handbook/waste-sorting/", Title: "垃圾分类指南", Section: "handbook",
			Summary: "四类垃圾如何投放。",
			Body:    "可回收物、有害垃圾、厨余垃圾和其他垃圾分别投放到对应的桶里。",
		},
		{
			URL: "/newsletters/2026-02/", Title: "社区环境简报", Section: "newsletters",
			Summary: "二月社区环境工作回顾。",
			Body:    "二月我们修剪了绿化，清洗了外墙，并在每栋楼下宣传垃圾分类，感谢大家的参与和支持。",
			Date:    daysAgo(28),
		},
		{
			URL: "/handbook/bike-storage/", Title: "Bicycles", Section: "handbook",
			Summary: "Keeping bicycles safe.",
			Body:    "The bike storage room is in building 2. Bring your resident card to open the door.",
		},
		{
			URL: "/handbook/furniture/", Title: "Bulky items", Section: "handbook",
			Summary: "Moving furniture in and out.",
			Body:    "Storage of furniture in corridors is not allowed. A bike left in the lobby will be moved.",
		},
		{
			URL: "/notices/new-spaces/", Title: "地下车库改造完成", Section: "notices",
			Summary: "改造完成。",
			Body:    "地下车库改造完成，新增停车位二十个，停车位按登记顺序分配。",
			Date:    daysAgo(30),
		},
		{
			URL: "/notices/gate-change/", Title: "东门出入口调整", Section: "notices",
			Summary: "东门调整。",
			Body:    "东门停车场入口调整到北侧，车位编号不变。",
			Date:    daysAgo(30),
		},
		{
			URL: "/events/summer-party/", Title: "夏季邻里联欢会", Section: "events",
			Summary: "欢迎全家参加。",
			Body:    "联欢会有游戏、演出和茶点。",
			Extra:   "地点：中心花园 主办：业主委员会",
			Date:    testNow.AddDate(0, 3, 0),
		},
		{
			URL: "/notices/charging/", Title: "充电桩安装通知", Section: "notices",
			Summary: "新装设备。",
			Body:    "安装位置见附图，使用前请到物业登记。",
			Date:    daysAgo(15),
		},
		{
			URL: "/newsletters/2026-01/", Title: "一月简报", Section: "newsletters",
			Summary: "一月工作回顾。",
			Body:    "一月新装充电桩八个，充电桩使用需登记。",
			Date:    daysAgo(15),
		},
		{
			URL: "/notices/pest-control-2024/", Title: "灭鼠通知", Section: "notices",
			Summary: "统一投放鼠药。", Body: "物业将在各楼地下室统一投放鼠药，请看管好宠物和儿童。",
			Date: daysAgo(400),
		},
		{
			URL: "/notices/pest-control-2026/", Title: "灭鼠通知", Section: "notices",
			Summary: "统一投放鼠药。", Body: "物业将在各楼地下室统一投放鼠药，请看管好宠物和儿童。",
			Date: daysAgo(3),
		},
		{
			URL: "/handbook/fire-safety/", Title: "Fire safety", Section: "handbook",
			Summary: "What to do in a fire.",
			Body:    "Keep corridors clear and know your nearest exit.",
			Tags:    []string{"消防", "safety"},
		},
		{
			URL: "/notices/markup/", Title: "Rules <b>for</b> parking spaces", Section: "notices",
			Summary: "",
			Body:    "Use <script>alert(1)</script> & read the 停车位 rules before you park.",
			Date:    daysAgo(40),
		},
	}
}

// openFixture builds the fixture into a fresh directory and opens it.
func openFixture(t testing.TB, opts Options) *Index {
	t.Helper()
	return openDocs(t, fixtureDocs(), opts)
}

// openReader opens a reader of sh's current snapshot, closed when the test
// ends.
func openReader(t testing.TB, sh *shard) index.IndexReader {
	t.Helper()
	r, err := reader(sh.idx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func openDocs(t testing.TB, docs []Doc, opts Options) *Index {
	t.Helper()
	dir := t.TempDir()
	if err := Build(context.Background(), dir, docs, nil); err != nil {
		t.Fatalf("Build: %v", err)
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	x, err := OpenWithOptions(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func urls(hits []Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.URL
	}
	return out
}

func indexOf(hits []Hit, url string) int {
	for i, h := range hits {
		if h.URL == url {
			return i
		}
	}
	return -1
}

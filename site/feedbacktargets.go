package site

import (
	"strconv"
	"strings"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
)

// Messages about [feedback.targets].
var (
	msgTargetCategory = msg.Message{
		En: "feedback.targets: unknown category %q: use %s",
		Zh: "feedback.targets：没有 %q 这个类别，可用的类别是 %s",
	}
	msgTargetTime = msg.Message{
		En: "feedback.targets.%s.%s: %v",
		Zh: "feedback.targets.%s.%s 有误：%v",
	}
	msgTargetOrder = msg.Message{
		En: "feedback.targets.%s: resolve (%s) is shorter than respond (%s): a case is responded to before it is resolved",
		Zh: "feedback.targets.%s：解决时限（%s）短于响应时限（%s），应先响应再解决",
	}
	msgServiceTime = msg.Message{
		En: "%q is not a time such as \"4h\" (4 hours), \"2d\" (2 days), \"30m\" or \"4小时\"",
		Zh: "%q 不是时限，请写成 \"4h\"（4 小时）、\"2d\"（2 天）、\"30m\" 或 \"4小时\"",
	}
	msgServiceTimeZero = msg.Message{
		En: "%q is no time at all: give a target such as \"4h\", or leave the key out for none",
		Zh: "%q 的时限为零：请写成 \"4h\" 这样的时限，不设时限就删去这一项",
	}
)

// ServiceTarget is one category's entry in [feedback.targets]: how soon the
// office promises to respond to a case and to resolve it, as staff write
// times ("4h", "2d", "30m", "1d12h", or "4小时", "2天", "30分钟").
// An empty field sets no target.
type ServiceTarget struct {
	Respond string `toml:"respond"`
	Resolve string `toml:"resolve"`
}

// FeedbackCategories are the category names [feedback.targets] accepts,
// the feedback package's categories (a test in cmd/lobby keeps the two
// lists equal; site does not import feedback).
var FeedbackCategories = []string{"inquiry", "complaint", "repair", "suggestion", "praise"}

// ServiceTargets returns the parsed targets of the [feedback.targets]
// table by category; ParseConfig has checked them.
func (f FeedbackConfig) ServiceTargets() map[string][2]time.Duration {
	out := map[string][2]time.Duration{}
	for cat, t := range f.Targets {
		var d [2]time.Duration
		for i, s := range []string{t.Respond, t.Resolve} {
			if s != "" {
				d[i], _ = ParseServiceTime(s)
			}
		}
		out[cat] = d
	}
	return out
}

// checkTargets reports each mistake in [feedback.targets] through keyErr,
// which places it at its key's line.
func checkTargets(targets map[string]ServiceTarget, src string, errorf func(line, col int, m msg.Message, args ...any)) {
	at := func(key ...string) (int, int) {
		line, col := findTOMLKey(src, key)
		if line == 0 && len(key) == 3 {
			// A [feedback.targets.x] table: point at its first key.
			for _, k := range []string{"respond", "resolve"} {
				if line, col = findTOMLKey(src, append(key, k)); line > 0 {
					break
				}
			}
		}
		return line, col
	}
	for _, cat := range sortedKeys(targets) {
		t := targets[cat]
		if !knownCategory(cat) {
			line, col := at("feedback", "targets", cat)
			errorf(line, col, msgTargetCategory, cat, strings.Join(FeedbackCategories, ", "))
			continue
		}
		var d [2]time.Duration
		for i, f := range []struct{ key, val string }{{"respond", t.Respond}, {"resolve", t.Resolve}} {
			if f.val == "" {
				continue
			}
			var err error
			if d[i], err = ParseServiceTime(f.val); err != nil {
				line, col := at("feedback", "targets", cat, f.key)
				errorf(line, col, msgTargetTime, cat, f.key, err)
			}
		}
		if d[0] > 0 && d[1] > 0 && d[1] < d[0] {
			line, col := at("feedback", "targets", cat, "resolve")
			errorf(line, col, msgTargetOrder, cat, t.Resolve, t.Respond)
		}
	}
}

func knownCategory(c string) bool {
	for _, k := range FeedbackCategories {
		if k == c {
			return true
		}
	}
	return false
}

// serviceUnits are the units a service time may use, longest first so
// that "min" is not read as "m" followed by "in".
var serviceUnits = []struct {
	name string
	d    time.Duration
}{
	{"分钟", time.Minute}, {"小时", time.Hour}, {"min", time.Minute},
	{"天", 24 * time.Hour}, {"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute},
}

// ParseServiceTime parses a service target's time as staff write it: whole
// numbers each followed by a unit, d (days), h (hours) or m (minutes), or
// 天, 小时, 分钟: "4h", "48h", "2d", "1d12h", "30m", "4小时", "2天".
// Days are 24 hours of the clock, not working days.
func ParseServiceTime(s string) (time.Duration, error) {
	bad := msgServiceTime.Error(s)
	rest := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if rest == "" {
		return 0, bad
	}
	var total time.Duration
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i > 6 {
			return 0, bad
		}
		n, _ := strconv.Atoi(rest[:i])
		rest = rest[i:]
		unit := time.Duration(0)
		for _, u := range serviceUnits {
			if strings.HasPrefix(rest, u.name) {
				unit, rest = u.d, rest[len(u.name):]
				break
			}
		}
		if unit == 0 {
			return 0, bad
		}
		total += time.Duration(n) * unit
	}
	if total <= 0 {
		return 0, msgServiceTimeZero.Error(s)
	}
	return total, nil
}

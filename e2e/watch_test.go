package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// an author runs `lobby serve --watch`, opens a notice,
// edits its Markdown, and the open page reloads by itself with the edit.
func TestWatchReloadsOpenPageWhenItsMarkdownChanges(t *testing.T) {
	srv := h.newServer(t, nil, "--watch")
	tb := h.newTab(t, srv, desktop)
	tb.open("/notices/fire-drill/")
	tb.waitFor("the live-reload script", `document.querySelector('script[src="/_lobby/reload.js"]')`)
	eval[bool](tb, `window.e2eOldPage = true`)

	file := filepath.Join(srv.Dir, "content", "notices", "2026-11-26-fire-drill.md")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// The page may not have connected to the reload stream when the first
	// edit lands (it would then take the new build for its own); each
	// later edit is a new build, so edit again until the deadline.
	deadline := time.Now().Add(60 * time.Second)
	for i := 1; ; i++ {
		marker := fmt.Sprintf("演练当天请带好老人和孩子（第%d次修改）", i)
		if err := os.WriteFile(file, append(append([]byte(nil), orig...), "\n\n"+marker+"\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		wait := min(15*time.Second, time.Until(deadline))
		if waitUntil(tb, wait, `document.body && document.body.innerText.includes(`+strconv.Quote(marker)+`)`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the open page never showed the edit; it says:\n%s\nserver log:\n%s", tb.bodyText(), srv.log.tail(3000))
		}
	}
	if eval[bool](tb, `window.e2eOldPage === true`) {
		t.Errorf("the edit showed up without a reload")
	}
	if got := tb.location(); got != "/notices/fire-drill/" {
		t.Errorf("after the reload the page is %s, want /notices/fire-drill/", got)
	}
}

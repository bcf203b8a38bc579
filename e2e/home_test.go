package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// the home page shows the urgent banner, the next event
// and the 24-hour hotline without scrolling, on a phone as on a laptop,
// and the banner leads to its notice.
func TestHomeShowsBannerNextEventAndHotlineWithoutScrolling(t *testing.T) {
	srv := h.demoServer(t)
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := h.newTab(t, srv, vp)
			tb.open("/")
			tb.shot("home-" + vp.name)
			for _, c := range []struct{ what, sel, text string }{
				{"urgent banner", ".banner a", "停水"},
				{"next event", ".next-event a", "冬至包饺子"},
				{"hotline", ".hotline-call", "0571-8000 0001"},
			} {
				b := tb.rect(c.sel)
				switch {
				case !b.Found || !b.Visible:
					t.Errorf("%s (%s) is not shown", c.what, c.sel)
				case b.Top < 0 || b.Bottom > float64(vp.height):
					t.Errorf("%s (%s) spans %.0f–%.0f px: want it within the first %d px", c.what, c.sel, b.Top, b.Bottom, vp.height)
				}
				if got := tb.text(c.sel); !strings.Contains(got, c.text) {
					t.Errorf("%s reads %q: want it to contain %q", c.what, got, c.text)
				}
			}
			if label := tb.text(".banner .label"); label != "紧急" {
				t.Errorf("banner label = %q, want 紧急 (urgency in words, not only red)", label)
			}
			if w := eval[int](tb, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
				t.Errorf("the page is %d px wider than the screen", w)
			}

			tb.clickAndWaitLoad(".banner a")
			if got := tb.location(); got != "/notices/water-shutoff/" {
				t.Fatalf("the banner led to %s, want /notices/water-shutoff/", got)
			}
			if h1 := tb.text("main h1"); !strings.Contains(h1, "停水") {
				t.Errorf("notice page heading = %q, want the water shut-off", h1)
			}
		})
	}
}

// fontSizes are the computed font sizes of <html> and <body>, in px.
type fontSizes struct{ HTML, Body float64 }

func (tb *tab) fontSizes() fontSizes {
	tb.t.Helper()
	return eval[fontSizes](tb, `({HTML: parseFloat(getComputedStyle(document.documentElement).fontSize),
  Body: parseFloat(getComputedStyle(document.body).fontSize)})`)
}

// A+ makes the text larger, and the choice holds on
// the next page.
func TestTextSizeChoiceGrowsTextAndPersistsOnAnotherPage(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, phone)
	tb.open("/")
	before := tb.fontSizes()
	tb.click(`[data-textsize] button[data-size="large"]`)
	tb.waitFor("the text to grow after A+", fmt.Sprintf(`parseFloat(getComputedStyle(document.body).fontSize) > %g`, before.Body))
	after := tb.fontSizes()
	if after.HTML <= before.HTML {
		t.Errorf("html font-size %gpx after A+, want more than %gpx", after.HTML, before.HTML)
	}

	tb.open("/notices/water-shutoff/")
	got := tb.fontSizes()
	if got != after {
		t.Errorf("on the next page font sizes are %+v, want %+v as chosen", got, after)
	}
	if p := eval[string](tb, `document.querySelector('[data-textsize] button[data-size="large"]').getAttribute("aria-pressed")`); p != "true" {
		t.Errorf("A+ aria-pressed = %q on the next page, want true", p)
	}
}

package site

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

// A poster's QR code paints exactly the dark modules of the code, a rectangle
// per horizontal run, inside a four-module quiet zone.
func TestQRSVGPaintsTheCode(t *testing.T) {
	const text = "https://example.org/notices/2026-11-25-water-shutoff/"
	svg, err := qrSVG(text)
	if err != nil {
		t.Fatal(err)
	}
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	n := code.Size + 8
	if want := fmt.Sprintf(`viewBox="0 0 %d %d"`, n, n); !strings.Contains(string(svg), want) {
		t.Errorf("no %s in %.200s", want, svg)
	}
	d := regexp.MustCompile(` d="([^"]*)"`).FindStringSubmatch(string(svg))
	if d == nil {
		t.Fatalf("no path in %.200s", svg)
	}
	dark := make([][]bool, n)
	for y := range dark {
		dark[y] = make([]bool, n)
	}
	rect := regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	if rest := rect.ReplaceAllString(d[1], ""); rest != "" {
		t.Fatalf("the path has more than rectangles: %q", rest)
	}
	rects := rect.FindAllStringSubmatch(d[1], -1)
	modules := 0
	for _, r := range rects {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		if r[4] != r[3] || w < 1 || y >= n || x+w > n {
			t.Fatalf("bad rectangle %q", r[0])
		}
		for i := x; i < x+w; i++ {
			if dark[y][i] {
				t.Errorf("module %d,%d painted twice", i, y)
			}
			dark[y][i] = true
			modules++
		}
	}
	for y := range n {
		for x := range n {
			in := x >= 4 && y >= 4 && x < code.Size+4 && y < code.Size+4
			if want := in && code.Black(x-4, y-4); dark[y][x] != want {
				t.Fatalf("module %d,%d painted %v, want %v", x, y, dark[y][x], want)
			}
		}
	}
	if len(rects) >= modules {
		t.Errorf("%d rectangles for %d dark modules: runs are not joined", len(rects), modules)
	}
}

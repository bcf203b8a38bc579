package site

import (
	"fmt"
	"strings"
	"testing"
)

// A pagination bar shows the first and last pages and a window around the
// current one, with gaps, however long the list.
func TestPaginatorLinks(t *testing.T) {
	for _, tc := range []struct {
		number, total int
		want          string
	}{
		{1, 1, "[1]"},
		{1, 3, "[1] 2 3"},
		{2, 5, "1 [2] 3 4 5"},
		{1, 10, "[1] 2 3 … 10"},
		{5, 10, "1 … 3 4 [5] 6 7 … 10"},
		{4, 10, "1 2 3 [4] 5 6 … 10"},
		{10, 10, "1 … 8 9 [10]"},
		{150, 282, "1 … 148 149 [150] 151 152 … 282"},
	} {
		pages := paginate("/", "/n/", make([]*Page, tc.total), 1)
		var got []string
		for _, l := range pages[tc.number-1].Links() {
			switch {
			case l.Number == 0:
				got = append(got, "…")
			case l.Current:
				got = append(got, fmt.Sprintf("[%d]", l.Number))
			default:
				got = append(got, fmt.Sprint(l.Number))
			}
			if l.Number > 0 && l.URL != pages[l.Number-1].URLs[l.Number-1] {
				t.Errorf("page %d links %d to %s", tc.number, l.Number, l.URL)
			}
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("page %d of %d: %s, want %s", tc.number, tc.total, s, tc.want)
		}
	}
}

package feedback

import (
	"slices"
	"testing"
)

func TestGatherTakesWhatIsQueuedUpToMax(t *testing.T) {
	q := make(chan int, 10)
	for i := 2; i <= 6; i++ {
		q <- i
	}
	if got, want := Gather(1, q, 4), []int{1, 2, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("Gather with 5 queued, max 4 = %v, want %v", got, want)
	}
	if got, want := Gather(0, q, 4), []int{0, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("Gather of the rest = %v, want %v (it must not wait for more)", got, want)
	}
	close(q)
	if got, want := Gather(7, q, 4), []int{7}; !slices.Equal(got, want) {
		t.Errorf("Gather on a closed queue = %v, want %v", got, want)
	}
}

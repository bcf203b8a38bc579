package feedback

// Gather returns first followed by what queue holds right now, at most max
// in all, without waiting for more. A store's writer uses it to put the
// writes that arrived while the last transaction was being flushed into the
// next one, so that one flush serves them all. A closed queue ends the
// gathering.
func Gather[T any](first T, queue <-chan T, max int) []T {
	batch := []T{first}
	for len(batch) < max {
		select {
		case v, ok := <-queue:
			if !ok {
				return batch
			}
			batch = append(batch, v)
		default:
			return batch
		}
	}
	return batch
}

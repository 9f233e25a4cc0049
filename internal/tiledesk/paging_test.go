package tiledesk

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// pager serves pages out of items, as a server honouring page and limit
// does; count is what it reports (-1: len(items)).
type pager struct {
	items   []string
	count   int
	limit   int
	fetched []int
	// ignorePage always serves the first page.
	ignorePage bool
	// failAt fails the fetch of that page (-1: never).
	failAt int
}

func newPager(n, limit int) *pager {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf("item-%04d", i)
	}
	return &pager{items: items, count: -1, limit: limit, failAt: -1}
}

var errFetch = errors.New("fetch failed")

func (p *pager) fetch(page int) ([]string, int, error) {
	p.fetched = append(p.fetched, page)
	if len(p.fetched) > 10_000 {
		panic("walkPages is looping")
	}
	if page == p.failAt {
		return nil, 0, errFetch
	}
	count := p.count
	if count < 0 {
		count = len(p.items)
	}
	if p.ignorePage {
		page = 0
	}
	lo := min(page*p.limit, len(p.items))
	hi := min(lo+p.limit, len(p.items))
	return slices.Clone(p.items[lo:hi]), count, nil
}

func (p *pager) walk(maxItems int) ([]string, error) {
	return walkPages(maxItems, p.limit, p.fetch, func(s string) string { return s })
}

func TestWalkPages(t *testing.T) {
	tests := []struct {
		name     string
		n, limit int
		count    int // -1: the real count
		max      int
		wantLen  int
		fetched  []int
	}{
		{"short last page", 250, 100, -1, 0, 250, []int{0, 1, 2}},
		{"single short page", 7, 100, -1, 0, 7, []int{0}},
		{"empty list", 0, 100, -1, 0, 0, []int{0}},
		{"count reached at a page boundary", 200, 100, -1, 0, 200, []int{0, 1}},
		{"exactly one full page", 100, 100, -1, 0, 100, []int{0}},
		// The count said 300 but items went away during the walk.
		{"empty page", 200, 100, 300, 0, 200, []int{0, 1, 2}},
		// Without a count (0: missing), the walk goes on to a short or
		// empty page, as walkPages documents.
		{"no count: short page", 250, 100, 0, 0, 250, []int{0, 1, 2}},
		{"no count: empty page", 300, 100, 0, 0, 300, []int{0, 1, 2, 3}},
		{"cap inside the first page", 250, 100, -1, 30, 30, []int{0}},
		{"cap at a page boundary", 250, 100, -1, 200, 200, []int{0, 1}},
		{"cap above the count", 250, 100, -1, 1000, 250, []int{0, 1, 2}},
		{"small pages", 10, 3, -1, 0, 10, []int{0, 1, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPager(tt.n, tt.limit)
			p.count = tt.count
			got, err := p.walk(tt.max)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantLen {
				t.Errorf("%d items, want %d", len(got), tt.wantLen)
			}
			if !slices.Equal(got, p.items[:len(got)]) {
				t.Errorf("items out of order or wrong")
			}
			if !slices.Equal(p.fetched, tt.fetched) {
				t.Errorf("fetched pages %v, want %v", p.fetched, tt.fetched)
			}
		})
	}
}

// Items seen twice (the list shifted under the walk) are kept once.
func TestWalkPagesDeduplicates(t *testing.T) {
	pages := [][]string{{"a", "b", "c"}, {"c", "d", "e"}, {"e", "f"}}
	var fetched int
	got, err := walkPages(0, 3, func(page int) ([]string, int, error) {
		fetched++
		return pages[page], 8, nil
	}, func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c", "d", "e", "f"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if fetched != 3 {
		t.Errorf("%d fetches, want 3", fetched)
	}
}

// A duplicate does not count towards the cap.
func TestWalkPagesCapCountsDistinctItems(t *testing.T) {
	pages := [][]string{{"a", "b"}, {"b", "c"}, {"d", "e"}}
	got, err := walkPages(3, 2, func(page int) ([]string, int, error) {
		return pages[page], 6, nil
	}, func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// A server that ignores the page parameter serves the same full page again
// and again: the walk ends after as many pages as the count allows.
func TestWalkPagesServerIgnoresPage(t *testing.T) {
	tests := []struct {
		name        string
		n, count    int
		maxFetches  int
		wantItems   int
		maxItemsArg int
	}{
		{"with the real count", 250, -1, 3, 100, 0},
		{"with count 0", 250, 0, 2, 100, 0},
		{"with a cap above a page", 250, -1, 3, 100, 150},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPager(tt.n, 100)
			p.count = tt.count
			p.ignorePage = true
			got, err := p.walk(tt.maxItemsArg)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantItems {
				t.Errorf("%d items, want %d", len(got), tt.wantItems)
			}
			if len(p.fetched) > tt.maxFetches {
				t.Errorf("%d fetches (%v), want at most %d", len(p.fetched), p.fetched, tt.maxFetches)
			}
		})
	}
}

func TestWalkPagesError(t *testing.T) {
	p := newPager(250, 100)
	p.failAt = 1
	got, err := p.walk(0)
	if !errors.Is(err, errFetch) || got != nil {
		t.Errorf("got %v, %v; want nil and the fetch error", got, err)
	}
	if !slices.Equal(p.fetched, []int{0, 1}) {
		t.Errorf("fetched %v", p.fetched)
	}
}

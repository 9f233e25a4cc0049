package tiledesktest

import (
	"cmp"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// page is the paging and sorting of a list route.
type page struct {
	limit     int  // 0 = no limit (MongoDB's limit(0))
	nanLimit  bool // limit was sent but is not a number: perPage renders null, no limit, no skip
	skip      int
	sort      string
	direction int // 1 ascending, -1 descending
}

// parsePage reads limit, page, sort and direction as the list routes do:
// limit = parseInt(limit) (default 40), skip = page*limit (default page 0),
// sort default "createdAt", direction default -1. ok is false when MongoDB
// would reject the query (negative skip): the real route then never answers.
func parsePage(q url.Values) (p page, ok bool) {
	p = page{limit: 40, sort: "createdAt", direction: -1}
	if v := q.Get("limit"); v != "" {
		if n, ok := parseInt(v); ok {
			p.limit = n
		} else {
			p.limit, p.nanLimit = 0, true
		}
	}
	if v := q.Get("page"); v != "" {
		if n, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && !math.IsNaN(n) {
			p.skip = int(n * float64(p.limit))
		}
	}
	if v := q.Get("sort"); v != "" {
		p.sort = v
	}
	switch strings.ToLower(q.Get("direction")) {
	case "1", "asc", "ascending":
		p.direction = 1
	}
	return p, p.skip >= 0
}

// parseInt imitates JavaScript's parseInt(s, 10): leading spaces, a sign,
// then as many digits as there are.
func parseInt(s string) (int, bool) {
	s = strings.TrimLeft(s, " \t\n\r")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	digits := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == digits {
		return 0, false
	}
	n, err := strconv.Atoi(s[:end])
	return n, err == nil
}

// perPage is the list answer's perPage: the limit, null when it is NaN.
func (p page) perPage() any {
	if p.nanLimit {
		return nil
	}
	return p.limit
}

// slice returns the requested page of sorted docs. A negative limit counts
// as its absolute value, as in MongoDB.
func slice[T any](p page, docs []T) []T {
	if p.skip >= len(docs) {
		return nil
	}
	docs = docs[p.skip:]
	if limit := abs(p.limit); limit > 0 && limit < len(docs) {
		docs = docs[:limit]
	}
	return docs
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// sortItems sorts items on a field in a direction, ties broken by id in the
// same direction. A doc without the field sorts as equal to any other.
func sortItems[T any](docs []T, field string, direction int, key func(T, string) (string, bool), id func(T) string) {
	slices.SortStableFunc(docs, func(a, b T) int {
		ka, okA := key(a, field)
		kb, okB := key(b, field)
		c := 0
		if okA && okB {
			c = strings.Compare(ka, kb)
		}
		return direction * cmp.Or(c, strings.Compare(id(a), id(b)))
	})
}

package tiledesk

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// benchSegmentJSON is a realistic segment with 10 filters of every type.
var benchSegmentJSON = func() []byte {
	values := []string{`"@example.it"`, `"premium"`, `3`, `2.5`, `true`, `""`, `"Rome"`, `{"city":"Rome","zip":"00100"}`, `["vip","beta"]`, `"IT"`}
	ops := []string{"contains", "=", ">=", ">", "=", "is null", "!=", "=", "=", "="}
	fields := []string{"email", "attributes.plan", "attributes.orders", "attributes.score", "attributes.vip", "phone", "city", "attributes.address", "tags", "country"}
	filters := make([]string, len(values))
	for i := range values {
		filters[i] = fmt.Sprintf(`{"field":%q,"operator":%q,"value":%s}`, fields[i], ops[i], values[i])
	}
	return []byte(`{"_id":"6750c0ffee0000000000abcd","name":"Italian premium leads","match":"all","filters":[` +
		strings.Join(filters, ",") + `],"id_project":"6750c0ffee00000000001234","status":100,` +
		`"createdBy":"6750c0ffee00000000005678","createdAt":"2026-11-28T10:00:00.000Z","updatedAt":"2026-11-28T10:00:00.123Z","__v":0}`)
}()

func BenchmarkDecodeSegment(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchSegmentJSON)))
	for b.Loop() {
		var s Segment
		if err := json.Unmarshal(benchSegmentJSON, &s); err != nil {
			b.Fatal(err)
		}
		if len(s.Filters) != 10 {
			b.Fatalf("%d filters", len(s.Filters))
		}
	}
}

func BenchmarkGetSegment(b *testing.B) {
	c := newHandlerClient(b, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(benchSegmentJSON)
	}, nil)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		s, err := Segments.Get(ctx, c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
		if err != nil {
			b.Fatal(err)
		}
		if s.ID == "" {
			b.Fatal("no id")
		}
	}
}

// TestBenchSegmentJSON keeps the benchmark's input honest.
func TestBenchSegmentJSON(t *testing.T) {
	var s Segment
	if err := json.Unmarshal(benchSegmentJSON, &s); err != nil {
		t.Fatal(err)
	}
	if s.ID != "6750c0ffee0000000000abcd" || len(s.Filters) != 10 || !s.Live() || s.UpdatedAt.Nanosecond() != 123_000_000 {
		t.Errorf("segment = %+v", s)
	}
	if v := jsonValue(t, s.Filters[7].Value); fmt.Sprintf("%T", v) != "map[string]interface {}" {
		t.Errorf("object value decoded as %T", v)
	}
}

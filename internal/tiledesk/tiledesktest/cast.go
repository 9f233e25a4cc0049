package tiledesktest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Casts of body values as mongoose casts a document's paths: a value that
// does not cast is an error (errCast), which the routes answer with a 500.

// caster casts one JSON value.
type caster func(json.RawMessage) (any, error)

var (
	asString caster = func(raw json.RawMessage) (any, error) { s, err := castString(raw); return deref(s), err }
	asBool   caster = func(raw json.RawMessage) (any, error) { return castBool(raw) }
	asNumber caster = func(raw json.RawMessage) (any, error) { return castNumber(raw) }
)

// castFields casts the keys of a body that a route reads: each key of
// casters that is present and not null.
func castFields(fields map[string]json.RawMessage, casters map[string]caster) (doc, error) {
	d := doc{}
	for k, cast := range casters {
		raw := fields[k]
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		v, err := cast(raw)
		if err != nil {
			return nil, err
		}
		d[k] = v
	}
	return d, nil
}

// castString casts a JSON value to a mongoose String: nil for absent or
// null, numbers and booleans become their text, objects and arrays fail.
func castString(raw json.RawMessage) (*string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, errCast
	}
	if v == nil {
		return nil, nil
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case bool:
		s = strconv.FormatBool(x)
	case float64:
		b, _ := marshal(x) // like JavaScript's String(number)
		s = string(b)
	default:
		return nil, errCast
	}
	return &s, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// castBool casts a JSON value to a mongoose Boolean: true, false, "true",
// "false", 1, 0, "1", "0", "yes", "no".
func castBool(raw json.RawMessage) (bool, error) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false, errCast
	}
	switch v {
	case true, "true", 1.0, "1", "yes":
		return true, nil
	case false, "false", 0.0, "0", "no":
		return false, nil
	}
	return false, errCast
}

// castNumber casts a JSON value to a mongoose Number: a number, or a string
// that holds one.
func castNumber(raw json.RawMessage) (float64, error) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return 0, errCast
	}
	switch x := v.(type) {
	case float64:
		return x, nil
	case string:
		if n, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && strings.TrimSpace(x) != "" {
			return n, nil
		}
	}
	return 0, errCast
}

// truthy is JavaScript's truthiness of a JSON value (absent is false).
func truthy(raw json.RawMessage) bool {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	}
	return true
}

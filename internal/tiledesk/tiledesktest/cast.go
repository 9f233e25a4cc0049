package tiledesktest

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// How the routes read a body: each key cast to its schema type as mongoose
// casts it, a failed cast being the route's 500.

// errCast is a mongoose cast or validation error: the routes answer 500.
var errCast = errors.New("cast error")

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

// caster casts a JSON value that is present and not null to a schema type.
type caster func(json.RawMessage) (any, error)

// castKeys casts the keys of a body that a route reads, each by casts[key]
// (a String when casts has none). An absent key is left out; a null one is
// nil (a create stores it as null; an update that skips null values drops
// it: withoutNulls).
func castKeys(fields map[string]json.RawMessage, casts map[string]caster, keys ...string) (doc, error) {
	d := doc{}
	for _, k := range keys {
		raw, ok := fields[k]
		switch {
		case !ok || len(raw) == 0:
			continue
		case string(raw) == "null":
			d[k] = nil
			continue
		}
		cast := casts[k]
		if cast == nil {
			cast = asString
		}
		v, err := cast(raw)
		if err != nil {
			return nil, err
		}
		d[k] = v
	}
	return d, nil
}

// withoutNulls drops the null values: an update that sets only the keys
// sent and not null (`!= undefined` in the routes).
func withoutNulls(d doc) doc {
	for k, v := range d {
		if v == nil {
			delete(d, k)
		}
	}
	return d
}

// The casters of the schema types.
func asString(raw json.RawMessage) (any, error) {
	s, err := castString(raw)
	return deref(s), err
}

func asBool(raw json.RawMessage) (any, error) { return castBool(raw) }

func asNumber(raw json.RawMessage) (any, error) { return castNumber(raw) }

// asMixed stores any JSON value as sent (an Object or Mixed path).
func asMixed(raw json.RawMessage) (any, error) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil, errCast
	}
	return v, nil
}

// asArray is an Array of Mixed: an array as sent, any other value wrapped
// in one ("abc" is ["abc"]).
func asArray(raw json.RawMessage) (any, error) {
	v, err := asMixed(raw)
	if list, ok := v.([]any); ok || err != nil {
		return list, err
	}
	return []any{v}, nil
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

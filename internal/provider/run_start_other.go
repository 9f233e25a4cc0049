//go:build !linux

package provider

import "time"

// parentStart is unknown outside Linux: the provider's own start is used.
func parentStart() time.Time { return time.Time{} }

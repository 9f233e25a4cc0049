package provider

import (
	"context"
	"runtime"
	"testing"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type bigValueKey struct{}

// The framework keeps every request's context until StopProvider; the
// server of NewServer lets go of it when the request ends. The first case
// shows that the test can tell.
func TestNewServer_releasesRequestContexts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		server   tfprotov6.ProviderServer
		wantKept bool
	}{
		{"framework as it is", providerserver.NewProtocol6(New("test")())(), true},
		{"NewServer", NewServer("test")(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept := oneRequest(tc.server)
			runtime.GC()
			runtime.GC()
			if got := kept.Value() != nil; got != tc.wantKept {
				t.Errorf("request context kept after the request: %v, want %v", got, tc.wantKept)
			}
			runtime.KeepAlive(tc.server)
		})
	}
}

// oneRequest sends requests with a context that holds a large value, ends
// that context as gRPC does when a request is answered, and returns a weak
// pointer to the value.
func oneRequest(server tfprotov6.ProviderServer) weak.Pointer[[1 << 20]byte] {
	big := new([1 << 20]byte) // what a request's loggers weigh, and more
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), bigValueKey{}, big))
	defer cancel()
	for _, typ := range []string{"tiledesk_segments", "tiledesk_segment"} {
		_, _ = server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: typ})
	}
	return weak.Make(big)
}

// A request sees its context's values and cancelation; once it is over, its
// context is canceled and empty.
func TestReleasableContext(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), bigValueKey{}, "v"))
	rc := newReleasableContext(parent)
	child, stop := context.WithCancel(rc) // what the framework does
	defer stop()
	if rc.Value(bigValueKey{}) != "v" || child.Value(bigValueKey{}) != "v" || child.Err() != nil {
		t.Fatal("the request's context is not passed on")
	}
	cancel()
	<-child.Done() // the request's cancelation reaches the framework's context
	rc.release()
	if rc.Value(bigValueKey{}) != nil || rc.Err() == nil {
		t.Error("a released context still answers for the request")
	}
}

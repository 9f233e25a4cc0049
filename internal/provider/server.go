package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewServer returns the provider's protocol 6 server: the framework's, whose
// per-resource requests see a context that lets go of the request's context
// when the request ends.
//
// Why: terraform-plugin-framework v1.19.0 (internal/proto6server/serve.go,
// registerContext) derives a cancelable context from every request's and
// keeps its cancel function until StopProvider, which Terraform calls only
// on interrupt. Each kept context holds its parents, with the per-request
// loggers terraform-plugin-go puts in them: about 40 KiB per request, 4
// requests per segment, so 177 MiB of peak RSS at 1,000 segments. Handing
// the framework a releasableContext instead keeps what the framework holds
// to a few words per request once the request is over.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return releasingServer{providerserver.NewProtocol6(New(version)())()}
	}
}

// releasingServer passes each per-resource and per-data-source request on
// with a releasableContext, released when the request returns. The other
// requests (schema, configure, stop: a few per command) pass as they are.
type releasingServer struct {
	tfprotov6.ProviderServer
}

// released is what a releasableContext answers for after its request: a
// context canceled and without values.
var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// releasableContext is a request's context until release, then released.
// A context derived from it during the request (the framework's) follows
// the request's cancelation as usual.
type releasableContext struct {
	ctx atomic.Pointer[context.Context]
}

func newReleasableContext(ctx context.Context) *releasableContext {
	c := &releasableContext{}
	c.ctx.Store(&ctx)
	return c
}

func (c *releasableContext) get() context.Context                    { return *c.ctx.Load() }
func (c *releasableContext) release()                                { c.ctx.Store(&released) }
func (c *releasableContext) Deadline() (deadline time.Time, ok bool) { return c.get().Deadline() }
func (c *releasableContext) Done() <-chan struct{}                   { return c.get().Done() }
func (c *releasableContext) Err() error                              { return c.get().Err() }
func (c *releasableContext) Value(key any) any                       { return c.get().Value(key) }

// serve runs one request with a releasableContext.
func serve[Req, Resp any](ctx context.Context, f func(context.Context, Req) (Resp, error), req Req) (Resp, error) {
	rc := newReleasableContext(ctx)
	defer rc.release()
	return f(rc, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(ctx, s.ProviderServer.ValidateResourceConfig, req)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(ctx, s.ProviderServer.UpgradeResourceState, req)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(ctx, s.ProviderServer.UpgradeResourceIdentity, req)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(ctx, s.ProviderServer.ReadResource, req)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(ctx, s.ProviderServer.PlanResourceChange, req)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, s.ProviderServer.ApplyResourceChange, req)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, s.ProviderServer.ImportResourceState, req)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, s.ProviderServer.ValidateDataResourceConfig, req)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, s.ProviderServer.ReadDataSource, req)
}

// The list resource RPCs (terraform query) pass as they are: terraform-plugin-go
// finds them through tfprotov6.ProviderServerWithListResource, which the
// embedded interface alone would hide, and ListResource's results are read
// after it returns, so its context must not be released when it does.
var _ tfprotov6.ProviderServerWithListResource = releasingServer{} //nolint:staticcheck // the only way terraform-plugin-go v0.31 finds list resources

func (s releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.listServer().ValidateListResourceConfig(ctx, req)
}

func (s releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.listServer().ListResource(ctx, req)
}

func (s releasingServer) listServer() tfprotov6.ListResourceServer {
	return s.ProviderServer.(tfprotov6.ListResourceServer) // the framework's server implements it
}

// Command terraform-provider-tiledesk serves the Tiledesk Terraform provider.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/provider"
)

// version is set at build time by -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider for debuggers such as delve (TF_REATTACH_PROVIDERS)")
	flag.Parse()
	quietSDKLogs()

	// providerserver.Serve, with the framework's server wrapped so that it
	// does not keep every request's context (provider.NewServer).
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve("registry.terraform.io/tiledesk/tiledesk", provider.NewServer(version), opts...); err != nil {
		log.Fatal(err)
	}
}

// quietSDKLogs turns the SDK's trace logging off when Terraform would drop
// it anyway: Terraform shows provider logs only with TF_LOG or
// TF_LOG_PROVIDER, and otherwise each line is still encoded as JSON here and
// decoded by Terraform (about 3 ms per resource of a no-op plan, measured
// with make bench). Levels set explicitly are kept.
func quietSDKLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_TILEDESK"} {
		if _, set := os.LookupEnv(v); !set {
			_ = os.Setenv(v, "off")
		}
	}
}

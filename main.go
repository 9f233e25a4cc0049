// Command terraform-provider-tiledesk serves the Tiledesk Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/provider"
)

// version is set at build time by -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider for debuggers such as delve (TF_REATTACH_PROVIDERS)")
	flag.Parse()
	quietSDKLogs()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/tiledesk/tiledesk",
		Debug:   debug,
	})
	if err != nil {
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

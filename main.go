// Command terraform-provider-tiledesk serves the Tiledesk Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/provider"
)

// version is set at build time by -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider for debuggers such as delve (TF_REATTACH_PROVIDERS)")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/tiledesk/tiledesk",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

# subscriptions.tfquery.hcl, beside the configuration. `terraform query -generate-config-out=subscriptions.tf`
# writes a resource and an import block for each webhook subscription found.
provider "tiledesk" {}

list "tiledesk_webhook_subscription" "all" {
  provider = tiledesk
}

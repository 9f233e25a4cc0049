# groups.tfquery.hcl, beside the configuration. `terraform query -generate-config-out=groups.tf`
# writes a resource and an import block for each group found.
provider "tiledesk" {}

list "tiledesk_group" "all" {
  provider = tiledesk
}

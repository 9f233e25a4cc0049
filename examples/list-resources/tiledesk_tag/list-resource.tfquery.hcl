# tags.tfquery.hcl, beside the configuration. `terraform query -generate-config-out=tags.tf`
# writes a resource and an import block for each tag found.
provider "tiledesk" {}

list "tiledesk_tag" "all" {
  provider = tiledesk
}

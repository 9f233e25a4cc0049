# departments.tfquery.hcl, beside the configuration. `terraform query -generate-config-out=departments.tf`
# writes a resource and an import block for each department found.
provider "tiledesk" {}

list "tiledesk_department" "all" {
  provider = tiledesk
}

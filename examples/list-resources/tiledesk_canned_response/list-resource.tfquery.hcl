# canned.tfquery.hcl, beside the configuration. `terraform query -generate-config-out=canned.tf`
# writes a resource and an import block for each canned response found (the shared ones and the user's own).
provider "tiledesk" {}

list "tiledesk_canned_response" "all" {
  provider = tiledesk
}

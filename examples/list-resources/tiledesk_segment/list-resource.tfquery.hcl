# segments.tfquery.hcl, beside the configuration. `terraform query` lists what the blocks find;
# `terraform query -generate-config-out=segments.tf` writes a resource and an import block for each.
provider "tiledesk" {}

# Every live segment of the provider's project. A list block returns at most 100 results unless
# `limit` says otherwise.
list "tiledesk_segment" "all" {
  provider = tiledesk
  limit    = 1000
}

# Only the VIP segments of another project, with every attribute in the results.
list "tiledesk_segment" "vip" {
  provider         = tiledesk
  include_resource = true

  config {
    project_id  = "6750c0ffee00000000005678"
    name_prefix = "VIP "
    name_regex  = "(?i)italy|france"
  }
}

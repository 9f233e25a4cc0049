# Look a segment up by name (every page of the list is searched)...
data "tiledesk_segment" "premium" {
  name = "Italian premium leads"
}

# ...or by id, in another project than the provider's.
data "tiledesk_segment" "by_id" {
  project_id = "6750c0ffee00000000005555"
  id         = "6750c0ffee0000000000abcd"
}

output "premium_filters" {
  value = data.tiledesk_segment.premium.filters
}

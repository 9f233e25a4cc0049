# Every group of the provider's project whose name starts with "EU ".
data "tiledesk_groups" "eu" {
  name_prefix = "EU "
}

output "eu_group_ids" {
  value = data.tiledesk_groups.eu.ids
}

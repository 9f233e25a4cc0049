# Every tag of the provider's project whose name starts with "campaign-", case-insensitive.
data "tiledesk_tags" "campaigns" {
  name_regex = "(?i)^campaign-"
}

output "campaign_tags" {
  value = [for t in data.tiledesk_tags.campaigns.tags : t.tag]
}

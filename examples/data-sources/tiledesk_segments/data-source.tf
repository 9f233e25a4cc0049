# Every live segment of the provider's project.
data "tiledesk_segments" "all" {}

# Only the segments whose name starts with "Campaign " and ends with a year.
data "tiledesk_segments" "campaigns" {
  name_prefix = "Campaign "
  name_regex  = "20[0-9]{2}$"
}

output "campaign_segment_ids" {
  value = data.tiledesk_segments.campaigns.ids
}

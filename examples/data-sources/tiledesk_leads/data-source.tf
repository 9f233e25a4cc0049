resource "tiledesk_segment" "vip" {
  name = "VIP"
  filters = [
    { field = "tags", operator = "=", value = "vip" },
  ]
}

# Whom the segment reaches: review it in the plan of a pull request.
data "tiledesk_leads" "vip" {
  segment_id = tiledesk_segment.vip.id
  limit      = 20
}

output "vip_reach" {
  value = {
    total  = data.tiledesk_leads.vip.total
    emails = [for lead in data.tiledesk_leads.vip.leads : lead.email]
  }
}

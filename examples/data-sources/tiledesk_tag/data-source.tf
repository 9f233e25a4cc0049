# By name: exact and case-sensitive ("vip" and "VIP" are two tags).
data "tiledesk_tag" "vip" {
  tag = "vip"
}

output "vip_color" {
  value = data.tiledesk_tag.vip.color
}

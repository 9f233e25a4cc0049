# By name (names are not unique in Tiledesk: two groups with this name are an error).
data "tiledesk_group" "support" {
  name = "Support team"
}

# Route a department to a group managed elsewhere.
resource "tiledesk_department" "support" {
  name     = "Support"
  id_group = data.tiledesk_group.support.id
}

output "support_members" {
  value = data.tiledesk_group.support.members
}

# The teammates who answer sales questions; the Sales department routes its conversations to them only.
resource "tiledesk_group" "sales" {
  name = "Sales team"
  members = [
    "6750c0ffee0000000000c0a1", # teammates' user ids, as the dashboard's Teammates page shows them
    "6750c0ffee0000000000c0b2",
  ]
}

resource "tiledesk_department" "sales" {
  name     = "Sales"
  routing  = "assigned"
  id_group = tiledesk_group.sales.id
}

# Kept, but disabled until its members are trained.
resource "tiledesk_group" "trainees" {
  name    = "Trainees"
  members = ["6750c0ffee0000000000c0c3"]
  enabled = false
}

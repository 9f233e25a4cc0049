# Tags agents put on conversations and contacts. Each name exists once in a project.
resource "tiledesk_tag" "vip" {
  tag   = "vip"
  color = "#43B1F2"
}

resource "tiledesk_tag" "follow_up" {
  tag = "follow-up"
}

# Conversations from the pricing page go to the sales agents, one agent each.
resource "tiledesk_department" "sales" {
  name        = "Sales"
  description = "Questions about plans and prices"
  routing     = "assigned"
  id_group    = "6750c0ffee0000000000a001" # a tiledesk_group's id: only its members get these conversations
}

# A bot answers first; agents take over when it hands off.
resource "tiledesk_department" "support" {
  name   = "Support"
  id_bot = "6750c0ffee0000000000b071"
}

# Hidden from the widget: reachable only when a conversation names it.
resource "tiledesk_department" "escalations" {
  name   = "Escalations"
  status = 0
}

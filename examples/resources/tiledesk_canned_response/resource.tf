# Shared with every agent of the project (an owner's or admin's canned response always is).
resource "tiledesk_canned_response" "hours" {
  title = "Opening hours"
  text  = "We answer Monday to Friday, 9:00 to 18:00 CET. Outside those hours, leave your email and we write back."
}

# Run with an agent's token: shared = true shares it with the whole team; without it, it would be private to
# the agent. (shared = false is refused: Tiledesk shares an owner's or admin's canned response whatever is asked.)
resource "tiledesk_canned_response" "refund" {
  title  = "Refund policy"
  text   = "You can ask for a refund within 30 days of the purchase: reply with your order number."
  shared = true
}

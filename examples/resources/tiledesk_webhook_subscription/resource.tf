# Every new conversation of the project is POSTed to the CRM's endpoint.
resource "tiledesk_webhook_subscription" "new_requests" {
  event  = "request.create"
  target = "https://crm.example.com/hooks/tiledesk"
}

# The secret Tiledesk signs the deliveries with, for the receiving side (sensitive).
output "webhook_secret" {
  value     = tiledesk_webhook_subscription.new_requests.secret
  sensitive = true
}

# By target URL (a target may take several events: two subscriptions to it are an error; look one up by id then).
data "tiledesk_webhook_subscription" "crm" {
  target = "https://crm.example.com/hooks/tiledesk"
}

output "crm_event" {
  value = data.tiledesk_webhook_subscription.crm.event
}

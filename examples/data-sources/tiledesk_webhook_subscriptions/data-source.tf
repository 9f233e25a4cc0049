# Every subscription of the provider's project that delivers to the CRM.
data "tiledesk_webhook_subscriptions" "crm" {
  name_prefix = "https://crm.example.com/"
}

output "crm_events" {
  value = [for s in data.tiledesk_webhook_subscriptions.crm.webhook_subscriptions : s.event]
}

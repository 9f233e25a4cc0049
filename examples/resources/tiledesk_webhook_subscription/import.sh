# A subscription of the provider's project, by its id:
terraform import tiledesk_webhook_subscription.new_requests 6750c0ffee0000000000e001

# A subscription of any project, as <project_id>/<subscription_id>:
terraform import tiledesk_webhook_subscription.new_requests 6750c0ffee00000000001234/6750c0ffee0000000000e001

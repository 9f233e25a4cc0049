# Leads from Italy on the premium plan with at least 3 orders.
resource "tiledesk_segment" "italian_premium" {
  name  = "Italian premium leads"
  match = "all"
  filters = [
    { field = "email", operator = "contains", value = "@example\\.it$" },
    { field = "attributes.plan", operator = "=", value = "premium" },
    { field = "attributes.orders", operator = ">=", value = "3", value_type = "number" },
    { field = "attributes.vip", operator = "=", value = "true", value_type = "boolean" },
    { field = "phone", operator = "is not null" },
  ]
}

# Every operator once, and every value_type.
resource "tiledesk_segment" "every_operator" {
  project_id = "6750c0ffee00000000001234" # optional: defaults to the provider's project_id
  name       = "Every operator"
  match      = "any"
  filters = [
    { field = "country", operator = "=", value = "IT" },
    { field = "attributes.plan", operator = "!=", value = "free" },
    { field = "attributes.score", operator = ">", value = "7.5", value_type = "number" },
    { field = "attributes.orders", operator = ">=", value = "10", value_type = "number" },
    { field = "fullname", operator = "starts with", value = "Mar" },
    { field = "company", operator = "contains", value = "S\\.p\\.A\\." },
    { field = "attributes.unsubscribed_at", operator = "is null" },
    { field = "email", operator = "is not null" },
    { field = "attributes.newsletter", operator = "=", value = "false", value_type = "boolean" },
    { field = "attributes.preferences", operator = "=", value = jsonencode({ language = "it", channels = ["email"] }), value_type = "json" },
  ]
}

# A segment with no filters matches every lead.
resource "tiledesk_segment" "everyone" {
  name = "Everyone"
}

# A segment from YAML, each filter value with its own type.
locals {
  premium = yamldecode(<<-EOT
    name: Italian premium leads
    filters:
      - { field: email, operator: contains, value: "@example\\.it$" }
      - { field: attributes.orders, operator: ">=", value: 3 }
      - { field: attributes.vip, operator: "=", value: true }
      - { field: attributes.languages, operator: "=", value: [it, en] }
      - { field: zipcode, operator: "=", value: "00184" }
      - { field: phone, operator: is not null }
  EOT
  )
}

resource "tiledesk_segment" "italian_premium" {
  name = local.premium.name
  # The same as writing:
  # filters = [
  #   { field = "email", operator = "contains", value = "@example\\.it$", value_type = "string" },
  #   { field = "attributes.orders", operator = ">=", value = "3", value_type = "number" },
  #   { field = "attributes.vip", operator = "=", value = "true", value_type = "boolean" },
  #   { field = "attributes.languages", operator = "=", value = "[\"it\",\"en\"]", value_type = "json" },
  #   { field = "zipcode", operator = "=", value = "00184", value_type = "string" },
  #   { field = "phone", operator = "is not null", value = null, value_type = "string" },
  # ]
  filters = provider::tiledesk::filters(local.premium.filters)
}

# By name (names are not unique in Tiledesk: two departments with this name are an error).
data "tiledesk_department" "sales" {
  name = "Sales"
}

# The project's default department.
data "tiledesk_department" "default" {
  default = true
}

output "sales_routing" {
  value = data.tiledesk_department.sales.routing
}

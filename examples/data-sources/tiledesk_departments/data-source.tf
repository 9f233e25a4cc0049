# Every department of the provider's project whose name starts with "EU ".
data "tiledesk_departments" "eu" {
  name_prefix = "EU "
}

output "eu_department_ids" {
  value = data.tiledesk_departments.eu.ids
}

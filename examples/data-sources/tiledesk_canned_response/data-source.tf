# By title (titles are not unique in Tiledesk: two canned responses with this title are an error).
data "tiledesk_canned_response" "hours" {
  title = "Opening hours"
}

output "opening_hours_text" {
  value = data.tiledesk_canned_response.hours.text
}

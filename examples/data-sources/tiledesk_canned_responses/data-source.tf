# Every canned response the provider's user sees in its project (the shared ones and its own) whose title
# starts with "FAQ: ".
data "tiledesk_canned_responses" "faq" {
  name_prefix = "FAQ: "
}

output "faq_titles" {
  value = [for c in data.tiledesk_canned_responses.faq.canned_responses : c.title]
}

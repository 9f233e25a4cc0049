# A canned response of the provider's project, by its id:
terraform import tiledesk_canned_response.hours 6750c0ffee0000000000c001

# A canned response of any project, as <project_id>/<canned_response_id>:
terraform import tiledesk_canned_response.hours 6750c0ffee00000000001234/6750c0ffee0000000000c001

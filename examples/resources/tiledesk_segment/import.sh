# A segment of the provider's project, by its id:
terraform import tiledesk_segment.italian_premium 6750c0ffee0000000000abcd

# A segment of any project, as <project_id>/<segment_id>:
terraform import tiledesk_segment.italian_premium 6750c0ffee00000000001234/6750c0ffee0000000000abcd

# A group of the provider's project, by its id:
terraform import tiledesk_group.sales 6750c0ffee0000000000a001

# A group of any project, as <project_id>/<group_id>:
terraform import tiledesk_group.sales 6750c0ffee00000000001234/6750c0ffee0000000000a001

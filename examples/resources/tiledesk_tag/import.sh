# A tag of the provider's project, by its id (the error of a create whose name exists names it):
terraform import tiledesk_tag.vip 6750c0ffee0000000000e001

# A tag of any project, as <project_id>/<tag_id>:
terraform import tiledesk_tag.vip 6750c0ffee00000000001234/6750c0ffee0000000000e001

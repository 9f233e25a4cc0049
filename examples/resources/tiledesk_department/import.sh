# A department of the provider's project, by its id:
terraform import tiledesk_department.sales 6750c0ffee0000000000d001

# A department of any project, as <project_id>/<department_id>:
terraform import tiledesk_department.sales 6750c0ffee00000000001234/6750c0ffee0000000000d001

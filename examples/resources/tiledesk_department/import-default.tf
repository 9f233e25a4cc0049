# Adopt the project's default department, which Tiledesk made with the project.
data "tiledesk_department" "default" {
  default = true
}

import {
  to = tiledesk_department.default
  id = "6750c0ffee0000000000d000" # data.tiledesk_department.default.id, as `terraform plan` shows it
}

resource "tiledesk_department" "default" {
  name    = "Default Department"
  routing = "assigned"
  # Destroying the default department breaks the routing of conversations that name no department:
  # the provider refuses it unless this is set (and applied) first.
  # allow_default_deletion = true
}

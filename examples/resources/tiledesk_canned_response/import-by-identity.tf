# Terraform 1.12+ and OpenTofu 1.12+: import by identity. project_id may be left out for a canned response of
# the provider's project. `terraform query -generate-config-out` writes blocks like this one for you.
import {
  to = tiledesk_canned_response.hours
  identity = {
    project_id = "6750c0ffee00000000001234"
    id         = "6750c0ffee0000000000c001"
  }
}

# GitOps root module: one tiledesk_segment per entry of segments.yaml.
# The file's format is described in README.md beside this file. The provider
# reads its whole configuration from TILEDESK_* environment variables (the CI
# secret store), so nothing secret is in Git.

terraform {
  required_version = ">= 1.5"

  required_providers {
    tiledesk = {
      source  = "tiledesk/tiledesk"
      version = "~> 0.1"
    }
  }

  # Keep the state in a remote backend that locks it, so that two pipelines
  # never apply at the same time (see docs/guides/gitops.md), for example:
  # backend "s3" {
  #   bucket       = "example-terraform-state"
  #   key          = "tiledesk/segments.tfstate"
  #   region       = "eu-west-1"
  #   use_lockfile = true
  # }
}

# api_url, project_id and token (or email and password) come from
# TILEDESK_API_URL, TILEDESK_PROJECT_ID, TILEDESK_TOKEN, ...
provider "tiledesk" {}

locals {
  segments = yamldecode(file("${path.module}/segments.yaml"))

  # The value_type for the first character of a value's JSON encoding:
  # YAML numbers, booleans, maps and lists keep their type on the server.
  value_types = {
    "\"" = "string"
    "t"  = "boolean"
    "f"  = "boolean"
    "{"  = "json"
    "["  = "json"
    "n"  = "string" # no value: the null tests
  }
  segment_keys = ["name", "match", "filters"]
  filter_keys  = ["field", "operator", "value"]
}

resource "tiledesk_segment" "this" {
  # The map key is the resource key: tiledesk_segment.this["italian_premium"].
  for_each = local.segments

  name  = each.value.name
  match = try(each.value.match, "all")
  filters = [
    for f in try(each.value.filters, []) : {
      field    = f.field
      operator = f.operator
      # Text as is; numbers and booleans as their text (3, true); maps and
      # lists as JSON text; no value for the null tests.
      value      = try(tostring(f.value), jsonencode(f.value), null)
      value_type = lookup(local.value_types, substr(jsonencode(try(f.value, null)), 0, 1), "number")
    }
  ]

  lifecycle {
    # A misspelt key (fitlers:) would otherwise be ignored without a word.
    precondition {
      condition     = length(setsubtract(keys(each.value), local.segment_keys)) == 0
      error_message = "segments.yaml, entry ${each.key}: unknown key(s) ${join(", ", setsubtract(keys(each.value), local.segment_keys))}; an entry has only ${join(", ", local.segment_keys)}."
    }
    precondition {
      condition     = alltrue([for f in try(each.value.filters, []) : length(setsubtract(keys(f), local.filter_keys)) == 0])
      error_message = "segments.yaml, entry ${each.key}: a filter has a key other than ${join(", ", local.filter_keys)}."
    }
  }
}

output "segment_ids" {
  description = "Segment id per key of segments.yaml."
  value       = { for k, s in tiledesk_segment.this : k => s.id }
}

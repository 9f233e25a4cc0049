# GitOps root module: one tiledesk_segment per entry of segments.yaml.
# The file's format is described in README.md beside this file. The provider
# reads its whole configuration from TILEDESK_* environment variables (the CI
# secret store), so nothing secret is in Git.

terraform {
  required_version = ">= 1.8" # provider::tiledesk::filters

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
  segments     = yamldecode(file("${path.module}/segments.yaml"))
  segment_keys = ["name", "match", "filters"]
}

resource "tiledesk_segment" "this" {
  # The map key is the resource key: tiledesk_segment.this["italian_premium"].
  for_each = local.segments

  name  = each.value.name
  match = try(each.value.match, "all")
  # Each value keeps its YAML type on the server: the function sets
  # value_type from it (text, number, boolean, or JSON for lists and maps),
  # and stops the plan on a misspelt filter key (vaule:), naming the filter.
  # local.segments[each.key] rather than each.value: the error then shows
  # the entry's key too.
  filters = provider::tiledesk::filters(try(local.segments[each.key].filters, []))

  lifecycle {
    # A misspelt key (fitlers:) would otherwise be ignored without a word.
    precondition {
      condition     = length(setsubtract(keys(each.value), local.segment_keys)) == 0
      error_message = "segments.yaml, entry ${each.key}: unknown key(s) ${join(", ", setsubtract(keys(each.value), local.segment_keys))}; an entry has only ${join(", ", local.segment_keys)}."
    }
  }
}

output "segment_ids" {
  description = "Segment id per key of segments.yaml."
  value       = { for k, s in tiledesk_segment.this : k => s.id }
}

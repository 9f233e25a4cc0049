terraform {
  required_providers {
    tiledesk = {
      source  = "tiledesk/tiledesk"
      version = "~> 0.1"
    }
  }
}

variable "tiledesk_token" {
  type      = string
  sensitive = true
}

# Tiledesk cloud, authenticated with a JWT. Every attribute can come from the
# environment instead: TILEDESK_API_URL, TILEDESK_PROJECT_ID, TILEDESK_TOKEN,
# TILEDESK_EMAIL, TILEDESK_PASSWORD, TILEDESK_REQUEST_TIMEOUT, TILEDESK_MAX_RETRIES.
provider "tiledesk" {
  api_url    = "https://api.tiledesk.com/v3"
  project_id = "6750c0ffee00000000001234"
  token      = var.tiledesk_token # with or without the "JWT " prefix

  request_timeout = "30s"
  max_retries     = 4
}

# A self-hosted server, authenticated with email and password.
provider "tiledesk" {
  alias    = "self_hosted"
  api_url  = "http://localhost:3000"
  email    = "ops@example.com"
  password = var.tiledesk_password
}

variable "tiledesk_password" {
  type      = string
  sensitive = true
  default   = null
}

# Adopt a segment made in the dashboard: plan shows the import, apply records it.
import {
  to = tiledesk_segment.italian_premium
  id = "6750c0ffee00000000001234/6750c0ffee0000000000abcd"
}

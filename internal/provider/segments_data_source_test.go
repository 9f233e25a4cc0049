package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

func TestAccSegmentsDataSource_basic(t *testing.T) {
	env := newAccEnv(t)
	bulk := seedSegments(t, env.segments, env.project, "Bulk", tiledesk.ListPageSize+5)
	vip := seedSegments(t, env.segments, env.project, "VIP", 3)
	env.segments.SoftDelete(t, vip[1].ID)
	env.segments.Seed(t, env.otherProject, tiledesktest.Segment{Name: "VIP of another project " + testName(t, "")})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{
				Config: env.config(`data "tiledesk_segments" "all" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_segments.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(len(bulk)+2)),
					statecheck.ExpectKnownValue("data.tiledesk_segments.all", tfjsonpath.New("ids").AtSliceIndex(0), knownvalue.StringExact(bulk[0].ID)),
					statecheck.ExpectKnownValue("data.tiledesk_segments.all", tfjsonpath.New("segments").AtSliceIndex(len(bulk)+1).AtMapKey("name"), knownvalue.StringExact("VIP 002")),
				},
			},
			{
				Config: env.config(`data "tiledesk_segments" "vip" { name_prefix = "VIP" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_segments.vip", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(vip[0].ID), knownvalue.StringExact(vip[2].ID),
					})),
				},
			},
			{
				Config: env.config(`data "tiledesk_segments" "re" { name_regex = "(?i)^bulk 00[0-4]$" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_segments.re", tfjsonpath.New("ids"), knownvalue.ListSizeExact(5)),
				},
			},
			{
				Config: env.config(`data "tiledesk_segments" "both" {
  name_prefix = "Bulk"
  name_regex  = "7$"
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_segments.both", tfjsonpath.New("ids"), knownvalue.ListSizeExact(10)), // Bulk 007, 017, ..., 097
				},
			},
		},
	})
}

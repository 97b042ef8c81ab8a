"""The README's three Flows in Python, served by the native nexla provider (pulumi-resource-nexla)."""

import pulumi
import pulumi_nexla as nexla

# The whole "orders" flow runs.
orders = nexla.Flow("orders", flow_id=100, status=nexla.FlowStatus.ACTIVE)

# Everything downstream of data set 2101 is paused; the rest of its flow is left alone.
archive = nexla.Flow(
    "clickstream-archive",
    data_set_id=2101,
    scope=nexla.FlowScope.DOWNSTREAM,
    status=nexla.FlowStatus.PAUSED,
)

# The billing flow goes to user 2 of org 2 (Nexla allows this to super users only), then starts under its new
# owner.
billing = nexla.Flow(
    "billing-export",
    data_source_id=1200,
    status=nexla.FlowStatus.ACTIVE,
    owner=nexla.FlowOwnerArgs(owner_id=2, org_id=2, include_data_credentials=True, include_code_containers=True),
)

pulumi.export("ordersStatus", orders.status)
pulumi.export("archivedSinks", archive.data_sinks)
pulumi.export("billingOwner", billing.flow_owner)

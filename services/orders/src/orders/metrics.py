"""The business metrics of orders, as CloudWatch embedded metrics (Powertools).

Each is published after the order's write has committed: a failure is logged, never raised.
"""

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from orders.models import Order
from shop_common.observability import metrics, never_failing

ORDER_CREATED = "OrderCreated"
ORDER_STATUS_CHANGED = "OrderStatusChanged"


class CloudWatchOrderMetrics:
    def order_created(self, order: Order) -> None:
        with never_failing(ORDER_CREATED):
            metrics.add_metric(name=ORDER_CREATED, unit=MetricUnit.Count, value=1)

    def status_changed(self, order: Order) -> None:
        # A metric of its own, so the `status` dimension tags this count and nothing else;
        # its namespace given, or Powertools reads it from the environment at this call.
        with (
            never_failing(ORDER_STATUS_CHANGED),
            single_metric(
                name=ORDER_STATUS_CHANGED,
                unit=MetricUnit.Count,
                value=1,
                namespace=metrics.namespace,
                default_dimensions=metrics.default_dimensions,
            ) as metric,
        ):
            metric.add_dimension(name="service", value=str(metrics.service))
            metric.add_dimension(name="status", value=order.status)


CLOUDWATCH_ORDER_METRICS = CloudWatchOrderMetrics()

"""What the orders functions create once per container, at cold start: each handler
module reads the settings and builds only the parts its route uses."""

from functools import partial
from typing import TYPE_CHECKING

from orders.logic import OrderDesk
from orders.repository import (
    CognitoUserDirectory,
    DynamoDBOrderRepository,
    DynamoDBProductCatalog,
    idempotency_store,
)
from orders.settings import OrdersSettings
from shop_common.dynamodb import Table

if TYPE_CHECKING:
    from orders.notifications import OrderMailer


def settings() -> OrdersSettings:
    return OrdersSettings.from_env()


def order_repository(settings: OrdersSettings) -> DynamoDBOrderRepository:
    return DynamoDBOrderRepository(
        Table(settings.orders_table_name), Table(settings.products_table_name)
    )


def product_catalog(settings: OrdersSettings) -> DynamoDBProductCatalog:
    return DynamoDBProductCatalog(Table(settings.products_table_name))


def user_directory(settings: OrdersSettings) -> CognitoUserDirectory:
    return CognitoUserDirectory(settings.user_pool_id)


def order_desk(settings: OrdersSettings) -> OrderDesk:
    return OrderDesk(
        order_repository(settings),
        product_catalog(settings),
        partial(idempotency_store, settings.idempotency_table_name),
        user_directory(settings),
        currency=settings.currency,
    )


def order_mailer(settings: OrdersSettings) -> "OrderMailer":
    # Imported here: only NotifyOrder sends mail; the API's functions do not load the mail
    # transports (smtplib), the e-mail package or the idempotency utility at cold start.
    from orders.notifications import OrderMailer
    from shop_common.mail import notifier
    from shop_common.notify import MailSettings

    return OrderMailer(
        user_directory(settings),
        notifier(MailSettings.from_env()),
        idempotency_store(settings.idempotency_table_name),
    )

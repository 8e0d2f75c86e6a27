"""What the products functions create once per container, at cold start: each handler
module reads the settings and builds only the parts its route uses."""

from products.repository import DynamoDBProductRepository, S3ImageStore
from products.settings import ProductsSettings
from shop_common.dynamodb import dynamodb_table


def settings() -> ProductsSettings:
    return ProductsSettings.from_env()


def product_repository(settings: ProductsSettings) -> DynamoDBProductRepository:
    return DynamoDBProductRepository(dynamodb_table(settings.products_table_name))


def image_store(settings: ProductsSettings) -> S3ImageStore:
    return S3ImageStore(settings.images_bucket_name, settings.image_base_url)

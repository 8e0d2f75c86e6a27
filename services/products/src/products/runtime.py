"""What the products functions create once per container, at cold start: each handler
module builds only what its route uses."""

from products.repository import DynamoDBProductRepository, S3ImageStore
from products.settings import ProductsSettings
from shop_common.dynamodb import dynamodb_table

settings = ProductsSettings.from_env()


def product_repository() -> DynamoDBProductRepository:
    return DynamoDBProductRepository(dynamodb_table(settings.products_table_name))


def image_store() -> S3ImageStore:
    return S3ImageStore(settings.images_bucket_name, settings.image_base_url)

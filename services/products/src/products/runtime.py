"""What the products functions create once per container, at cold start: each handler
module reads the settings and builds only the parts its route uses."""

from products.repository import DynamoDBProductRepository, S3ImageStore, s3_client
from products.settings import ProductsSettings
from shop_common.dynamodb import Table


def settings() -> ProductsSettings:
    return ProductsSettings.from_env()


def product_repository(settings: ProductsSettings) -> DynamoDBProductRepository:
    return DynamoDBProductRepository(Table(settings.products_table_name))


def image_store(settings: ProductsSettings) -> S3ImageStore:
    """The bucket, its client made at the first call that needs it (a product update that
    names an image: most do not)."""
    return S3ImageStore(settings.images_bucket_name, settings.image_base_url)


def image_uploads(settings: ProductsSettings) -> S3ImageStore:
    """The bucket, its client made now: every upload form is signed with it."""
    return S3ImageStore(settings.images_bucket_name, settings.image_base_url, s3_client())

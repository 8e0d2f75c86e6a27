"""What every products function creates once per container, at cold start."""

from products.repository import DynamoDBProductRepository
from products.settings import ProductsSettings
from shop_common.dynamodb import dynamodb_table

settings = ProductsSettings.from_env()
repository = DynamoDBProductRepository(dynamodb_table(settings.products_table_name))

"""The one product item: as the products service stores and returns it, and as orders
(pricing a line, reserving stock) and partners (their catalogue, quotes) read it."""

from pydantic import BaseModel, ConfigDict

from shop_common.money import Money


class Product(BaseModel):
    """A product as the Products table stores it and the API returns it (`price` a
    `Decimal`: a DynamoDB number, a JSON number). `stock` None: not tracked (always
    available); `image` is where its picture is served, if it has one."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    product_id: str
    name: str
    description: str = ""
    image: str | None = None
    stock: int | None = None
    price: Money
    created_at: str
    updated_at: str

    def has_stock_for(self, quantity: int) -> bool:
        return self.stock is None or self.stock >= quantity

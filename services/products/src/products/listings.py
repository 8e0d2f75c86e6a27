"""Which index serves which `GET /products` listing, and the attributes that put a product
in it. Pure: the repository and the tests' in-memory table read the same definitions.

    listing                 index        partition key        sort key
    by name (default)       ByName       catalogue = "all"    name_key
    ?q= (a name search)     ByName       catalogue = "all"    name_key, begins_with(q)
    ?sort=newest            ByCreation   catalogue = "all"    created_key, descending
"""

from datetime import UTC, datetime

from products.models import ProductListQuery, ProductSort
from shop_common.pagination import Listing

BY_NAME_INDEX = "ByName"
BY_CREATION_INDEX = "ByCreation"
CATALOGUE = "catalogue"
CATALOGUE_VALUE = "all"
NAME_KEY = "name_key"
CREATED_KEY = "created_key"
_TABLE_KEY = ("product_id",)


def name_key(name: str) -> str:
    """A name as the catalogue sorts and searches it: case-folded, single-spaced."""
    return " ".join(name.casefold().split())


def created_key(moment: datetime) -> str:
    """When a product was created, to the microsecond, as the newest-first listing sorts
    it (`created_at` is to the second: products created in the same second would tie)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def product_listing(query: ProductListQuery) -> Listing:
    if query.sort is ProductSort.NEWEST:
        return _catalogue("products/newest", BY_CREATION_INDEX, CREATED_KEY, descending=True)
    if query.q is None:
        return _catalogue("products/name", BY_NAME_INDEX, NAME_KEY)
    prefix = name_key(query.q)
    return _catalogue(f"products/search/{prefix}", BY_NAME_INDEX, NAME_KEY, prefix=prefix)


def _catalogue(
    name: str, index: str, sort_key: str, *, descending: bool = False, prefix: str | None = None
) -> Listing:
    return Listing(
        name=name,
        index=index,
        partition_key=CATALOGUE,
        partition_value=CATALOGUE_VALUE,
        sort_key=sort_key,
        table_key=_TABLE_KEY,
        descending=descending,
        sort_key_prefix=prefix,
    )

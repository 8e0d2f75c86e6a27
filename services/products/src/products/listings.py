"""Which index serves which `GET /products` listing (shop_common.catalogue defines the
indexes and the attributes that put a product in them).

    listing                 index        sort key
    by name (default)       ByName       name_key
    ?q= (a name search)     ByName       name_key, begins_with(q)
    ?sort=newest            ByCreation   created_key, descending
"""

from products.models import ProductListQuery, ProductSort
from shop_common.catalogue import by_name, name_key, newest_first
from shop_common.pagination import Listing


def product_listing(query: ProductListQuery) -> Listing:
    if query.sort is ProductSort.NEWEST:
        return newest_first("products/newest")
    if query.q is None:
        return by_name("products/name")
    prefix = name_key(query.q)
    return by_name(f"products/search/{prefix}", prefix=prefix)

"""Which index serves which `GET /products` listing (shop_common.catalogue defines the
indexes and the attributes that put a product in them).

    listing                 index        sort key
    by name (default)       ByName       name_key
    ?q= (a name search)     ByWord       word_prefix = q's longest word's prefix, by name_key;
                                         q's other words filtered on words_key
    ?sort=newest            ByCreation   created_key, descending
"""

from products.models import ProductListQuery, ProductSort
from shop_common.catalogue import by_name, by_word, name_words, newest_first
from shop_common.pagination import Listing


def product_listing(query: ProductListQuery) -> Listing:
    if query.sort is ProductSort.NEWEST:
        return newest_first("products/newest")
    if query.q is None:
        return by_name("products/name")
    return by_word(f"products/search/{' '.join(name_words(query.q))}", query.q)

"""The catalogue's listing indexes on the Products table, which the products service writes
and both the products and partners services read. Pure: the repositories and the tests'
in-memory tables read the same definitions.

    index        partition key        sort key
    ByName       catalogue = "all"    name_key (a name search is begins_with on it)
    ByCreation   catalogue = "all"    created_key
"""

from datetime import UTC, datetime

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


def by_name(name: str, *, prefix: str | None = None) -> Listing:
    """The catalogue by name (only the names starting with `prefix`, if given); `name`
    tells this listing's cursors from every other's."""
    return _catalogue(name, BY_NAME_INDEX, NAME_KEY, prefix=prefix)


def newest_first(name: str) -> Listing:
    return _catalogue(name, BY_CREATION_INDEX, CREATED_KEY, descending=True)


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

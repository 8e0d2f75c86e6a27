"""A DynamoDB Query of one `Listing`, over items in memory, for the services' fakes."""

from collections.abc import Callable, Iterable
from typing import Any

from shop_common.pagination import Listing

type Pager = Callable[[int, str | None], tuple[list[dict[str, Any]], str | None]]


def query_items(listing: Listing, items: Iterable[dict[str, Any]]) -> Pager:
    """As DynamoDB queries the listing's index: its partition (and sort key prefix), in
    (sort key, table key) order, after the cursor's key, keeping the items that hold the
    listing's `contains`;
    returns `(limit, cursor) -> (page, next cursor)`."""

    def position(item: dict[str, Any]) -> tuple[str, ...]:
        return (str(item[listing.sort_key]), *(str(item[k]) for k in listing.table_key))

    chosen = sorted(
        (
            item
            for item in items
            if item[listing.partition_key] == listing.partition_value
            and str(item[listing.sort_key]).startswith(listing.sort_key_prefix or "")
            and all(text in str(item.get(name, "")) for name, text in listing.contains)
        ),
        key=position,
        reverse=listing.descending,
    )

    def page(limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        start = listing.start_key(cursor)
        rest = chosen
        if start is not None:
            after = position(start)
            rest = [
                item
                for item in chosen
                if (position(item) < after if listing.descending else position(item) > after)
            ]
        more = len(rest) > limit
        return rest[:limit], listing.cursor_after(rest[limit - 1]) if more else None

    return page

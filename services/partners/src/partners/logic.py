"""The partners rules, pure and typed: the catalogue and the API keys come in as arguments,
with the clock."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from partners.models import (
    CatalogueProduct,
    CatalogueQuery,
    CreatedPartner,
    NewKey,
    NewPartnerRequest,
    Partner,
    PartnerChangeRequest,
    PartnerRecord,
    Quote,
    QuoteLine,
    QuoteRequest,
    Tier,
    Usage,
)
from shop_common.caller import Caller
from shop_common.catalogue import by_name
from shop_common.clock import Clock, iso_timestamp, utc_now
from shop_common.errors import FieldError, ForbiddenError, NotFoundError
from shop_common.pagination import CursorPage, Listing
from shop_common.pricing import basket_total, line_total, require_distinct_products
from shop_common.product import Product


class Catalogue(Protocol):
    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Product]:
        """A page of `listing` (one Query reading at most `limit` + 1 products); a cursor
        that `listing` did not issue is an `InvalidCursorError`."""
        ...

    def get(self, product_id: str) -> Product | None: ...

    def get_many(self, product_ids: set[str]) -> dict[str, Product]:
        """The products among `product_ids` that exist, by id (at most 100 ids)."""
        ...


class PartnerDirectory(Protocol):
    """Partners' API keys and their tiers' usage plans."""

    def create(self, name: str, tier: Tier) -> NewKey:
        """A new enabled key in `tier`'s plan; nothing is left behind if either step fails."""
        ...

    def partners(self) -> list[PartnerRecord]:
        """Every key in a tier's plan, oldest first."""
        ...

    def get(self, partner_id: str) -> PartnerRecord:
        """The partner; `NotFoundError` if no tier's plan holds that key, `ConflictError` for
        a partner's key between two plans (a change under way)."""
        ...

    def move(self, partner: PartnerRecord, tier: Tier) -> None:
        """Move the key from its tier's plan to `tier`'s; `ConflictError` if it is no longer
        in `partner.tier`'s (changed meanwhile), `NotFoundError` if it was revoked."""
        ...

    def set_enabled(self, partner_id: str, enabled: bool) -> None:
        """`NotFoundError` if the key is gone."""
        ...

    def revoke(self, partner_id: str) -> None:
        """Delete a partner's key, in a tier's plan or between two; `NotFoundError` if there
        is none, or it is another key of the account."""
        ...

    def usage(self, first_day: date, last_day: date) -> dict[str, list[int]]:
        """Requests per key id and UTC day from `first_day` to `last_day`, every plan's."""
        ...


@dataclass(frozen=True)
class CatalogueListing:
    products: list[CatalogueProduct]
    next_cursor: str | None


# ---------------------------------------------------------------- what partners call
# The shop's catalogue by name, with cursors of its own (a GET /products cursor is a 400 here).
PARTNER_CATALOGUE = by_name("partner/products")


def list_catalogue(query: CatalogueQuery, catalogue: Catalogue, currency: str) -> CatalogueListing:
    """The catalogue by name, one indexed Query per page."""
    page = catalogue.page(PARTNER_CATALOGUE, limit=query.limit, cursor=query.cursor)
    products = [CatalogueProduct.of(product, currency) for product in page.items]
    return CatalogueListing(products, page.next_cursor)


def catalogue_product(product_id: str, catalogue: Catalogue, currency: str) -> CatalogueProduct:
    product = catalogue.get(product_id)
    if product is None:
        raise NotFoundError(
            f"Product {product_id} not found", [FieldError("product_id", "no such product")]
        )
    return CatalogueProduct.of(product, currency)


def quote(
    request: QuoteRequest, catalogue: Catalogue, currency: str, *, clock: Clock = utc_now
) -> Quote:
    """Each line priced from its product as an order would be; an unknown product is a 404
    naming every line that asks for one; a product on two lines is a 400, as in an order."""
    require_distinct_products([line.product_id for line in request.lines])
    products = catalogue.get_many({str(line.product_id) for line in request.lines})
    unknown = [
        FieldError(f"lines.{index}.product_id", f"no such product: {line.product_id}")
        for index, line in enumerate(request.lines)
        if str(line.product_id) not in products
    ]
    if unknown:
        missing = sorted({str(line.product_id) for line in request.lines} - products.keys())
        raise NotFoundError(f"Product not found: {', '.join(missing)}", unknown)
    lines = []
    for line in request.lines:
        product = products[str(line.product_id)]
        lines.append(
            QuoteLine(
                product_id=product.product_id,
                name=product.name,
                quantity=line.quantity,
                unit_price=product.price,
                available=product.has_stock_for(line.quantity),
                line_total=line_total(product.price, line.quantity),
            )
        )
    return Quote(
        lines=lines,
        total=basket_total(line.line_total for line in lines),
        currency=currency,
        quoted_at=iso_timestamp(clock()),
    )


# ---------------------------------------------------------------- what the admin calls
class PartnerDesk:
    """The admin's management of partners: keys created, listed with usage, moved between
    tiers, disabled and revoked."""

    def __init__(self, directory: PartnerDirectory, *, clock: Clock = utc_now) -> None:
        self._directory = directory
        self._clock = clock

    def create(self, caller: Caller, request: NewPartnerRequest) -> CreatedPartner:
        """A new partner and its key, whose value this answer alone holds."""
        _require_admin(caller)
        key = self._directory.create(request.name, request.tier)
        return CreatedPartner(**Partner.of(key.record, Usage()).model_dump(), api_key=key.value)

    def list(self, caller: Caller) -> list[Partner]:
        _require_admin(caller)
        records = self._directory.partners()
        usage = self._usage()
        return [Partner.of(record, usage.get(record.partner_id, Usage())) for record in records]

    def change(self, caller: Caller, partner_id: str, request: PartnerChangeRequest) -> Partner:
        _require_admin(caller)
        partner = self._directory.get(partner_id)
        if request.tier is not None and request.tier != partner.tier:
            self._directory.move(partner, request.tier)
        if request.enabled is not None and request.enabled != partner.enabled:
            self._directory.set_enabled(partner_id, request.enabled)
        # What this request made it, not read again: a later change may already be under way.
        changed = partner.model_copy(
            update={
                "tier": request.tier if request.tier is not None else partner.tier,
                "enabled": request.enabled if request.enabled is not None else partner.enabled,
            }
        )
        return Partner.of(changed, self._usage().get(partner_id, Usage()))

    def revoke(self, caller: Caller, partner_id: str) -> None:
        """Delete a partner's key, never another of the account. A key between two plans is
        revoked too: a move under way then finds it gone (its 404), and one that died half-way
        would otherwise leave a partner no one could revoke."""
        _require_admin(caller)
        self._directory.revoke(partner_id)

    def _usage(self) -> dict[str, Usage]:
        today = self._clock().date()
        week_start = today - timedelta(days=today.weekday())
        counts = self._directory.usage(week_start, today)
        return {
            key_id: Usage(today=days[-1] if days else 0, this_week=sum(days))
            for key_id, days in counts.items()
        }


def _require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise ForbiddenError("Only an admin may manage partners")

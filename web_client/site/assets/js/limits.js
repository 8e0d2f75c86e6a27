// The limits of the shop that the pages check before sending, so that the user learns at
// once, beside the field, what the API would refuse. Each one is the Python's or a
// template's: tests/unit/web_client/test_limits.py runs this module in Node and compares
// every value with the constant it copies.

/** Lines of one order (orders.models.MAX_LINES). */
export const MAX_LINES = 50;
/** Items of one line (shop_common.pricing.MAX_QUANTITY); at least 1. */
export const MAX_QUANTITY = 1000;
/** A price (shop_common.money.MAX_PRICE), more than 0, with at most PRICE_DECIMALS decimals. */
export const MAX_PRICE = 1_000_000;
export const PRICE_DECIMALS = 2;
/** A product (products.models). */
export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_STOCK = 1_000_000_000;
export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"];
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
/** The most items one page of a listing holds (shop_common.pagination.MAX_LIMIT). */
export const MAX_PAGE_SIZE = 100;
/** A partner's name (partners.models.MAX_PARTNER_NAME_LENGTH). */
export const MAX_PARTNER_NAME_LENGTH = 128;
/** The partners' tiers: the usage plans' defaults in api_gateway/template.yaml. */
export const PARTNER_TIERS = {
  basic: { rate: 10, daily: 100 },
  pro: { rate: 100, daily: 100_000 },
};
/** The user pool's password policy (bootstrap/template.yaml): this length, and a lower
 * case letter, an upper case letter, a digit and a symbol. */
export const PASSWORD_MIN_LENGTH = 12;

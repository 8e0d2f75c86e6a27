// The limits of the shop that the pages check before sending, so that the user learns at
// once, beside the field, what the API would refuse. Each one is the Python's or a
// template's: tests/unit/web_client/test_limits.py runs this module in Node and compares
// every value with the constant it copies.

/** How long `text` is as the API counts it (Python's len: code points), where a string's
 * `length` counts UTF-16 code units (two for an emoji such as 🐱). */
export const characters = (text) => [...text].length;

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
/** A delivery address (orders.models): each text, its lines, its postcode and phone. */
export const MAX_ADDRESS_TEXT_LENGTH = 100;
export const MAX_ADDRESS_LINES = 3;
export const MAX_POSTCODE_LENGTH = 16;
export const MAX_PHONE_LENGTH = 32;
export const POSTCODE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9 -]*$";
export const PHONE_PATTERN = "^\\+?[0-9][0-9 ().-]{3,}$";
/** One e-mail address the shop can mail, as a browser's <input type="email"> takes it, with a
 * dotted domain (shop_common.text.EMAIL_ADDRESS_PATTERN: no quotes, no accented letters). */
export const EMAIL_ADDRESS_PATTERN = "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+";
/** A CloudFront distribution's id, upper case (vault.models.DistributionId). */
export const DISTRIBUTION_ID_PATTERN = "^[A-Z0-9]{1,32}$";
/** The countries an address may name: ISO 3166-1 alpha-2 codes (the iso3166 package's). */
export const COUNTRY_CODES = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO " +
  "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ " +
  "DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP " +
  "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG " +
  "KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML " +
  "MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE " +
  "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL " +
  "SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM " +
  "US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"
).split(" ");
/** A partner's name (partners.models.MAX_PARTNER_NAME_LENGTH). */
export const MAX_PARTNER_NAME_LENGTH = 128;
/** The partners' tiers: the usage plans' defaults in api_gateway/template.yaml. */
export const PARTNER_TIERS = {
  basic: { rate: 10, daily: 100 },
  pro: { rate: 100, daily: 100_000 },
};
/** How long a browser signed out by "Sign out everywhere" may still act: its access token's
 * lifetime (bootstrap/template.yaml's app client) and the authorizer's cache of its answer
 * (api_gateway/openapi.yaml), in whole minutes. Cognito refuses to renew it at once. */
export const SIGNED_OUT_WITHIN_MINUTES = 16;
/** The user pool's password policy (bootstrap/template.yaml): this length, and a lower
 * case letter, an upper case letter, a digit and a symbol. */
export const PASSWORD_MIN_LENGTH = 12;

// What people type, as the API takes it (shop_common.text): no character that shows as
// something other than what it holds.
const HIDDEN_CATEGORY = /^[\p{Cc}\p{Cs}\p{Cf}\p{Co}\p{Zl}\p{Zp}]$/u;
const BLANKS = new Set("\u115f\u1160\u3164\uffa0\u2800\u034f");
const JOINERS = new Set("\u200c\u200d");
const BLACK_FLAG = "\u{1f3f4}";
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** The first character of `text` the API refuses, as `U+00AD`, or null: a control or
 * format character (but the joiners, and the tags of a subdivision flag), a line or
 * paragraph separator, a lone surrogate, a private-use character, a noncharacter, a blank
 * letter; line breaks and tabs are refused unless `lines`. */
export function hiddenCharacter(text, { lines = false } = {}) {
  let inFlag = false;
  for (const char of text) {
    const code = char.codePointAt(0);
    const tag = code >= 0xe0020 && code < 0xe0080;
    inFlag = char === BLACK_FLAG || (inFlag && tag);
    if ((lines && "\n\r\t".includes(char)) || JOINERS.has(char) || (inFlag && tag)) continue;
    const noncharacter = (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe;
    if (BLANKS.has(char) || noncharacter || HIDDEN_CATEGORY.test(char)) {
      return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    }
  }
  return null;
}

/** Whether `text` has a letter, number, punctuation mark or symbol (what the API asks of it). */
export const visible = (text) => VISIBLE.test(text);

// The delivery address of an order: its form fields and rules, the API's shape, and the copy
// this browser keeps of each account's for its next order (forgotten at sign-out, as the
// cart is).

import { h } from "./dom.js";
import { filled, validate } from "./forms.js";
import {
  characters,
  COUNTRY_CODES,
  MAX_ADDRESS_LINES,
  MAX_ADDRESS_TEXT_LENGTH,
  MAX_PHONE_LENGTH,
  MAX_POSTCODE_LENGTH,
  PHONE_PATTERN,
  POSTCODE_PATTERN,
} from "./limits.js";

const STORAGE_KEY = "shop.address";
const LINE_FIELDS = Array.from({ length: MAX_ADDRESS_LINES }, (_, index) => `line${index + 1}`);
const countryNames = new Intl.DisplayNames(undefined, { type: "region" });

/** A country's name in the reader's language ("FR": "France"). */
export function countryName(code) {
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The address the account `owner` (a `sub`) last ordered to, as form values ({} when none). */
export function savedAddress(owner) {
  try {
    const stored = JSON.parse(localStorage.getItem(addressKey(owner)));
    return stored && typeof stored === "object" ? formValues(stored) : {};
  } catch {
    return {};
  }
}

export function saveAddress(owner, address) {
  localStorage.setItem(addressKey(owner), JSON.stringify(address));
}

export function forgetAddress(owner) {
  localStorage.removeItem(addressKey(owner));
}

function addressKey(owner) {
  return `${STORAGE_KEY}.${owner}`;
}

/** The form's fields, filled with `values` (`savedAddress()`). */
export function addressFields(values) {
  const text = (name, label, autocomplete, extra = {}) => ({
    name,
    label,
    autocomplete,
    value: values[name] ?? "",
    maxlength: String(MAX_ADDRESS_TEXT_LENGTH),
    ...extra,
  });
  return [
    text("fullName", "Full name", "shipping name"),
    ...LINE_FIELDS.map((name, index) =>
      text(name, index === 0 ? "Address" : `Address line ${index + 1} (optional)`, `shipping address-line${index + 1}`),
    ),
    text("postcode", "Postcode", "shipping postal-code", { maxlength: String(MAX_POSTCODE_LENGTH) }),
    text("city", "City", "shipping address-level2"),
    {
      name: "country",
      label: "Country",
      autocomplete: "shipping country",
      value: values.country ?? "",
      options: [
        { value: "", label: "Choose a country" },
        ...COUNTRY_CODES.map((code) => ({ value: code, label: countryName(code) })).sort((a, b) => a.label.localeCompare(b.label)),
      ],
    },
    text("phone", "Phone (optional)", "shipping tel", { type: "tel", maxlength: String(MAX_PHONE_LENGTH), hint: "For the delivery only." }),
  ];
}

// Counted as the API counts: in characters (an emoji is one), not UTF-16 code units.
const lengthRule = (limit) => [(value) => characters(value) <= limit, `Use at most ${limit} characters.`];

/** Throws a FormError naming each address field the API would refuse (forms.validate). */
export function validateAddress(values) {
  const text = (label) => [[filled, `Enter ${label}.`], lengthRule(MAX_ADDRESS_TEXT_LENGTH)];
  const optional = (rules) => rules.map(([check, message]) => [(value) => value === "" || check(value), message]);
  const rules = {
    fullName: text("the name to deliver to"),
    line1: text("the street and number"),
    ...Object.fromEntries(LINE_FIELDS.slice(1).map((name) => [name, [lengthRule(MAX_ADDRESS_TEXT_LENGTH)]])),
    postcode: [
      [filled, "Enter the postcode."],
      lengthRule(MAX_POSTCODE_LENGTH),
      [(value) => new RegExp(POSTCODE_PATTERN).test(value), "Use letters, digits, spaces and dashes."],
    ],
    city: text("the city"),
    country: [[(value) => COUNTRY_CODES.includes(value), "Choose a country."]],
    phone: optional([
      lengthRule(MAX_PHONE_LENGTH),
      [(value) => new RegExp(PHONE_PATTERN).test(value), "Use digits, with + first if need be."],
    ]),
  };
  validate(values, rules);
}

/** The API's `address` from the form's values. */
export function addressOf(values) {
  const phone = (values.phone ?? "").trim();
  return {
    name: values.fullName.trim(),
    lines: LINE_FIELDS.map((name) => (values[name] ?? "").trim()).filter(Boolean),
    postcode: values.postcode.trim(),
    city: values.city.trim(),
    country: values.country,
    ...(phone ? { phone } : {}),
  };
}

/** The form's values of the API's `address`. */
function formValues(address) {
  const lines = Array.isArray(address.lines) ? address.lines : [];
  return {
    fullName: String(address.name ?? ""),
    ...Object.fromEntries(LINE_FIELDS.map((name, index) => [name, String(lines[index] ?? "")])),
    postcode: String(address.postcode ?? ""),
    city: String(address.city ?? ""),
    country: String(address.country ?? ""),
    phone: String(address.phone ?? ""),
  };
}

/** The form field an API error about the address names (`address.lines.1` -> line2), or null. */
export function addressField(apiField) {
  const match = /^address\.(name|lines|postcode|city|country|phone)(?:\.(\d+))?$/.exec(apiField);
  if (!match) return null;
  if (match[1] === "name") return "fullName";
  if (match[1] === "lines") return LINE_FIELDS[Number(match[2] ?? 0)] ?? "line1";
  return match[1];
}

/** An order's address as it reads on its page ("No address" for an order placed before
 * orders had one). */
export function addressBlock(address) {
  if (!address) return h("p", { "data-address": true }, "No address: this order was placed before orders had one.");
  return h(
    "address",
    { "data-address": true },
    [address.name, ...address.lines, `${address.postcode} ${address.city}`, countryName(address.country), address.phone]
      .filter(Boolean)
      .map((line, index) => [index > 0 ? h("br") : null, line]),
  );
}

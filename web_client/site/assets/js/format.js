// How amounts and timestamps read on screen (in the browser's own language), prices in the
// shop's currency (config.json's `currency`, set once at start-up) unless an amount carries
// its own (an order keeps the currency it was placed in).

let shopCurrency = "EUR";
const moneyFormats = new Map();
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function setCurrency(currency) {
  shopCurrency = currency;
}

export function formatMoney(amount, currency = shopCurrency) {
  if (!moneyFormats.has(currency)) {
    moneyFormats.set(currency, new Intl.NumberFormat(undefined, { style: "currency", currency }));
  }
  return moneyFormats.get(currency).format(Number(amount));
}

/** `amount` as a plain number with its currency's decimals ("25.00"), for files. */
export function moneyAmount(amount, currency = shopCurrency) {
  formatMoney(0, currency);
  return Number(amount).toFixed(moneyFormats.get(currency).resolvedOptions().maximumFractionDigits);
}

export function formatDateTime(isoTimestamp) {
  const date = new Date(isoTimestamp);
  return Number.isNaN(date.getTime()) ? "" : dateTime.format(date);
}

export function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

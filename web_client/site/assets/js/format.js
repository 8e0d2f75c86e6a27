// How amounts and timestamps read on screen (in the browser's own language), prices in the
// shop's currency (config.json's `currency`, set once at start-up).

let money = new Intl.NumberFormat(undefined, { style: "currency", currency: "EUR" });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function setCurrency(currency) {
  money = new Intl.NumberFormat(undefined, { style: "currency", currency });
}

export function formatMoney(amount) {
  return money.format(Number(amount));
}

export function formatDateTime(isoTimestamp) {
  const date = new Date(isoTimestamp);
  return Number.isNaN(date.getTime()) ? "" : dateTime.format(date);
}

export function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

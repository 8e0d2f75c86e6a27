// How amounts and timestamps read on screen (in the browser's own language).

const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

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

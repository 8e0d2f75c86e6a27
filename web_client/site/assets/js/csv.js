// Tables as CSV files (RFC 4180) that the browser downloads.

/** A cell as CSV: quoted when it holds a comma, quote or line break; a text a spreadsheet
 * would run as a formula (=, +, -, @ first) is kept as text with a leading apostrophe. */
function cell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `header` and `rows` (arrays of cells) as the text of a CSV file. */
export function toCsv(header, rows) {
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** Has the browser save `text` as the file `name`. */
export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the link: the object may go once this task is over.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

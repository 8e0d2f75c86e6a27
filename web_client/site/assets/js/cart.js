// The cart: kept in this browser's localStorage, so it survives reloads and is the same in
// every tab (a change in one tab reaches the others through the `storage` event).

import { MAX_QUANTITY } from "./limits.js";

const STORAGE_KEY = "shop.cart";

/** The most of `product` one order line may hold: its stock, when tracked, up to the limit. */
export function maxQuantity(product) {
  return Number.isInteger(product.stock) ? Math.min(product.stock, MAX_QUANTITY) : MAX_QUANTITY;
}

/** `[{productId, name, unitPrice, quantity, image}]`, in the order products were added. */
export class Cart extends EventTarget {
  #note = "";

  constructor(storage = window.localStorage) {
    super();
    this.storage = storage;
    window.addEventListener("storage", (event) => {
      if (event.key === STORAGE_KEY) this.dispatchEvent(new Event("change"));
    });
  }

  get lines() {
    try {
      const stored = JSON.parse(this.storage.getItem(STORAGE_KEY));
      return Array.isArray(stored) ? stored.filter(isLine) : [];
    } catch {
      return [];
    }
  }

  get count() {
    return this.lines.reduce((sum, line) => sum + line.quantity, 0);
  }

  /** Adds `quantity` of `product` (to the line already there, if any), up to its
   * `maxQuantity`; resolves to how many it added. */
  add(product, quantity = 1) {
    const [change] = this.merge([{ product, quantity }]);
    return change.added;
  }

  /** Adds every `{product, quantity}` of `entries` as `add` does, and says what it did, entry
   * by entry: `{product, added, quantity}` (`quantity`: the line's, after). */
  merge(entries) {
    const lines = this.lines;
    const changes = entries.map(({ product, quantity }) => {
      let line = lines.find((existing) => existing.productId === product.product_id);
      if (!line) {
        line = { ...lineOf(product), quantity: 0 };
        lines.push(line);
      }
      // The product as it is now: its price and picture may have changed since it was added.
      Object.assign(line, lineOf(product));
      const before = line.quantity;
      line.quantity = Math.max(before, Math.min(maxQuantity(product), before + quantity));
      return { product, added: line.quantity - before, quantity: line.quantity };
    });
    this.#save(lines.filter((line) => line.quantity > 0));
    return changes;
  }

  setQuantity(productId, quantity) {
    this.#save(this.lines.map((line) => (line.productId === productId ? { ...line, quantity } : line)));
  }

  remove(productId) {
    this.#save(this.lines.filter((line) => line.productId !== productId));
  }

  /** `note` ({content, kind}) is what the cart page says the next time it is shown (once). */
  leaveNote(note) {
    this.#note = note;
  }

  /** The note `leaveNote` left, once (kept in this page's memory: never in an address,
   * where a link could put words of its own in the shop's mouth). */
  takeNote() {
    const note = this.#note;
    this.#note = "";
    return note;
  }

  clear() {
    this.#save([]);
  }

  #save(lines) {
    if (lines.length === 0) this.storage.removeItem(STORAGE_KEY);
    else this.storage.setItem(STORAGE_KEY, JSON.stringify(lines));
    this.dispatchEvent(new Event("change"));
  }
}

/** The amount of `quantity` at `unitPrice`, in cents to stay exact, back in currency units. */
export function lineTotal(unitPrice, quantity) {
  return (Math.round(Number(unitPrice) * 100) * quantity) / 100;
}

export function cartTotal(lines) {
  return lines.reduce((cents, line) => cents + Math.round(lineTotal(line.unitPrice, line.quantity) * 100), 0) / 100;
}

/** The line's fields that come from the product (its quantity aside). */
function lineOf(product) {
  return {
    productId: product.product_id,
    name: product.name,
    unitPrice: product.price,
    image: product.image ?? null,
  };
}

function isLine(line) {
  return (
    line &&
    typeof line.productId === "string" &&
    typeof line.name === "string" &&
    Number.isFinite(Number(line.unitPrice)) &&
    Number.isInteger(line.quantity)
  );
}

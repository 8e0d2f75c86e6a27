// The cart: kept in this browser's localStorage, so it survives reloads and is the same in
// every tab (a change in one tab reaches the others through the `storage` event). Each
// account has its own, and a visitor (signed out) theirs: the next person at the browser
// never finds another account's cart, however that account's session ended.

import { MAX_QUANTITY } from "./limits.js";

const STORAGE_KEY = "shop.cart";

/** The most of `product` one order line may hold: its stock, when tracked, up to the limit. */
export function maxQuantity(product) {
  return Number.isInteger(product.stock) ? Math.min(product.stock, MAX_QUANTITY) : MAX_QUANTITY;
}

/** `[{productId, name, unitPrice, quantity, image}]`, in the order products were added. */
export class Cart extends EventTarget {
  #note = "";
  // The account's `sub` whose cart this is; null: a visitor's.
  #owner = null;

  constructor(storage = window.localStorage) {
    super();
    this.storage = storage;
    window.addEventListener("storage", (event) => {
      if (event.key === this.#key()) this.dispatchEvent(new Event("change"));
    });
  }

  get owner() {
    return this.#owner;
  }

  /** The cart becomes the account `owner`'s (a `sub`), or a visitor's (null). A visitor who
   * signs in brings their cart into the account's. */
  belongTo(owner) {
    if (owner === this.#owner) return;
    const carried = this.#owner === null ? this.lines : [];
    this.#owner = owner;
    if (carried.length > 0) {
      this.storage.removeItem(STORAGE_KEY);
      this.#save(joined(this.lines, carried));
    } else {
      this.dispatchEvent(new Event("change"));
    }
  }

  get lines() {
    try {
      const stored = JSON.parse(this.storage.getItem(this.#key()));
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

  #key() {
    return this.#owner === null ? STORAGE_KEY : `${STORAGE_KEY}.${this.#owner}`;
  }

  #save(lines) {
    if (lines.length === 0) this.storage.removeItem(this.#key());
    else this.storage.setItem(this.#key(), JSON.stringify(lines));
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

/** `lines` with `added` put in: a product already there gets the quantities together, up to
 * what an order line holds; the others follow. */
function joined(lines, added) {
  const result = lines.map((line) => ({ ...line }));
  for (const line of added) {
    const there = result.find((existing) => existing.productId === line.productId);
    if (there) there.quantity = Math.min(MAX_QUANTITY, there.quantity + line.quantity);
    else result.push(line);
  }
  return result;
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

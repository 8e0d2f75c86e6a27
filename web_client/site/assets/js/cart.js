// The cart: kept in this browser's localStorage, so it survives reloads and is the same in
// every tab (a change in one tab reaches the others through the `storage` event).

const STORAGE_KEY = "shop.cart";
export const MAX_QUANTITY = 1000;
export const MAX_LINES = 50;

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

  /** Adds `quantity` of `product` (to the line already there, if any), capped at 1,000. */
  add(product, quantity = 1) {
    const lines = this.lines;
    const existing = lines.find((line) => line.productId === product.product_id);
    if (existing) existing.quantity = Math.min(MAX_QUANTITY, existing.quantity + quantity);
    else lines.push(lineOf(product, quantity));
    this.#save(lines);
  }

  setQuantity(productId, quantity) {
    this.#save(this.lines.map((line) => (line.productId === productId ? { ...line, quantity } : line)));
  }

  remove(productId) {
    this.#save(this.lines.filter((line) => line.productId !== productId));
  }

  /** Replaces the cart with `products` and their quantities (`[{product, quantity}]`);
   * `note` is what the cart page says the next time it is shown (once). */
  fill(entries, note = "") {
    this.#note = note;
    this.#save(entries.map(({ product, quantity }) => lineOf(product, quantity)));
  }

  /** The note the last `fill` left, once (kept in this page's memory: never in an address,
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

function lineOf(product, quantity) {
  return {
    productId: product.product_id,
    name: product.name,
    unitPrice: product.price,
    image: product.image ?? null,
    quantity: Math.min(MAX_QUANTITY, quantity),
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

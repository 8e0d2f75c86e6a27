// Building DOM nodes without innerHTML: text is always text, so data from the API cannot inject markup.

/**
 * Create an element. `attrs` values: strings/numbers become attributes, `true` a boolean
 * attribute, false/null/undefined are skipped, `on*` functions become listeners.
 * Children may be nodes, strings, numbers, arrays, or null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replace every child of `parent` with `children`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
  return parent;
}

/** `text` with a line break allowed after each ":" and "/" (an ARN, a path): a cell that
 * breaks only between words would otherwise widen its table past the page. */
export function breakable(text) {
  return String(text)
    .split(/(?<=[:/])/)
    .flatMap((part, index) => (index === 0 ? [part] : [h("wbr"), part]));
}

let idCounter = 0;

/** A document-unique id for label/description wiring. */
export function uniqueId(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

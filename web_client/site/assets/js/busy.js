// A button busy while its request runs. A disabled button drops the focus to the page's
// body, where a keyboard or screen reader user is lost (for seconds on a cold start): a
// busy one keeps it, marked unavailable rather than disabled.

/**
 * Runs `action()` with `button` busy: `aria-disabled` (styled as disabled) and `aria-busy`,
 * its presses ignored (a form's submission with them), labelled `label` meanwhile if given.
 * Resolves or rejects as `action` does.
 */
export async function whileBusy(button, action, { label } = {}) {
  const text = button.textContent;
  // A capture listener on the button runs before its own click listeners.
  const ignore = (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  button.addEventListener("click", ignore, true);
  button.setAttribute("aria-disabled", "true");
  button.setAttribute("aria-busy", "true");
  if (label) button.textContent = label;
  try {
    return await action();
  } finally {
    button.removeEventListener("click", ignore, true);
    button.removeAttribute("aria-disabled");
    button.removeAttribute("aria-busy");
    if (label) button.textContent = text;
  }
}

export const isBusy = (button) => button.getAttribute("aria-busy") === "true";

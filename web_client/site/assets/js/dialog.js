// Modal dialogs on the native <dialog>: focus moves in, Escape closes, focus returns to the opener.

import { h, uniqueId } from "./dom.js";

/** Opens a modal; `body(close)` builds its content; `onClose` runs however it closes;
 * `onCancel(event)` runs on Escape, which it may refuse (`event.preventDefault()`: the
 * browser lets it refuse a second Escape only after the user did something in between). */
export function openDialog({ title, body, onClose, onCancel }) {
  const opener = document.activeElement;
  const titleId = uniqueId("dialog-title");
  const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId });
  const close = () => dialog.open && dialog.close();
  dialog.append(h("h2", { id: titleId, class: "dialog__title" }, title), body(close));
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    onClose?.();
  });
  if (onCancel) dialog.addEventListener("cancel", onCancel);
  document.body.append(dialog);
  dialog.showModal();
  return close;
}

/** Asks before an action; resolves true when the user confirms (Escape or "keep" is false). */
export function confirmAction({ title, message, confirmLabel, cancelLabel, danger = false }) {
  return new Promise((resolve) => {
    let confirmed = false;
    openDialog({
      title,
      onClose: () => resolve(confirmed),
      body: (close) => {
        const confirm = () => {
          confirmed = true;
          close();
        };
        const style = danger ? "button--danger" : "button--primary";
        return h(
          "div",
          {},
          h("p", {}, message),
          h(
            "div",
            { class: "form-actions" },
            h("button", { type: "button", class: `button ${style}`, onclick: confirm }, confirmLabel),
            h("button", { type: "button", class: "button", autofocus: true, onclick: close }, cancelLabel),
          ),
        );
      },
    });
  });
}

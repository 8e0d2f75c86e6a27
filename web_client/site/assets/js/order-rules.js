// The order status machine (DESIGN.md), as the web page offers it: only the moves this user may make.

export const ORDER_STATUSES = ["pending", "shipped", "delivered", "cancelled"];

const TRANSITIONS = [
  { from: "pending", to: "shipped", label: "Ship", adminOnly: true },
  { from: "shipped", to: "delivered", label: "Deliver", adminOnly: true },
  { from: "pending", to: "cancelled", label: "Cancel", adminOnly: false },
  { from: "shipped", to: "cancelled", label: "Cancel", adminOnly: true },
];

const FINAL_STATUSES = new Set(["delivered", "cancelled"]);

export function isOwnOrder(order, user) {
  // The user pool's usernames are case-insensitive.
  return String(order.username).toLowerCase() === String(user.username).toLowerCase();
}

/** The status changes `user` may make to `order`: `[{to, label}]`. */
export function transitionsFor(order, user) {
  return TRANSITIONS.filter(
    (move) => move.from === order.status && (user.isAdmin || (!move.adminOnly && isOwnOrder(order, user))),
  );
}

/** "Order again" belongs to the order's owner, once the order is over. */
export function canOrderAgain(order, user) {
  return FINAL_STATUSES.has(order.status) && isOwnOrder(order, user);
}

// The order status machine (services/orders/src/orders/status.py), as the web page offers
// it: only the moves this user may make. tests/unit/web_client/test_order_rules.py checks
// this copy against the service's, move by move and role by role.

export const ORDER_STATUSES = ["pending", "shipped", "delivered", "cancelled"];

const TRANSITIONS = [
  { from: "pending", to: "shipped", label: "Ship", adminOnly: true },
  { from: "shipped", to: "delivered", label: "Deliver", adminOnly: true },
  { from: "pending", to: "cancelled", label: "Cancel", adminOnly: false },
  { from: "shipped", to: "cancelled", label: "Cancel", adminOnly: true },
];

const FINAL_STATUSES = new Set(["delivered", "cancelled"]);

export function isOwnOrder(order, user) {
  // As the service decides: an order belongs to the Cognito `sub` that placed it (a
  // username may change case, or be taken again by another account).
  return Boolean(user.sub) && order.owner_sub === user.sub;
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

"""The vault's e-mail notifications, pure and typed: each event's list of addresses (an
admin's setting) and the e-mail an event sends to its list through the shop's one notifier
(`shop_common.notify`). An e-mail is sent after the change it reports; one that fails is
logged by its code and never fails or undoes that change."""

from shop_common.notify import Email, MailDeliveryError
from shop_common.observability import logger
from vault.audit import audited
from vault.dependencies import VaultRecords
from vault.models import AuditAction, NotificationEvent, NotificationLists, VaultCaller, VaultRole

SUBJECT_PREFIX = "[Shop vault] "
# An e-mail's subject is at most 200 characters (shop_common.notify.Email).
SUBJECT_LENGTH = 200


def get_lists(caller: VaultCaller, deps: VaultRecords) -> NotificationLists:
    caller.require(VaultRole.VIEWER)
    return deps.notification_settings.get()


def set_lists(
    caller: VaultCaller, lists: NotificationLists, deps: VaultRecords
) -> NotificationLists:
    """Replace every event's list (admin)."""
    caller.require(VaultRole.ADMIN)
    events = ", ".join(f"{event}: {len(lists.addresses(event))}" for event in NotificationEvent)

    def save() -> NotificationLists:
        deps.notification_settings.put(lists)
        return lists

    return audited(
        deps,
        caller,
        AuditAction.NOTIFICATIONS,
        save,
        detail=f"notification lists set ({events} addresses)",
        result=lambda _: "saved",
    )


def notify(deps: VaultRecords, event: NotificationEvent, subject: str, lines: list[str]) -> bool:
    """E-mail `event`'s list (nothing if it is empty); whether an e-mail left. The vault's
    other parts (users, schedules) call this after their change succeeded."""
    try:
        recipients = deps.notification_settings.get().addresses(event)
        if not recipients:
            return False
        deps.notifier.send(
            Email(
                to=tuple(recipients),
                subject=f"{SUBJECT_PREFIX}{subject}"[:SUBJECT_LENGTH],
                text="\n".join(lines),
            )
        )
    except MailDeliveryError as exc:
        logger.warning("Vault notification not sent", notification=str(event), failure=str(exc))
        return False
    # The change is made and answered for: whatever stops its e-mail (an address a mail
    # library cannot write, a list unreadable) is logged, never a 5xx for a change that held.
    except Exception as exc:
        logger.exception(
            "Vault notification failed", notification=str(event), failure=type(exc).__name__
        )
        return False
    return True

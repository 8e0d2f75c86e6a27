"""A user pool's case-insensitive usernames, as Cognito keeps them and moto does not.

The bootstrap template's pool says `UsernameConfiguration: CaseSensitive: false`: Cognito
then refuses a sign-up (or an admin's creation) of `ADMIN` beside `admin`
(UsernameExistsException) and signs `ADMIN` in as `admin`. moto keeps the setting and
ignores it: it looks users up by their exact name, so `ADMIN`, a second account, could pose
as the admin in every list of usernames. Every lookup moto makes goes through one method of
its pool (`_get_user`: sign-up's and creation's existence checks, sign-in, confirmation,
password resets, the Admin* actions); in a pool that is not case-sensitive, a name that
matches no user exactly finds the user it matches ignoring case.
"""

from typing import Any

from moto.cognitoidp.models import CognitoIdpUserPool

_exact_lookup = CognitoIdpUserPool._get_user


def _case_sensitive(pool: CognitoIdpUserPool) -> bool:
    configuration = pool.extended_config.get("UsernameConfiguration") or {}
    return bool(configuration.get("CaseSensitive", True))


def _get_user(pool: CognitoIdpUserPool, username: str) -> Any:
    user = _exact_lookup(pool, username)
    if user is not None or _case_sensitive(pool):
        return user
    folded = username.casefold()
    return next((user for name, user in pool.users.items() if name.casefold() == folded), None)


def case_insensitive_usernames() -> None:
    """moto's pools honour `CaseSensitive: false` from now on, in this process."""
    CognitoIdpUserPool._get_user = _get_user  # type: ignore[method-assign,assignment]

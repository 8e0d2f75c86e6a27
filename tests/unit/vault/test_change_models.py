"""A change's explicit null is refused naming the field and what it takes, where it passed as
the field left out and was refused as a change of nothing."""

from typing import Any

import pytest
from pydantic import BaseModel

from shop_common.errors import InvalidRequestError
from shop_common.validation import validate_body
from vault.schedule_models import ScheduleChange
from vault.user_models import UserChangeIn


@pytest.mark.parametrize(
    ("model", "body", "refusal"),
    [
        (ScheduleChange, {"active": None}, ("active", "Input should be a valid boolean")),
        (ScheduleChange, {"cron": None}, ("cron", "Input should be a valid string")),
        (UserChangeIn, {"role": None}, ("role", "Input should be 'viewer', 'editor' or 'admin'")),
        (UserChangeIn, {"action": None}, ("action", "Input should be 'reset_password'")),
    ],
)
def test_an_explicit_null_names_the_field_and_what_it_takes(
    model: type[BaseModel], body: dict[str, Any], refusal: tuple[str, str]
) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        validate_body(body, model)

    assert [(error.field, error.message) for error in refused.value.errors] == [refusal]

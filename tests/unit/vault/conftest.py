"""The vault's logic on in-memory stand-ins: one CloudFront, table and bucket per test."""

from datetime import UTC, datetime

import pytest

from tests.builders.mail import RecordingNotifier
from tests.unit.vault.fakes import (
    FakeCloudFront,
    InMemoryAuditLog,
    InMemoryBodies,
    InMemoryNotificationSettings,
    InMemoryVaultTable,
)
from vault.dependencies import VaultDeps


@pytest.fixture
def cloudfront() -> FakeCloudFront:
    return FakeCloudFront()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def deps(cloudfront: FakeCloudFront, notifier: RecordingNotifier) -> VaultDeps:
    return VaultDeps(
        table=InMemoryVaultTable(),
        bodies=InMemoryBodies(),
        cloudfront=cloudfront,
        audit=InMemoryAuditLog(),
        notification_settings=InMemoryNotificationSettings(),
        notifier=notifier,
        clock=lambda: datetime(2026, 12, 6, 12, 0, tzinfo=UTC),
        id_factory=lambda: "new-reference",
    )

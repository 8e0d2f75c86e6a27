"""The vault's logic on in-memory stand-ins: one CloudFront, table and bucket per test."""

from datetime import UTC, datetime

import pytest

from tests.unit.vault.fakes import FakeCloudFront, InMemoryBodies, InMemoryVaultTable
from vault import logic


@pytest.fixture
def cloudfront() -> FakeCloudFront:
    return FakeCloudFront()


@pytest.fixture
def deps(cloudfront: FakeCloudFront) -> logic.VaultDeps:
    return logic.VaultDeps(
        table=InMemoryVaultTable(),
        bodies=InMemoryBodies(),
        cloudfront=cloudfront,
        clock=lambda: datetime(2026, 12, 6, 12, 0, tzinfo=UTC),
        id_factory=lambda: "new-reference",
    )
